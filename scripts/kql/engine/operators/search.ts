// search: rows where any column (or a named column, `Col:"term"`) matches a term.
// A bare string is matched like `has` ("err"), with `*` wildcards meaning contains/prefix/suffix
// ("*err*", "err*", "*err"); kind=case_sensitive makes every match case-sensitive.

import { kindOf, type SyntaxElement } from "../../kusto";
import { checkRows, type Env, type RunContext } from "../context";
import { unsupported } from "../errors";
import {
  compileExpr,
  listItems,
  nameOf,
  scopeFor,
  tabular,
  type Compiled,
} from "../expressions/compile";
import * as S from "../expressions/strings";
import { child } from "../syntax";
import { valueToString, type Table } from "../values";
import { namedParameter } from "./common";
import { unionTables, type NamedTable } from "./union";

/** A term test: `has` for a plain term, contains/prefix/suffix for wildcard forms. */
export function termMatcher(term: string, caseSensitive: boolean): (text: string) => boolean {
  const lead = term.startsWith("*");
  const trail = term.endsWith("*") && term.length > 1;
  const core = term.replace(/^\*/, "").replace(/\*$/, "");
  if (core.includes("*")) {
    const re = new RegExp(
      core
        .split("*")
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*"),
      caseSensitive ? "" : "i",
    );
    return (t) => re.test(t);
  }
  if (lead && trail)
    return caseSensitive ? (t) => S.containsCs(t, core) : (t) => S.contains(t, core);
  if (trail) return caseSensitive ? (t) => S.hasPrefixCs(t, core) : (t) => S.hasPrefix(t, core);
  if (lead) return caseSensitive ? (t) => S.hasSuffixCs(t, core) : (t) => S.hasSuffix(t, core);
  return caseSensitive ? (t) => S.hasCs(t, core) : (t) => S.has(t, core);
}

export function search(
  node: SyntaxElement,
  input: Table | undefined,
  env: Env,
  ctx: RunContext,
  allTables: () => NamedTable[],
): Table {
  const caseSensitive = (namedParameter(node, "kind") ?? "").toLowerCase() === "case_sensitive";
  let parts: NamedTable[];
  let source: string | undefined;
  const inClause = child(node, "InClause");
  if (input) parts = [{ name: "", table: input }];
  else {
    source = "$table";
    parts = inClause
      ? listItems(child(inClause, "Expressions")).map((e) => ({
          name: kindOf(e) === "NameReference" ? nameOf(e) : "",
          table: tabular(e, env, ctx),
        }))
      : allTables();
  }
  const table =
    parts.length === 1 && !source ? parts[0].table : unionTables(parts, "outer", source, node, ctx);
  const condition = child(node, "Condition") as SyntaxElement;
  const scope = { ...scopeFor(table.columns, env, ctx), searchTerms: { caseSensitive } };
  const test: Compiled = compileExpr(condition, scope);
  const rows = table.rows.filter((r, i) => test.fn(r, i, table.rows) === true);
  checkRows(ctx, rows.length, "search");
  return { columns: table.columns, rows };
}

/** Compiles a bare search term (a string literal typed bool) into an any-column test. */
export function compileSearchTerm(
  term: string,
  columns: Table["columns"],
  caseSensitive: boolean,
): Compiled {
  const match = termMatcher(term, caseSensitive);
  return {
    fn: (r) => {
      for (let k = 0; k < columns.length; k++) {
        const v = r[k];
        if (v === null || v === "") continue;
        if (match(valueToString(v, columns[k].type))) return true;
      }
      return false;
    },
    type: "bool",
  };
}

export function unsupportedFind(node: SyntaxElement): never {
  throw unsupported("operator 'find'", node);
}
