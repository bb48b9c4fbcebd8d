// Semantic errors: unknown tables (KS204), columns (KS142), functions (KS211), wrong argument
// types (KS141…), judged against the table and function schemas.

import type { RuleCheck } from "../../check";
import { analysisOf, takeSchemaProblems } from "../../../kql/analysis";
import { hasQuery, plainMessage, prepare, spanRange } from "./shared";

const FIXES: Record<string, (name: string | undefined) => string> = {
  KS204: (name) =>
    name && /_CL$/.test(name)
      ? `a custom table: describe its columns in schemas/tables/${name}.json`
      : `check the table name; if it is a real table, add its schema as schemas/tables/${name ?? "<Table>"}.json`,
  KS211: (name) =>
    `check the function name; if it is a saved function or parser, describe it in schemas/functions/${name ?? "<Name>"}.json`,
  KS142: () => "check the spelling, and that no earlier project/summarize dropped the column",
};

export const kqlSemantic: RuleCheck = {
  scope: "rule",
  appliesTo: hasQuery,
  prepare,
  meta: {
    id: "kql-semantic",
    severity: "error",
    description: "tables, columns and functions exist and arguments have the right types",
    docs: "Kusto.Language analyses the query against schemas/tables, schemas/functions and schemas/watchlists (shipped and the repository's own): an unknown table (KS204), column (KS142) or function (KS211), or an argument of the wrong type (KS141, KS106…), is an error the workspace would raise when the rule runs.",
  },
  check(rule, ctx) {
    for (const p of takeSchemaProblems()) {
      ctx.report({
        range: ctx.rangeOf(["query"]),
        message: `the schema file ${p.file}:${p.line}:${p.column} was skipped: ${p.message}`,
        fix: "fix the schema file; until then, queries using it get unknown-name errors",
      });
    }
    const facts = analysisOf(rule);
    if (!facts) return;
    const query = rule.query ?? "";
    for (const d of facts.diagnostics) {
      if (d.syntax || d.severity !== "error") continue;
      const name = d.length > 0 ? query.slice(d.start, d.start + d.length) : undefined;
      const fix = FIXES[d.code]?.(name);
      ctx.report({
        range: spanRange(rule, { start: d.start, end: d.start + d.length }),
        message: `${d.code}: ${plainMessage(d.message)}`,
        ...(fix ? { fix } : {}),
      });
    }
  },
};
