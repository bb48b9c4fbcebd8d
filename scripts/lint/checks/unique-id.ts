// Rule ids name deployed resources: two rules with one id overwrite each other.

import type { RepoCheck, RepoContext } from "../check";
import type { Rule } from "../../rules/load";
import { rangeOf } from "../../rules/load";

export const uniqueId: RepoCheck = {
  scope: "repo",
  meta: {
    id: "unique-id",
    severity: "error",
    description: "every rule has its own id",
    docs: "The id is the deployed resource's name: two rules sharing one overwrite each other in the workspace. Generate a new GUID for the copy (`node -e 'console.log(crypto.randomUUID())'`).",
  },
  check(rules, ctx) {
    reportDuplicates(
      rules,
      (r) => r.id?.toLowerCase(),
      "id",
      ctx.report,
      "generate a new GUID for one of them",
    );
  },
};

/** Reports every rule whose key another rule already has, naming the other file. */
export function reportDuplicates(
  rules: Rule[],
  keyOf: (r: Rule) => string | undefined,
  field: "id" | "name",
  report: RepoContext["report"],
  fix: string,
): void {
  const groups = new Map<string, Rule[]>();
  for (const r of rules) {
    const k = keyOf(r);
    if (!k) continue;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const r of group) {
      const others = group
        .filter((o) => o !== r)
        .map((o) => `${o.file.path}:${rangeOf(o, [field]).line}`);
      report(r, {
        range: rangeOf(r, [field]),
        message: `the ${field} '${String(r.data[field])}' is also used by ${others.join(", ")}`,
        fix,
      });
    }
  }
}
