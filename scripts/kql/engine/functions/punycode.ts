// Punycode (RFC 3492) functions: punycode_from_string, punycode_to_string,
// punycode_domain_from_string, punycode_domain_to_string. Used to spot look-alike domains.

import { defineScalar } from "./registry";
import { str } from "./strings";

const BASE = 36;
const TMIN = 1;
const TMAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;

function adapt(delta: number, numPoints: number, first: boolean): number {
  delta = first ? Math.floor(delta / DAMP) : delta >> 1;
  delta += Math.floor(delta / numPoints);
  let k = 0;
  while (delta > ((BASE - TMIN) * TMAX) >> 1) {
    delta = Math.floor(delta / (BASE - TMIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - TMIN + 1) * delta) / (delta + SKEW));
}

function digit(d: number): string {
  return String.fromCharCode(d < 26 ? d + 97 : d + 22);
}

/** Encodes a label's code points as Punycode (without the "xn--" prefix). */
export function punycodeEncode(input: string): string {
  const cps = Array.from(input, (c) => c.codePointAt(0) as number);
  let out = cps
    .filter((c) => c < 0x80)
    .map((c) => String.fromCharCode(c))
    .join("");
  const basic = out.length;
  let handled = basic;
  if (basic > 0) out += "-";
  let n = INITIAL_N;
  let delta = 0;
  let bias = INITIAL_BIAS;
  while (handled < cps.length) {
    const m = Math.min(...cps.filter((c) => c >= n));
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of cps) {
      if (c < n) delta++;
      if (c === n) {
        let q = delta;
        for (let k = BASE; ; k += BASE) {
          const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
          if (q < t) break;
          out += digit(t + ((q - t) % (BASE - t)));
          q = Math.floor((q - t) / (BASE - t));
        }
        out += digit(q);
        bias = adapt(delta, handled + 1, handled === basic);
        delta = 0;
        handled++;
      }
    }
    delta++;
    n++;
  }
  return out;
}

function digitValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 22;
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 97;
  return BASE;
}

/** Decodes a Punycode label; null when malformed. */
export function punycodeDecode(input: string): string | null {
  const cps: number[] = [];
  const dash = input.lastIndexOf("-");
  if (dash > 0)
    for (const ch of input.slice(0, dash)) {
      const c = ch.charCodeAt(0);
      if (c >= 0x80) return null;
      cps.push(c);
    }
  let i = 0;
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  for (let pos = dash > 0 ? dash + 1 : 0; pos < input.length;) {
    const oldi = i;
    let w = 1;
    for (let k = BASE; ; k += BASE) {
      if (pos >= input.length) return null;
      const c = input.charCodeAt(pos++);
      const d = digitValue(c);
      if (d >= BASE) return null;
      i += d * w;
      const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
      if (d < t) break;
      w *= BASE - t;
    }
    bias = adapt(i - oldi, cps.length + 1, oldi === 0);
    n += Math.floor(i / (cps.length + 1));
    i %= cps.length + 1;
    if (n > 0x10ffff) return null;
    cps.splice(i++, 0, n);
  }
  return String.fromCodePoint(...cps);
}

defineScalar({
  name: "punycode_from_string",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => punycodeEncode(str(args, ctx, 0)),
});

defineScalar({
  name: "punycode_to_string",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => punycodeDecode(str(args, ctx, 0)) ?? "",
});

// Label separators IDNA accepts: full stop and its ideographic/full-width forms.
const LABEL_SEPARATOR = /[.\u3002\uff0e\uff61]/;

// The domain pair runs the other way round from punycode_from_string/punycode_to_string:
// Kusto's punycode_domain_to_string *encodes* a Unicode domain and punycode_domain_from_string
// *decodes* one. Both reference pages say so in their descriptions and show it in their
// examples ("Lê Lợi。Thuận Thiên。com" → "xn--L Li-gpa4517b.xn--Thun Thin-s4a7194f.com").
defineScalar({
  name: "punycode_domain_to_string",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) =>
    str(args, ctx, 0)
      .split(LABEL_SEPARATOR)
      .map((label) => (/^[\x00-\x7f]*$/.test(label) ? label : "xn--" + punycodeEncode(label)))
      .join("."),
});

defineScalar({
  name: "punycode_domain_from_string",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const labels = str(args, ctx, 0).split(".");
    const out: string[] = [];
    for (const label of labels) {
      if (!/^xn--/i.test(label)) {
        out.push(label);
        continue;
      }
      const decoded = punycodeDecode(label.slice(4));
      if (decoded === null) return "";
      out.push(decoded);
    }
    return out.join(".");
  },
});
