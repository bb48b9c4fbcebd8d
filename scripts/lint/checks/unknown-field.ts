// Fields the rule format does not define: a typo (`tactic:`) or a field Sentinel ignores.

import type { RuleCheck } from "../check";
import { knownFields } from "../../rules/schemas";
import { closest } from "./schema";

export const unknownField: RuleCheck = {
  scope: "rule",
  meta: {
    id: "unknown-field",
    severity: "warning",
    description: "top-level fields are ones the rule format defines",
    docs: "An unknown field is usually a typo of a real one (`tactic` for `tactics`); it is ignored on deploy.",
  },
  check(rule, ctx) {
    const known = knownFields(rule.kind);
    for (const key of Object.keys(rule.data)) {
      if (known.has(key)) continue;
      const guess = closest(key, [...known]);
      ctx.report({
        range: ctx.rangeOf([key]),
        message: `\`${key}\` is not a field of ${rule.kind === "hunting" ? "a hunting query" : "an analytics rule"}`,
        fix: guess
          ? `did you mean \`${guess}\`?`
          : "remove it, or check the rule format in the README",
      });
    }
  },
};
