// Refanging and canonical forms: two indicators are equivalent when their canonical forms are
// equal. Each rule here is one line of the README's "Normalisation" list and one test.

import { classify, ColumnHint, IndicatorType, isHostName } from "./classify";

/**
 * The defanging conventions we undo, in the order they are applied. Each is written so that
 * it cannot appear in a real domain, URL, address or email, so undoing it never changes one.
 */
const REFANG_RULES: readonly { pattern: RegExp; replacement: string }[] = [
  // hxxp://, hXXps://, hxxp[:]// → http://, https://
  { pattern: /\bh[x]{2}p(s?)(?=\[?:)/gi, replacement: "http$1" },
  { pattern: /\[:\/\/\]/g, replacement: "://" },
  { pattern: /\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}/gi, replacement: "." },
  { pattern: /\[:\]/g, replacement: ":" },
  { pattern: /\[@\]|\[at\]|\(at\)|\{at\}/gi, replacement: "@" },
];

const MAYBE_DEFANGED = /[[({]|hxx/i;

/** Undoes defanging (`hxxp`, `[.]`, `(.)`, `{.}`, `[dot]`, `[:]`, `[@]`, `[at]`). */
export function refang(value: string): string {
  // Most values carry no marker at all; one cheap test spares them five replacements.
  if (!MAYBE_DEFANGED.test(value)) return value;
  let out = value;
  for (const rule of REFANG_RULES) out = out.replace(rule.pattern, rule.replacement);
  return out;
}

const DEFAULT_PORTS: Record<string, string> = {
  http: "80",
  https: "443",
  ftp: "21",
  ws: "80",
  wss: "443",
};

const LEADING_ZERO = /(^|\.)0\d/;

/** A dotted quad without leading zeros (`010.001.1.1` → `10.1.1.1`); unchanged if malformed. */
export function canonicalIpv4(value: string): string {
  if (!LEADING_ZERO.test(value)) return value;
  const octets = value.split(".");
  if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) {
    return value;
  }
  return octets.map((o) => String(Number(o))).join(".");
}

/** RFC 5952 form: lowercase, leading zeros dropped, the longest zero run as `::`. */
export function canonicalIpv6(value: string): string {
  try {
    // The WHATWG URL parser implements exactly this serialisation.
    const host = new URL(`http://[${value}]/`).hostname;
    return host.slice(1, -1);
  } catch {
    return value.toLowerCase();
  }
}

function canonicalHost(host: string): string {
  if (host.startsWith("[") && host.endsWith("]")) return `[${canonicalIpv6(host.slice(1, -1))}]`;
  const lower = host.toLowerCase();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(lower)) return canonicalIpv4(lower);
  return lower.endsWith(".") && isHostName(lower) ? lower.slice(0, -1) : lower;
}

/** Scheme and host lowercased, the scheme's default port dropped; path and query unchanged. */
export function canonicalUrl(value: string): string {
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?([^/?#\s]*)(.*)$/is.exec(value);
  if (!m) return value;
  const scheme = m[1]?.toLowerCase();
  let authority = m[2];
  let userInfo = "";
  const at = authority.lastIndexOf("@");
  if (at >= 0) {
    userInfo = authority.slice(0, at + 1);
    authority = authority.slice(at + 1);
  }
  const portMatch = /^(.*?)(?::(\d*))?$/.exec(authority);
  let host = portMatch?.[1] ?? authority;
  let port = portMatch?.[2];
  if (host.startsWith("[") && !host.endsWith("]")) {
    host = authority;
    port = undefined;
  }
  if (port !== undefined && (port === "" || (scheme && DEFAULT_PORTS[scheme] === port))) {
    port = undefined;
  }
  const rest = m[3];
  return `${scheme ? `${scheme}://` : ""}${userInfo}${canonicalHost(host)}${
    port !== undefined ? `:${port}` : ""
  }${rest}`;
}

/**
 * The canonical form of an already refanged value of a given kind. File names and other
 * values stay as they are: whether their case matters depends on the operator (see `keyOf`).
 */
export function canonical(value: string, type: IndicatorType): string {
  switch (type) {
    case "domain":
      return canonicalHost(value);
    case "url":
      return canonicalUrl(value);
    case "ipv4":
      return canonicalIpv4(value);
    case "ipv6":
      return canonicalIpv6(value);
    case "cidr": {
      const slash = value.lastIndexOf("/");
      const address = value.slice(0, slash);
      const prefix = String(Number(value.slice(slash + 1)));
      return `${address.includes(":") ? canonicalIpv6(address) : canonicalIpv4(address)}/${prefix}`;
    }
    case "md5":
    case "sha1":
    case "sha256":
    case "email":
      return value.toLowerCase();
    default:
      return value;
  }
}

export interface Normalised {
  /** The value after refanging. */
  refanged: string;
  type: IndicatorType;
  /** `canonical(refanged, type)`. */
  form: string;
  /** Equal keys mean equivalent indicators (under the given case sensitivity). */
  key: string;
}

/**
 * Refangs, classifies and canonicalises a value. `caseInsensitive`: the operator ignores
 * case (`in~`, `has_any`, `=~`), so every value is compared lowercased.
 */
export function normalise(value: string, hint: ColumnHint, caseInsensitive: boolean): Normalised {
  const refanged = refang(value);
  const type = classify(refanged, hint);
  const form = canonical(refanged, type);
  return { refanged, type, form, key: caseInsensitive ? form.toLowerCase() : form };
}

/** The key the repo-wide index groups by: case is ignored for file names (Windows). */
export function indexKey(n: Normalised): string {
  return `${n.type}:${n.type === "file-name" ? n.form.toLowerCase() : n.form}`;
}
