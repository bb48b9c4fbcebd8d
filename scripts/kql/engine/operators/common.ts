// Helpers shared by the tabular operators.

import { kindOf, toArray, type KColumnSymbol, type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import type { Env, RunContext } from "../context";
import { listItems, nameOf } from "../expressions/compile";
import { kustoType, type Column, type KustoType, type Table, type Value } from "../values";

/** What every operator receives. */
export interface OpArgs {
  node: SyntaxElement;
  input: Table;
  env: Env;
  ctx: RunContext;
}

/** The column names and types Kusto.Language computed for an operator's result, if any. */
export function analysedColumns(node: SyntaxElement): Column[] | undefined {
  const rt = node.ResultType;
  if (!rt || !rt.Columns) return undefined;
  return toArray(rt.Columns).map((c: KColumnSymbol) => ({
    name: c.Name,
    type: kustoType(c.Type?.Name ?? "") ?? "dynamic",
  }));
}

/**
 * Names the columns an operator produced after Kusto.Language's analysis when it agrees on
 * their number (it knows Kusto's naming rules: `print_0`, `count_`, `Column1`, join suffixes);
 * otherwise keeps the engine's own names.
 */
export function nameLike(node: SyntaxElement, columns: Column[]): Column[] {
  const a = analysedColumns(node);
  if (!a || a.length !== columns.length || a.some((c) => !c.name)) return columns;
  // Names are taken by position, so both sides must agree on the order: a column the engine
  // has at one place and Kusto.Language at another means the shapes differ, and renaming
  // would put names over the wrong values.
  // (A repeated name the engine left for Kusto.Language to number, `x` → `x1`, is no such sign.)
  const analysedAt = new Map(a.map((c, i) => [c.name, i]));
  const misplaced = columns.some((c, i) => {
    if (c.name === a[i].name) return false;
    const j = analysedAt.get(c.name);
    return j !== undefined && columns[j].name !== c.name;
  });
  if (misplaced) return columns;
  return columns.map((c, i) => ({ name: a[i].name, type: c.type }));
}

/** The value of a NamedParameter (`kind=inner`, `withsource=S`) on an operator, lowercased. */
export function namedParameter(node: SyntaxElement, name: string): string | undefined {
  const params = child(node, "Parameters");
  for (const p of listItems(params)) {
    if (kindOf(p) !== "NamedParameter") continue;
    if (nameOf(child(p, "Name")).toLowerCase() !== name.toLowerCase()) continue;
    const e = child(p, "Expression");
    if (!e) return "";
    const tok = child(e, "Token");
    if (tok?.Text !== undefined) return tok.ValueText ?? tok.Text;
    return nameOf(e) || (e.LiteralValue !== undefined ? String(e.LiteralValue) : "");
  }
  return undefined;
}

/** Unique name: `name`, else `name1`, `name2`… (Kusto's rule for clashing columns). */
export function uniqueName(name: string, taken: Set<string>): string {
  if (!taken.has(name)) return name;
  for (let i = 1; ; i++) {
    const n = `${name}${i}`;
    if (!taken.has(n)) return n;
  }
}

export function indexOfColumn(columns: Column[], name: string): number {
  return columns.findIndex((c) => c.name === name);
}

/** The empty value of a type: "" for strings (Kusto has no null string), null otherwise. */
export function emptyOf(type: KustoType): Value {
  return type === "string" ? "" : null;
}

export function table(columns: Column[], rows: Value[][]): Table {
  return { columns, rows };
}
