// Comparisons Kusto.Language accepts but that never match (number vs string, dayofweek vs an
// integer, a hash column vs another hash's length). Detected in analysis/facts.ts.

import type { RuleCheck } from "../../check";
import { hintCheck } from "./shared";

export const kqlTypeMismatch: RuleCheck = hintCheck({
  id: "kql-type-mismatch",
  severity: "warning",
  description: "no comparisons Kusto.Language lets through but that never match",
  docs: "Comparisons Kusto.Language accepts but that never match: a numeric column with a string literal (`EventID == '4688'`, `RemotePort == \"80\"`) or a string column with a number; `dayofweek()` (a timespan: 0d is Sunday) with an integer instead of `1d`; a hash column (names containing SHA256, SHA1, MD5) with a hex value of another hash's length (a SHA256 value in a SHA1 list).",
});
