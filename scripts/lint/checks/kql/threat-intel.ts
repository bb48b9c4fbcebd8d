// Threat intelligence: a query on ThreatIntelligenceIndicator keeps the latest version of each
// indicator, and only active, unexpired ones. The detection itself lives in analysis/facts.ts.

import type { RuleCheck } from "../../check";
import { hintCheck } from "./shared";

export const kqlThreatIntel: RuleCheck = hintCheck({
  id: "kql-threat-intel",
  severity: "warning",
  description:
    "queries on ThreatIntelligenceIndicator keep the latest, active, unexpired indicators",
  docs: "ThreatIntelligenceIndicator holds a row per update of each indicator. A query must take the latest version of each (`summarize arg_max(TimeGenerated, *) by IndicatorId`) and keep only live ones (`where Active == true and ExpirationDateTime > now()`); otherwise revoked or expired indicators keep raising alerts.",
});
