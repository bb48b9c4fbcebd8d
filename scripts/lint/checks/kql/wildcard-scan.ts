// Hunting hygiene: no `search *`, `union *` or table wildcards. Detected in analysis/facts.ts.

import type { RuleCheck } from "../../check";
import { hintCheck } from "./shared";

export const kqlWildcardScan: RuleCheck = hintCheck({
  id: "kql-wildcard-scan",
  severity: "warning",
  description: "no `search *`, `union *` or table wildcards",
  docs: "`search` or `find` without `in (Table, …)`, `union *` and `union Device*` read every (matching) table of the workspace: slow, costly, and the result changes whenever a table or connector is added. Name the tables.",
});
