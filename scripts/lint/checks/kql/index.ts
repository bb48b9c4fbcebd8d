// The KQL checks: Kusto.Language's diagnostics and the rule-aware checks built on its analysis.

import type { Check } from "../../check";
import { kqlSyntax } from "./syntax";
import { kqlSemantic } from "./semantic";
import { kqlWarning } from "./warning";
import { kqlDataConnectors } from "./data-connectors";
import { kqlOutputColumns } from "./output-columns";
import { kqlLookback } from "./lookback";
import { kqlThreatIntel } from "./threat-intel";
import { kqlTypeMismatch } from "./type-mismatch";
import { kqlTimeFilter } from "./time-filter";
import { kqlWildcardScan } from "./wildcard-scan";
import { kqlContains } from "./contains";

export const kqlChecks: Check[] = [
  kqlSyntax,
  kqlSemantic,
  kqlWarning,
  kqlDataConnectors,
  kqlOutputColumns,
  kqlLookback,
  kqlThreatIntel,
  kqlTypeMismatch,
  kqlTimeFilter,
  kqlWildcardScan,
  kqlContains,
];
