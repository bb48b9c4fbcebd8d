// IP address functions: parse_ipv4, parse_ipv4_mask, ipv4_is_private, ipv4_is_in_range,
// ipv4_is_in_any_range, ipv4_is_match, ipv4_compare, format_ipv4, format_ipv4_mask,
// ipv4_netmask_suffix, ipv4_range_to_cidr_list, parse_ipv6, parse_ipv6_mask, ipv6_compare,
// ipv6_is_match, ipv6_is_in_range, ipv6_is_in_any_range, has_ipv4, has_ipv4_prefix,
// has_any_ipv4, has_any_ipv4_prefix.
//
// Addresses may carry a CIDR suffix ("10.0.0.1/8"); comparisons then use the shorter prefix.
// IPv4 addresses inside IPv6 functions are the mapped form ::ffff:a.b.c.d (prefix + 96).

import type { Json, Value } from "../values";
import { toKustoString, toNumber } from "./coerce";
import { defineScalar, type CallContext } from "./registry";

interface Ipv4 {
  address: number;
  prefix: number;
}

function parseOctets(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    n = n * 256 + o;
  }
  return n;
}

/** "a.b.c.d" or "a.b.c.d/n"; null when malformed. */
export function parseIpv4(text: string): Ipv4 | null {
  const [addr, suffix, extra] = text.trim().split("/");
  if (extra !== undefined) return null;
  const address = parseOctets(addr);
  if (address === null) return null;
  let prefix = 32;
  if (suffix !== undefined) {
    if (!/^\d{1,2}$/.test(suffix) || Number(suffix) > 32) return null;
    prefix = Number(suffix);
  }
  return { address, prefix };
}

function mask4(prefix: number): number {
  return prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffff : (0xffffffff << (32 - prefix)) >>> 0;
}

function masked4(address: number, prefix: number): number {
  return (address & mask4(prefix)) >>> 0;
}

function formatOctets(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

function text(args: Value[], ctx: CallContext, i: number): string {
  return toKustoString(args[i] ?? null, ctx.argTypes[i]);
}

/** An IPv4 argument given as text or as a number (`format_ipv4(3232235777)`). */
function ipv4Arg(args: Value[], ctx: CallContext, i: number): Ipv4 | null {
  const v = args[i];
  if (typeof v === "number") {
    return Number.isInteger(v) && v >= 0 && v <= 0xffffffff ? { address: v, prefix: 32 } : null;
  }
  return typeof v === "string" ? parseIpv4(v) : null;
}

function prefixArg(v: Value | undefined, max: number): number | null {
  if (v === undefined || v === null) return max;
  const n = toNumber(v);
  return n === null || n < 0 || n > max ? null : Math.trunc(n);
}

defineScalar({
  name: "parse_ipv4",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const ip = parseIpv4(text(args, ctx, 0));
    return ip ? masked4(ip.address, ip.prefix) : null;
  },
});

defineScalar({
  name: "parse_ipv4_mask",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const ip = parseIpv4(text(args, ctx, 0));
    const p = prefixArg(args[1], 32);
    return ip && p !== null ? masked4(ip.address, Math.min(ip.prefix, p)) : null;
  },
});

const PRIVATE_V4: Ipv4[] = [
  { address: parseOctets("10.0.0.0") as number, prefix: 8 },
  { address: parseOctets("172.16.0.0") as number, prefix: 12 },
  { address: parseOctets("192.168.0.0") as number, prefix: 16 },
];

defineScalar({
  name: "ipv4_is_private",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const ip = parseIpv4(text(args, ctx, 0));
    if (!ip) return null;
    return PRIVATE_V4.some(
      (r) => ip.prefix >= r.prefix && masked4(ip.address, r.prefix) === r.address,
    );
  },
});

function inRange4(ip: Ipv4, range: Ipv4): boolean {
  return masked4(ip.address, range.prefix) === masked4(range.address, range.prefix);
}

defineScalar({
  name: "ipv4_is_in_range",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const ip = parseIpv4(text(args, ctx, 0));
    const range = parseIpv4(text(args, ctx, 1));
    return ip && range ? inRange4(ip, range) : null;
  },
});

defineScalar({
  name: "ipv4_is_in_any_range",
  minArgs: 2,
  maxArgs: Infinity,
  impl: (args, ctx) => {
    const ip = parseIpv4(text(args, ctx, 0));
    if (!ip) return null;
    const ranges: string[] = [];
    args.slice(1).forEach((a, k) => {
      if (Array.isArray(a)) for (const r of a) ranges.push(toKustoString(r as Value, "dynamic"));
      else ranges.push(text(args, ctx, k + 1));
    });
    let anyValid = false;
    for (const r of ranges) {
      const range = parseIpv4(r);
      if (!range) continue;
      anyValid = true;
      if (inRange4(ip, range)) return true;
    }
    return anyValid ? false : null;
  },
});

function compare4(args: Value[], ctx: CallContext): number | null {
  const a = ipv4Arg(args, ctx, 0);
  const b = ipv4Arg(args, ctx, 1);
  const p = prefixArg(args[2], 32);
  if (!a || !b || p === null) return null;
  const prefix = Math.min(a.prefix, b.prefix, p);
  const x = masked4(a.address, prefix);
  const y = masked4(b.address, prefix);
  return x < y ? -1 : x > y ? 1 : 0;
}

defineScalar({ name: "ipv4_compare", minArgs: 2, maxArgs: 3, impl: compare4 });

defineScalar({
  name: "ipv4_is_match",
  minArgs: 2,
  maxArgs: 3,
  impl: (args, ctx) => {
    const c = compare4(args, ctx);
    return c === null ? null : c === 0;
  },
});

function formatted4(args: Value[], ctx: CallContext, withSuffix: boolean): string {
  const ip = ipv4Arg(args, ctx, 0);
  const p = prefixArg(args[1], 32);
  if (!ip || p === null) return "";
  const prefix = Math.min(ip.prefix, p);
  const s = formatOctets(masked4(ip.address, prefix));
  return withSuffix ? `${s}/${prefix}` : s;
}

defineScalar({
  name: "format_ipv4",
  minArgs: 1,
  maxArgs: 2,
  impl: (args, ctx) => formatted4(args, ctx, false),
});

defineScalar({
  name: "format_ipv4_mask",
  minArgs: 1,
  maxArgs: 2,
  impl: (args, ctx) => formatted4(args, ctx, true),
});

defineScalar({
  name: "ipv4_netmask_suffix",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => parseIpv4(text(args, ctx, 0))?.prefix ?? null,
});

defineScalar({
  name: "ipv4_range_to_cidr_list",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const a = parseIpv4(text(args, ctx, 0));
    const b = parseIpv4(text(args, ctx, 1));
    if (!a || !b) return null;
    let start = a.address;
    const end = b.address;
    const out: Json[] = [];
    while (start <= end) {
      // The largest aligned block starting at `start` that stays within `end`.
      let size = 32;
      while (size > 0) {
        const block = 2 ** (32 - (size - 1));
        if (start % block !== 0 || start + block - 1 > end) break;
        size--;
      }
      out.push(`${formatOctets(start)}/${size}`);
      start += 2 ** (32 - size);
    }
    return out;
  },
});

// --- IPv6 -------------------------------------------------------------------------------------

interface Ipv6 {
  address: bigint;
  prefix: number;
}

const ALL128 = (1n << 128n) - 1n;

function parseIpv6Address(s: string): bigint | null {
  let text = s;
  let tail: number[] = [];
  // An embedded IPv4 address in the last 32 bits.
  const v4 = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(text);
  if (v4) {
    const n = parseOctets(v4[1]);
    if (n === null) return null;
    tail = [n >>> 16, n & 0xffff];
    text = text.slice(0, v4.index);
    if (text.endsWith(":") && !text.endsWith("::")) text = text.slice(0, -1);
    if (text === "") return null;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const valid = (g: string) => /^[0-9a-fA-F]{1,4}$/.test(g);
  if (![...head, ...rest].every(valid)) return null;
  const nums = (a: string[]) => a.map((g) => parseInt(g, 16));
  const known = head.length + rest.length + tail.length;
  let words: number[];
  if (halves.length === 2) {
    if (known > 7) return null;
    words = [...nums(head), ...Array(8 - known).fill(0), ...nums(rest), ...tail];
  } else {
    if (known !== 8) return null;
    words = [...nums(head), ...tail];
  }
  return words.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

/** IPv6 (or IPv4, mapped) with an optional /prefix. */
export function parseIpv6(text: string): Ipv6 | null {
  const s = text.trim();
  const v4 = parseIpv4(s);
  if (v4) return { address: (0xffffn << 32n) | BigInt(v4.address), prefix: 96 + v4.prefix };
  const [addr, suffix, extra] = s.split("/");
  if (extra !== undefined) return null;
  const address = parseIpv6Address(addr);
  if (address === null) return null;
  let prefix = 128;
  if (suffix !== undefined) {
    if (!/^\d{1,3}$/.test(suffix) || Number(suffix) > 128) return null;
    prefix = Number(suffix);
  }
  // "::a.b.c.d/n" is an IPv4-compatible form whose prefix counts IPv4 bits.
  if (/^::\d+\.\d+\.\d+\.\d+$/.test(addr) || /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(addr)) {
    const low = address & 0xffffffffn;
    return {
      address: (0xffffn << 32n) | low,
      prefix: suffix === undefined ? 128 : Math.min(128, 96 + prefix),
    };
  }
  return { address, prefix };
}

function mask6(prefix: number): bigint {
  return prefix <= 0 ? 0n : (ALL128 << BigInt(128 - prefix)) & ALL128;
}

function format6(address: bigint): string {
  const hex = address.toString(16).padStart(32, "0");
  return hex.match(/.{4}/g)!.join(":");
}

defineScalar({
  name: "parse_ipv6",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const ip = parseIpv6(text(args, ctx, 0));
    return ip ? format6(ip.address & mask6(ip.prefix)) : null;
  },
});

defineScalar({
  name: "parse_ipv6_mask",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const ip = parseIpv6(text(args, ctx, 0));
    const p = prefixArg(args[1], 128);
    if (!ip || p === null) return null;
    const isV4 = ip.address >> 32n === 0xffffn;
    // For IPv4 input the mask counts IPv6 bits, but never below the mapped prefix.
    const prefix = Math.min(ip.prefix, isV4 ? Math.max(p, 96) : p);
    return format6(ip.address & mask6(prefix));
  },
});

function compare6(args: Value[], ctx: CallContext): number | null {
  const a = parseIpv6(text(args, ctx, 0));
  const b = parseIpv6(text(args, ctx, 1));
  const p = prefixArg(args[2], 128);
  if (!a || !b || p === null) return null;
  const m = mask6(Math.min(a.prefix, b.prefix, p));
  const x = a.address & m;
  const y = b.address & m;
  return x < y ? -1 : x > y ? 1 : 0;
}

defineScalar({ name: "ipv6_compare", minArgs: 2, maxArgs: 3, impl: compare6 });

defineScalar({
  name: "ipv6_is_match",
  minArgs: 2,
  maxArgs: 3,
  impl: (args, ctx) => {
    const c = compare6(args, ctx);
    return c === null ? null : c === 0;
  },
});

function inRange6(ip: Ipv6, range: Ipv6): boolean {
  const m = mask6(range.prefix);
  return ip.prefix >= range.prefix && (ip.address & m) === (range.address & m);
}

defineScalar({
  name: "ipv6_is_in_range",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const ip = parseIpv6(text(args, ctx, 0));
    const range = parseIpv6(text(args, ctx, 1));
    return ip && range ? inRange6(ip, range) : null;
  },
});

defineScalar({
  name: "ipv6_is_in_any_range",
  minArgs: 2,
  maxArgs: Infinity,
  impl: (args, ctx) => {
    const ip = parseIpv6(text(args, ctx, 0));
    if (!ip) return null;
    const ranges: string[] = [];
    args.slice(1).forEach((a, k) => {
      if (Array.isArray(a)) for (const r of a) ranges.push(toKustoString(r as Value, "dynamic"));
      else ranges.push(text(args, ctx, k + 1));
    });
    return ranges.some((r) => {
      const range = parseIpv6(r);
      return range !== null && inRange6(ip, range);
    });
  },
});

// --- finding IPv4 addresses in text -----------------------------------------------------------

/** The valid IPv4 addresses that stand alone in a text (not glued to letters, digits or dots). */
export function ipv4sInText(source: string): string[] {
  const out: string[] = [];
  const re = /[0-9.]+/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const before = source[m.index - 1];
    const after = source[m.index + m[0].length];
    if ((before && /[\p{L}_]/u.test(before)) || (after && /[\p{L}_]/u.test(after))) continue;
    // A sentence may end right after an address: "from 10.0.0.1."
    const run = m[0].endsWith(".") ? m[0].slice(0, -1) : m[0];
    if (parseOctets(run) !== null) out.push(run);
  }
  return out;
}

function prefixMatches(ip: string, prefix: string): boolean {
  // A prefix is whole octets: "10.1." or a complete address.
  if (prefix === ip) return true;
  return prefix.endsWith(".") && ip.startsWith(prefix);
}

function lookups(args: Value[], ctx: CallContext): string[] {
  const out: string[] = [];
  args.slice(1).forEach((a, k) => {
    if (Array.isArray(a)) for (const x of a) out.push(toKustoString(x as Value, "dynamic"));
    else out.push(text(args, ctx, k + 1));
  });
  return out;
}

defineScalar({
  name: "has_ipv4",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const wanted = text(args, ctx, 1);
    if (parseOctets(wanted) === null) return false;
    return ipv4sInText(text(args, ctx, 0)).includes(wanted);
  },
});

defineScalar({
  name: "has_ipv4_prefix",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const prefix = text(args, ctx, 1);
    return ipv4sInText(text(args, ctx, 0)).some((ip) => prefixMatches(ip, prefix));
  },
});

defineScalar({
  name: "has_any_ipv4",
  minArgs: 2,
  maxArgs: Infinity,
  impl: (args, ctx) => {
    const wanted = new Set(lookups(args, ctx));
    return ipv4sInText(text(args, ctx, 0)).some((ip) => wanted.has(ip));
  },
});

defineScalar({
  name: "has_any_ipv4_prefix",
  minArgs: 2,
  maxArgs: Infinity,
  impl: (args, ctx) => {
    const prefixes = lookups(args, ctx);
    return ipv4sInText(text(args, ctx, 0)).some((ip) => prefixes.some((p) => prefixMatches(ip, p)));
  },
});
