// Kusto.Language's warnings and its analyzers' findings (KustoAnalyzers: join without kind,
// isnull on strings, has with IPv4 strings…). Suggestions are reported as info.

import type { RuleCheck } from "../../check";
import { analysisOf } from "../../../kql/analysis";
import { hasQuery, plainMessage, prepare, spanRange } from "./shared";

/**
 * Codes not reported here: KS500 (contains) is kql-contains's, with a narrower rule; KS205 is
 * a name a fuzzy union (`union isfuzzy=true`) does not find, which is what isfuzzy is for.
 */
const COVERED_ELSEWHERE = new Set(["KS500", "KS205"]);

/** Warnings that are advice rather than a likely bug: KS507, a deprecated function (it still runs). */
const INFO_CODES = new Set(["KS507"]);

export const kqlWarning: RuleCheck = {
  scope: "rule",
  appliesTo: hasQuery,
  prepare,
  meta: {
    id: "kql-warning",
    severity: "warning",
    description: "Kusto.Language's warnings and analyzer findings (suggestions as info)",
    docs: "Warnings of Kusto.Language's analysis and of its built-in analyzers (Kusto.Language.Editor.KustoAnalyzers): for example KS508, a join without `kind=` (the default, innerunique, silently drops duplicate left keys), or KS501, isnull() on a string (never true; use isempty()). Analyzer suggestions, such as KS514 (has with an IPv4 string), and KS507 (a deprecated function such as makeset or any, which still runs) are reported at info level. KS500 (contains) is left to kql-contains.",
  },
  check(rule, ctx) {
    const facts = analysisOf(rule);
    if (!facts) return;
    const all = [
      ...facts.diagnostics.filter((d) => !d.syntax && d.severity !== "error"),
      ...facts.analyzer,
    ];
    for (const d of all) {
      if (COVERED_ELSEWHERE.has(d.code) || d.severity === "error") continue;
      ctx.report({
        range: spanRange(rule, { start: d.start, end: d.start + d.length }),
        message: `${d.code}: ${plainMessage(d.message)}`,
        ...(d.severity === "warning" && !INFO_CODES.has(d.code)
          ? {}
          : { severity: "info" as const }),
      });
    }
  },
};
