// requiredDataConnectors[].dataTypes and the tables the query reads, in both directions.

import type { RuleCheck } from "../../check";
import { analysisOf } from "../../../kql/analysis";
import { WATCHLIST_FUNCTION } from "../../../kql/analysis/schemas";
import { hasQuery, parsed, prepare, spanRange } from "./shared";

/** `OfficeActivity (SharePoint)` → `officeactivity`: the table a data type names. */
export function dataTypeTable(dataType: string): string {
  return dataType
    .replace(/\s*\(.*\)\s*$/, "")
    .trim()
    .toLowerCase();
}

interface Declared {
  table: string;
  text: string;
  path: (string | number)[];
}

function declaredDataTypes(data: Record<string, unknown>): Declared[] | undefined {
  const rdc = data.requiredDataConnectors;
  if (!Array.isArray(rdc)) return undefined;
  const out: Declared[] = [];
  rdc.forEach((c, i) => {
    const types = (c as { dataTypes?: unknown } | null)?.dataTypes;
    if (!Array.isArray(types)) return;
    types.forEach((t, j) => {
      if (typeof t === "string" && t.trim())
        out.push({
          table: dataTypeTable(t),
          text: t,
          path: ["requiredDataConnectors", i, "dataTypes", j],
        });
    });
  });
  return out;
}

/** Unknown table or function (KS205: a fuzzy union's): it may read any declared table. */
const UNKNOWN_NAMES = new Set(["KS204", "KS205", "KS211"]);

function uniqueTables(tables: { name: string; span: { start: number; end: number } }[]) {
  const seen = new Map<string, { name: string; start: number; end: number }>();
  for (const t of tables) if (!seen.has(t.name)) seen.set(t.name, { name: t.name, ...t.span });
  return [...seen.values()];
}

/** A declared type covers a table: same name, or the connector-style plural (`SecurityEvents`). */
function covers(declared: string, table: string): boolean {
  const t = table.toLowerCase();
  return declared === t || declared === `${t}s`;
}

export const kqlDataConnectors: RuleCheck = {
  scope: "rule",
  appliesTo: hasQuery,
  prepare,
  meta: {
    id: "kql-data-connectors",
    severity: "warning",
    description: "requiredDataConnectors[].dataTypes name exactly the tables the query reads",
    docs: "Sentinel uses requiredDataConnectors to tell whether a rule can work in a workspace. A table the query reads but no dataTypes entry names hides a missing connector; a data type no part of the query reads is a leftover. A data type is compared by its table name (`OfficeActivity (SharePoint)` is OfficeActivity). Not checked: rules without requiredDataConnectors (or with an empty list); the never-read direction when the query calls a function (an ASIM parser or saved function reads tables we cannot see), uses a union wildcard, or does not parse.",
  },
  check(rule, ctx) {
    const facts = analysisOf(rule);
    const declared = declaredDataTypes(rule.data);
    if (!facts || !declared || declared.length === 0 || !parsed(facts)) return;

    const read = new Map<string, { name: string; start: number; end: number }>();
    for (const t of facts.tables) {
      if (!read.has(t.name.toLowerCase()))
        read.set(t.name.toLowerCase(), { name: t.name, ...t.span });
    }
    const watchlist = facts.functions.find((f) => f.name === WATCHLIST_FUNCTION);
    if (watchlist) read.set("watchlist", { name: "Watchlist", ...watchlist.span });

    for (const t of facts.tables.length ? uniqueTables(facts.tables) : []) {
      if (declared.some((d) => covers(d.table, t.name))) continue;
      ctx.report({
        range: spanRange(rule, t),
        message: `the query reads ${t.name}, but no requiredDataConnectors entry lists it in dataTypes`,
        fix: `add ${t.name} to the dataTypes of the connector that fills it`,
      });
    }

    // Table names passed as strings (`table("SigninLogs")`, a helper taking a table name).
    for (const name of facts.tableNameLiterals) {
      if (!read.has(name.toLowerCase())) read.set(name.toLowerCase(), { name, start: 0, end: 0 });
    }
    const opaque =
      facts.functions.some((f) => f.name !== WATCHLIST_FUNCTION) ||
      facts.wildcards.length > 0 ||
      facts.diagnostics.some((d) => UNKNOWN_NAMES.has(d.code));
    if (opaque) return;
    for (const d of declared) {
      if ([...read.values()].some((t) => covers(d.table, t.name))) continue;
      ctx.report({
        range: ctx.rangeOf(d.path),
        message: `the data type '${d.text}' is declared, but the query never reads ${d.table === d.text.toLowerCase() ? "that table" : `the table ${d.text.replace(/\s*\(.*$/, "")}`}`,
        fix: "remove it, or query the table",
      });
    }
  },
};
