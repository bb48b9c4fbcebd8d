// Analytics rules: entity mappings, custom details and alert details name columns of the
// query's result (its schema as Kusto.Language computes it).

import type { RuleCheck } from "../../check";
import type { NodePath } from "../../../rules/load";
import { analysisOf } from "../../../kql/analysis";
import { hasQuery, prepare } from "./shared";

interface ColumnUse {
  column: string;
  path: NodePath;
  what: string;
}

function uses(data: Record<string, unknown>): ColumnUse[] {
  const out: ColumnUse[] = [];
  const em = data.entityMappings;
  if (Array.isArray(em)) {
    em.forEach((m, i) => {
      const fms = (m as { fieldMappings?: unknown } | null)?.fieldMappings;
      if (!Array.isArray(fms)) return;
      fms.forEach((fm, j) => {
        const col = (fm as { columnName?: unknown } | null)?.columnName;
        if (typeof col === "string" && col)
          out.push({
            column: col,
            path: ["entityMappings", i, "fieldMappings", j, "columnName"],
            what: `the ${String((m as { entityType?: unknown }).entityType ?? "entity")} mapping`,
          });
      });
    });
  }
  const cd = data.customDetails;
  if (cd && typeof cd === "object" && !Array.isArray(cd)) {
    for (const [key, col] of Object.entries(cd)) {
      if (typeof col === "string" && col)
        out.push({ column: col, path: ["customDetails", key], what: `the custom detail ${key}` });
    }
  }
  const ado = data.alertDetailsOverride;
  if (ado && typeof ado === "object" && !Array.isArray(ado)) {
    const o = ado as Record<string, unknown>;
    for (const field of ["alertDisplayNameFormat", "alertDescriptionFormat"]) {
      const text = o[field];
      if (typeof text !== "string") continue;
      for (const m of text.matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)) {
        out.push({
          column: m[1],
          path: ["alertDetailsOverride", field],
          what: `the {{${m[1]}}} placeholder`,
        });
      }
    }
    for (const field of ["alertTacticsColumnName", "alertSeverityColumnName"]) {
      const col = o[field];
      if (typeof col === "string" && col)
        out.push({ column: col, path: ["alertDetailsOverride", field], what: field });
    }
    const dyn = o.alertDynamicProperties;
    if (Array.isArray(dyn)) {
      dyn.forEach((p, i) => {
        const col = (p as { value?: unknown } | null)?.value;
        if (typeof col === "string" && col)
          out.push({
            column: col,
            path: ["alertDetailsOverride", "alertDynamicProperties", i, "value"],
            what: "the alert dynamic property",
          });
      });
    }
  }
  return out;
}

export const kqlOutputColumns: RuleCheck = {
  scope: "rule",
  appliesTo: (rule) => rule.kind === "analytics" && hasQuery(rule),
  prepare,
  meta: {
    id: "kql-output-columns",
    severity: "error",
    description: "entity mappings, custom details and alert details name columns the query returns",
    docs: "Every entityMappings[].fieldMappings[].columnName, customDetails value, {{column}} placeholder in alertDetailsOverride and alert*ColumnName must be a column of the query's result, as Kusto.Language computes it (after the last project/summarize). A column projected away or misspelt makes Sentinel reject the rule or map nothing. Skipped when the result schema cannot be computed (the query does not parse or reads an unknown table).",
  },
  check(rule, ctx) {
    const facts = analysisOf(rule);
    if (!facts?.output || facts.output.length === 0 || facts.outputOpen) return;
    const columns = new Set(facts.output.map((c) => c.name));
    // A union of branches where a column's type is unknown (our schemas lack a table or
    // function) splits it into X_string and X_unknown; with real schemas it is one column X.
    for (const c of facts.output) {
      const m = /^(.+)_unknown$/.exec(c.name);
      if (m && c.type === "unknown") columns.add(m[1]);
    }
    const lower = new Map(facts.output.map((c) => [c.name.toLowerCase(), c.name]));
    for (const u of uses(rule.data)) {
      if (columns.has(u.column)) continue;
      const near = lower.get(u.column.toLowerCase());
      const shown = facts.output.map((c) => c.name);
      ctx.report({
        range: ctx.rangeOf(u.path),
        message: `${u.what} uses the column '${u.column}', which the query does not return`,
        fix: near
          ? `did you mean '${near}'? (column names are case-sensitive)`
          : `return it from the query (project/extend), or use one of: ${shown.slice(0, 12).join(", ")}${shown.length > 12 ? ", …" : ""}`,
      });
    }
  },
};
