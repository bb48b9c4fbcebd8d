// Hunting hygiene: every table read is filtered on time. Detected in analysis/facts.ts.

import type { RuleCheck } from "../../check";
import { hasQuery, hintCheck } from "./shared";

export const kqlTimeFilter: RuleCheck = hintCheck(
  {
    id: "kql-time-filter",
    severity: "warning",
    description: "hunting queries filter each table they read on time",
    docs: "A hunting query that reads a table without a time filter (`where TimeGenerated > ago(7d)`, `Timestamp between (…)`) scans the table's whole retention: slow and costly. A table counts as filtered when a `where` on a datetime column follows it in the same pipeline (also after a union, or on every use of a `let` name bound to it). Analytics rules are exempt: queryPeriod bounds them.",
  },
  (rule) => rule.kind === "hunting" && hasQuery(rule),
);
