// Kusto's string operators. `has` and friends work on terms: maximal runs of ASCII letters and
// digits. A needle matches when it occurs with a term boundary on each side where its own
// edge character is a letter or digit (so `has "a.b"` matches the phrase inside "x a.b y").
// Case-insensitive forms compare lowercased text, as Kusto's ordinal-ignore-case does for
// the characters security data holds.

import { RE2JS } from "re2js";

/** Kusto's terms are maximal runs of ASCII letters and digits (datatypes-string-operators). */
function isTermChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function termMatch(hay: string, needle: string, wantStart: boolean, wantEnd: boolean): boolean {
  if (needle.length === 0) return true;
  const startsTerm = isTermChar(needle.charCodeAt(0));
  const endsTerm = isTermChar(needle.charCodeAt(needle.length - 1));
  let from = 0;
  for (;;) {
    const i = hay.indexOf(needle, from);
    if (i < 0) return false;
    const end = i + needle.length;
    const okStart = !wantStart || !startsTerm || i === 0 || !isTermChar(hay.charCodeAt(i - 1));
    const okEnd = !wantEnd || !endsTerm || end === hay.length || !isTermChar(hay.charCodeAt(end));
    if (okStart && okEnd) return true;
    from = i + 1;
  }
}

export const has = (h: string, n: string) =>
  termMatch(h.toLowerCase(), n.toLowerCase(), true, true);
export const hasCs = (h: string, n: string) => termMatch(h, n, true, true);
export const hasPrefix = (h: string, n: string) =>
  termMatch(h.toLowerCase(), n.toLowerCase(), true, false);
export const hasPrefixCs = (h: string, n: string) => termMatch(h, n, true, false);
export const hasSuffix = (h: string, n: string) =>
  termMatch(h.toLowerCase(), n.toLowerCase(), false, true);
export const hasSuffixCs = (h: string, n: string) => termMatch(h, n, false, true);
export const contains = (h: string, n: string) => h.toLowerCase().includes(n.toLowerCase());
export const containsCs = (h: string, n: string) => h.includes(n);
export const startsWith = (h: string, n: string) => h.toLowerCase().startsWith(n.toLowerCase());
export const startsWithCs = (h: string, n: string) => h.startsWith(n);
export const endsWith = (h: string, n: string) => h.toLowerCase().endsWith(n.toLowerCase());
export const endsWithCs = (h: string, n: string) => h.endsWith(n);
export const equalsCi = (h: string, n: string) => h === n || h.toLowerCase() === n.toLowerCase();

/** Case-insensitive `has` against a needle already lowercased (the common constant case). */
export function hasLowered(h: string, loweredNeedle: string): boolean {
  return termMatch(h.toLowerCase(), loweredNeedle, true, true);
}

const regexCache = new Map<string, RE2JS>();

/** A compiled RE2 pattern (cached): Kusto's regex dialect is RE2. */
export function re2(pattern: string): RE2JS {
  let re = regexCache.get(pattern);
  if (!re) {
    re = RE2JS.compile(pattern);
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/** `matches regex`: true when the pattern matches anywhere in the text. */
export function matchesRegex(text: string, pattern: string): boolean {
  return re2(pattern).matcher(text).find();
}
