// Connector ids not in the snapshot (data/connector-ids.json) may be new or misspelt.

import type { RuleCheck } from "../check";
import { connectorIds } from "../reference";
import { closest } from "./schema";

export const connectorId: RuleCheck = {
  scope: "rule",
  meta: {
    id: "connector-id",
    severity: "warning",
    description: "requiredDataConnectors name known data connector ids",
    docs: "The list (data/connector-ids.json) is a snapshot of the ids the Azure-Sentinel validation accepted; newer connectors exist, so this is a warning.",
  },
  check(rule, ctx) {
    const list = rule.data.requiredDataConnectors;
    if (!Array.isArray(list)) return;
    const known = connectorIds();
    list.forEach((c, i) => {
      const id = (c as Record<string, unknown> | null)?.connectorId;
      if (typeof id !== "string" || known.has(id)) return;
      const guess = closest(id, [...known]);
      ctx.report({
        range: ctx.rangeOf(["requiredDataConnectors", i, "connectorId"]),
        message: `'${id}' is not a known data connector id`,
        fix: guess
          ? `did you mean \`${guess}\`?`
          : "check the id (the known list is a snapshot: data/connector-ids.json)",
      });
    });
  },
};
