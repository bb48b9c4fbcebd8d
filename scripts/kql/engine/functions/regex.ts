// Kusto regular expressions are RE2; re2js gives the same syntax and linear-time matching.
// Patterns are usually constants, so compiled patterns are cached by text.

import { RE2JS } from "re2js";
import { KqlError } from "../errors";

export interface RegexMatch {
  start: number;
  end: number;
  /** Group texts, index 0 is the whole match; null for a group that did not take part. */
  groups: (string | null)[];
  /** Named groups by name. */
  named: Record<string, string | null>;
}

const cache = new Map<string, RE2JS>();

/** Thrown for a pattern RE2 rejects; the message names the pattern. */
export class RegexError extends KqlError {}

/**
 * A pattern that matches `text` literally: its regex metacharacters escaped with `\`
 * (`(so$me.Te^xt)` → `\(so\$me\.Te\^xt\)`, the documented example).
 */
export function quoteRegex(text: string): string {
  return RE2JS.quote(text);
}

export function compileRegex(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    try {
      re = RE2JS.compile(pattern);
    } catch (e) {
      throw new RegexError(
        `invalid regular expression ${JSON.stringify(pattern)}: ${String((e as Error).message ?? e)}`,
      );
    }
    if (cache.size > 500) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/**
 * All non-overlapping matches, left to right (an empty match advances one character).
 * Named groups are read only when `wantNames` is set.
 */
export function* matchAll(pattern: string, text: string, wantNames = false): Generator<RegexMatch> {
  const re = compileRegex(pattern);
  const m = re.matcher(text);
  const n = m.groupCount();
  let pos = 0;
  while (pos <= text.length && m.find(pos)) {
    const groups: (string | null)[] = [];
    for (let g = 0; g <= n; g++) groups.push(m.group(g));
    const start = m.start();
    const end = m.end();
    yield { start, end, groups, named: n > 0 && wantNames ? m.getNamedGroups() : {} };
    pos = end > start ? end : end + 1;
  }
}

export function firstMatch(pattern: string, text: string): RegexMatch | undefined {
  for (const m of matchAll(pattern, text)) return m;
  return undefined;
}

/** The text of one group of the first match (`extract`); null when no match or no group. */
export function firstMatchGroup(pattern: string, text: string, group: number): string | null {
  const re = compileRegex(pattern);
  if (group < 0 || group > re.groupCount()) return null;
  const m = re.matcher(text);
  return m.find() ? m.group(group) : null;
}

export function regexTest(pattern: string, text: string): boolean {
  return compileRegex(pattern).matcher(text).find();
}

/** Names of the pattern's capture groups by index (undefined for unnamed groups). */
export function groupNames(pattern: string): (string | undefined)[] {
  const re = compileRegex(pattern);
  const names: (string | undefined)[] = [];
  const named = re.namedGroups();
  for (let g = 0; g <= re.groupCount(); g++) names.push(undefined);
  for (const [name, idx] of Object.entries(named)) names[idx] = name;
  return names;
}

/**
 * Replaces every match; in `rewrite`, `\0`…`\9` and `$0`…`$9` stand for the groups, as in
 * Kusto's `replace_regex`.
 */
export function replaceAllRegex(text: string, pattern: string, rewrite: string): string {
  let out = "";
  let last = 0;
  for (const m of matchAll(pattern, text)) {
    out += text.slice(last, m.start);
    out += rewrite.replace(/[\\$](\d)/g, (_s, d: string) => m.groups[Number(d)] ?? "");
    last = m.end;
  }
  return out + text.slice(last);
}
