// Tactics must use Sentinel's exact spelling (`LateralMovement`, not `Lateral movement`);
// a misspelt one is fixed mechanically by --fix.

import { isScalar, isSeq, Scalar } from "yaml";
import type { RuleCheck } from "../check";
import { nodeAt, toRange } from "../../rules/load";
import { SENTINEL_TACTICS } from "../../rules/vocabulary";
import { closest } from "./schema";

export const attackTactic: RuleCheck = {
  scope: "rule",
  meta: {
    id: "attack-tactic",
    severity: "error",
    description: "tactics use Microsoft Sentinel's exact names",
    docs: "Sentinel accepts only its own spellings (`LateralMovement`, `CommandAndControl`). A near miss is reported with the right name, and --fix rewrites it.",
    fixable: true,
  },
  check(rule, ctx) {
    const seq = nodeAt(rule, ["tactics"]);
    if (!isSeq(seq)) return;
    seq.items.forEach((item) => {
      if (!isScalar(item) || typeof item.value !== "string" || !item.range) return;
      const value = item.value;
      if (SENTINEL_TACTICS.includes(value)) return;
      const guess = closest(value, [...SENTINEL_TACTICS]);
      const range = toRange(rule.file, item.range[0], item.range[1]);
      ctx.report({
        range,
        message: `'${value}' is not a Microsoft Sentinel tactic`,
        fix: guess ? `did you mean \`${guess}\`?` : `use one of: ${SENTINEL_TACTICS.join(", ")}`,
        edits: guess
          ? [{ start: item.range[0], end: item.range[1], replacement: quoteLike(item, guess) }]
          : undefined,
      });
    });
  },
};

/** Writes the replacement in the scalar's own quoting style. */
function quoteLike(item: Scalar, value: string): string {
  if (item.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  if (item.type === Scalar.QUOTE_SINGLE) return `'${value}'`;
  return value;
}
