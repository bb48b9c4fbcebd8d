// Techniques should belong to at least one of the rule's tactics, and be known ATT&CK ids.
// The table (data/tactic-techniques.json) is a snapshot, so an unknown id is a warning.

import type { RuleCheck } from "../check";
import { tacticTechniques, techniqueTactics } from "../reference";
import { SENTINEL_TACTICS } from "../../rules/vocabulary";
import { closest } from "./schema";

export const attackTechnique: RuleCheck = {
  scope: "rule",
  meta: {
    id: "attack-technique",
    severity: "warning",
    description: "each technique belongs to one of the rule's tactics and is a known ATT&CK id",
    docs: "A technique whose tactic the rule does not list usually means a missing tactic or a typo in the id. Data: data/tactic-techniques.json (the Azure-Sentinel validation's table, a snapshot).",
  },
  check(rule, ctx) {
    const techniques = rule.data.relevantTechniques;
    // A misspelt tactic is attack-tactic's finding; judge techniques by the intended one.
    const tactics = Array.isArray(rule.data.tactics)
      ? rule.data.tactics.map((t) => closest(String(t), [...SENTINEL_TACTICS]) ?? String(t))
      : [];
    if (!Array.isArray(techniques)) return;
    const table = tacticTechniques();
    const owners = techniqueTactics();
    techniques.forEach((t, i) => {
      if (typeof t !== "string" || !/^T\d{4}(\.\d{3})?$/.test(t)) return; // schema reports it
      const parent = t.slice(0, 5);
      const belongsTo = owners.get(parent);
      const range = ctx.rangeOf(["relevantTechniques", i]);
      if (!belongsTo) {
        ctx.report({
          range,
          message: `${t} is not in the ATT&CK table (data/tactic-techniques.json)`,
          fix: "check the id; if it is new in ATT&CK, update the table",
        });
        return;
      }
      if (tactics.length && !tactics.some((tac) => table.get(tac)?.has(parent))) {
        ctx.report({
          range,
          message: `${t} belongs to ${belongsTo.join(", ")}, none of which is among the rule's tactics (${tactics.join(", ")})`,
          fix: `add one of ${belongsTo.join(", ")} to tactics, or correct the technique`,
        });
      }
    });
  },
};
