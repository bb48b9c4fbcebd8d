// An entity mapping may name each identifier once: Sentinel rejects a rule that maps
// `Account.Name` twice.

import type { RuleCheck } from "../check";

export const entityIdentifiers: RuleCheck = {
  scope: "rule",
  meta: {
    id: "entity-identifiers",
    severity: "error",
    description: "no entity mapping names the same identifier twice",
    docs: "Sentinel rejects an entity mapping whose fieldMappings repeat an identifier.",
  },
  check(rule, ctx) {
    const mappings = rule.data.entityMappings;
    if (!Array.isArray(mappings)) return;
    mappings.forEach((m, i) => {
      const fields = (m as Record<string, unknown> | null)?.fieldMappings;
      if (!Array.isArray(fields)) return;
      const seen = new Map<string, number>();
      fields.forEach((f, j) => {
        const id = (f as Record<string, unknown> | null)?.identifier;
        if (typeof id !== "string") return;
        const first = seen.get(id);
        if (first !== undefined) {
          ctx.report({
            range: ctx.rangeOf(["entityMappings", i, "fieldMappings", j, "identifier"]),
            message: `the ${String((m as Record<string, unknown>).entityType)} mapping names the identifier ${id} twice (fieldMappings ${first} and ${j})`,
            fix: "keep one of them",
          });
        } else seen.set(id, j);
      });
    });
  },
};
