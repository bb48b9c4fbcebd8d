// Analytics rules: a filter reaching further back than queryPeriod sees only queryPeriod.

import type { RuleCheck } from "../../check";
import { analysisOf } from "../../../kql/analysis";
import { durationMinutes } from "../analytics-schedule";
import { hasQuery, prepare, spanRange } from "./shared";

/** Sentinel's longest queryPeriod. */
const MAX_PERIOD_MS = 14 * 86_400_000;

function describe(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "m"],
    [1000, "s"],
  ];
  for (const [size, unit] of units) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

export const kqlLookback: RuleCheck = {
  scope: "rule",
  appliesTo: (rule) =>
    rule.kind === "analytics" && hasQuery(rule) && rule.data.queryPeriod !== undefined,
  prepare,
  meta: {
    id: "kql-lookback",
    severity: "warning",
    description: "ago(X) in the query reaches no further back than queryPeriod",
    docs: "A scheduled rule's query only ever sees the last queryPeriod of data, whatever its filters say: `where TimeGenerated > ago(14d)` in a rule with queryPeriod 1d looks at 1 day. A baseline or lookback longer than queryPeriod silently shrinks. Raise queryPeriod (at most 14d) or shorten the filter. Constant spans are followed through `let` (`let lookback = 14d; … ago(lookback)`).",
  },
  check(rule, ctx) {
    const facts = analysisOf(rule);
    const periodMin = durationMinutes(rule.data.queryPeriod);
    if (!facts || periodMin === undefined) return;
    const periodMs = periodMin * 60_000;
    for (const l of facts.lookbacks) {
      if (l.ms <= periodMs) continue;
      ctx.report({
        range: spanRange(rule, l.span),
        message: `the query looks back ${describe(l.ms)} (${l.text}) but queryPeriod is ${String(rule.data.queryPeriod)}: the rule only ever sees the last ${String(rule.data.queryPeriod)}`,
        fix:
          l.ms <= MAX_PERIOD_MS
            ? `set queryPeriod to ${describe(l.ms)}, or shorten the lookback to ${String(rule.data.queryPeriod)}`
            : `shorten the lookback to at most queryPeriod (${String(rule.data.queryPeriod)}); queryPeriod cannot exceed 14d`,
      });
    }
  },
};
