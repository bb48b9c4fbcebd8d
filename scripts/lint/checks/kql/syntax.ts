// Syntax errors, as Kusto.Language reports them: the query would not even run.

import type { RuleCheck } from "../../check";
import { analysisFailure, analysisOf } from "../../../kql/analysis";
import { hasQuery, plainMessage, prepare, spanRange } from "./shared";

export const kqlSyntax: RuleCheck = {
  scope: "rule",
  appliesTo: hasQuery,
  prepare,
  meta: {
    id: "kql-syntax",
    severity: "error",
    description: "the query parses (Kusto.Language syntax diagnostics)",
    docs: "Kusto.Language, the parser behind Azure Data Explorer and Log Analytics editors, cannot parse the query. The message carries Kusto.Language's code (KS…). Sentinel rejects such a rule on deploy.",
  },
  check(rule, ctx) {
    const failure = analysisFailure(rule);
    if (failure) {
      ctx.report({
        range: ctx.rangeOf(["query"]),
        message: `the KQL analysis could not run: ${failure}`,
        fix: "check schemas/ for a table or function Kusto.Language rejects; otherwise report this bug",
      });
      return;
    }
    const facts = analysisOf(rule);
    if (!facts) return;
    for (const d of facts.diagnostics) {
      if (!d.syntax) continue;
      ctx.report({
        range: spanRange(rule, { start: d.start, end: d.start + d.length }),
        message: `${d.code}: ${plainMessage(d.message)}`,
      });
    }
  },
};
