// Performance: `has` instead of `contains` when the needle is a whole term. Detected in
// analysis/facts.ts (`wholeTermNeedle`).

import type { RuleCheck } from "../../check";
import { hintCheck } from "./shared";

export const kqlContains: RuleCheck = hintCheck({
  id: "kql-contains",
  severity: "info",
  description: "`has` instead of `contains` when the needle is a whole term",
  docs: '`has` looks terms up in the index; `contains` scans every value (Kusto\'s performance guidance). The two differ for needles inside longer words (`contains "admin"` also matches administrator), so the check suggests `has` only when the needle is delimited at both ends by non-alphanumeric characters and all its terms are 3+ characters (`contains "\\\\cmd.exe "`, `contains " -enc "`): then `has` finds the same rows. Bare words are left alone.',
});
