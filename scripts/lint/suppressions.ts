// Per-rule silences. A rule may turn off one check for itself, with a reason a reviewer reads:
//
//   suppress:
//     - check: kql-contains
//       reason: the vendor writes the host name inside a longer token, so `has` misses it
//
// The field is ours (Sentinel ignores it and deploy never sends it).

import type { Finding } from "./finding";
import { rangeOf, Rule } from "../rules/load";

export const SUPPRESSION_KEY = "suppress";

export interface Suppression {
  check: string;
  reason: string;
  /** Position in the `suppress` list, for pointing at it. */
  index: number;
}

export function suppressionsOf(rule: Rule): { entries: Suppression[]; problems: Finding[] } {
  const raw = rule.data[SUPPRESSION_KEY];
  const entries: Suppression[] = [];
  const problems: Finding[] = [];
  if (raw === undefined) return { entries, problems };
  const problem = (path: (string | number)[], message: string, fix: string) => {
    const r = rangeOf(rule, path);
    problems.push({
      file: rule.file.path,
      line: r.line,
      column: r.column,
      endLine: r.endLine,
      endColumn: r.endColumn,
      ruleId: "suppression",
      severity: "error",
      message,
      fix,
    });
  };
  if (!Array.isArray(raw)) {
    problem(
      [SUPPRESSION_KEY],
      "`suppress` must be a list of {check, reason}",
      "write it as a list",
    );
    return { entries, problems };
  }
  raw.forEach((item, index) => {
    const obj = (item ?? {}) as Record<string, unknown>;
    const check = typeof obj.check === "string" ? obj.check.trim() : "";
    const reason = typeof obj.reason === "string" ? obj.reason.trim() : "";
    if (!check) {
      problem(
        [SUPPRESSION_KEY, index],
        "a suppression needs `check`: the id of the check it silences",
        "add `check: <id>`",
      );
      return;
    }
    if (!reason) {
      problem(
        [SUPPRESSION_KEY, index],
        `the suppression of '${check}' has no reason`,
        "add `reason:` saying why the finding does not apply",
      );
      return;
    }
    entries.push({ check, reason, index });
  });
  return { entries, problems };
}
