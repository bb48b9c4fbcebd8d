// Operators that start a pipeline from nothing: datatable, print, range.

import { kindOf, type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import type { Env, RunContext } from "../context";
import { checkRows } from "../context";
import { queryError } from "../errors";
import {
  compileExpr,
  listItems,
  nameOf,
  scopeFor,
  spreadTuple,
  tupleColumns,
  compoundNames,
} from "../expressions/compile";
import {
  kustoType,
  valueFromInput,
  type Column,
  type KustoType,
  type Table,
  type Value,
} from "../values";
import { analysedColumns, nameLike } from "./common";

function textOf(e: SyntaxElement | undefined): string {
  if (!e) return "";
  if (e.IsToken) return e.Text ?? "";
  let s = "";
  for (let i = 0; i < e.ChildCount; i++) {
    const c = e.GetChild(i);
    if (c) s += textOf(c);
  }
  return s;
}

/** The columns of a `(a:string, b:long)` schema. */
export function schemaColumns(schema: SyntaxElement | undefined): Column[] {
  return listItems(child(schema as SyntaxElement, "Columns")).map((decl) => {
    const typeText = textOf(child(decl, "Type")).trim();
    const type = kustoType(typeText);
    if (!type) throw queryError(`unknown column type '${typeText}'`, decl);
    return { name: nameOf(child(decl, "Name")), type };
  });
}

/** Converts a literal to a column's type as datatable does (`1` in a real column is 1.0). */
export function castTo(v: Value, from: KustoType, to: KustoType): Value {
  if (v === null) return to === "string" ? "" : null;
  if (from === to) return v;
  if (to === "dynamic") return v;
  if (to === "string") return typeof v === "string" ? v : JSON.stringify(v);
  if (typeof v === "string" || typeof v === "object") {
    try {
      return valueFromInput(v, to);
    } catch {
      return null;
    }
  }
  return v;
}

export function datatable(node: SyntaxElement, env: Env, ctx: RunContext): Table {
  const columns = schemaColumns(child(node, "Schema"));
  const scope = scopeFor([], env, ctx);
  const values = listItems(child(node, "Values"));
  const width = columns.length;
  if (width === 0) return { columns, rows: [] };
  if (values.length % width !== 0) {
    throw queryError(
      `datatable: ${values.length} values do not fill rows of ${width} columns`,
      node,
    );
  }
  const rows: Value[][] = [];
  for (let i = 0; i < values.length; i += width) {
    const row: Value[] = new Array(width);
    for (let k = 0; k < width; k++) {
      const c = compileExpr(values[i + k], scope);
      if (!c.constant) throw queryError("datatable values must be constants", values[i + k]);
      row[k] = castTo(c.constant.value, c.type, columns[k].type);
    }
    rows.push(row);
  }
  checkRows(ctx, rows.length, "datatable");
  return { columns, rows };
}

export function print(node: SyntaxElement, env: Env, ctx: RunContext): Table {
  const scope = scopeFor([], env, ctx);
  const analysed = analysedColumns(node);
  const items = listItems(child(node, "Expressions"));
  const columns: Column[] = [];
  const row: Value[] = [];
  items.forEach((item, i) => {
    let expr = item;
    let name = analysed?.[i]?.name ?? `print_${i}`;
    // `(a, b) = f(…)` names the results of a function with several; unnamed, they take
    // Kusto.Language's names.
    let names: string[] | undefined;
    if (kindOf(item) === "SimpleNamedExpression") {
      const declared = nameOf(child(item, "Name"));
      if (declared) name = declared;
      expr = child(item, "Expression") as SyntaxElement;
    } else if (kindOf(item) === "CompoundNamedExpression") {
      names = compoundNames(item);
      expr = child(item, "Expression") as SyntaxElement;
    }
    const c = compileExpr(expr, scope);
    const tuple = expr === item || names ? tupleColumns(expr) : undefined;
    if (tuple) {
      spreadTuple(c, tuple.length, expr).forEach((part, k) => {
        if (names && k >= names.length) return;
        columns.push({ name: names?.[k] ?? tuple[k].name, type: tuple[k].type });
        row.push(part.fn([], 0, []));
      });
      return;
    }
    columns.push({ name, type: c.type });
    row.push(c.fn([], 0, []));
  });
  return { columns: nameLike(node, columns), rows: [row] };
}

export function range(node: SyntaxElement, env: Env, ctx: RunContext): Table {
  const scope = scopeFor([], env, ctx);
  const name = nameOf(child(node, "Name"));
  const from = compileExpr(child(node, "From") as SyntaxElement, scope);
  const to = compileExpr(child(node, "To") as SyntaxElement, scope);
  const step = compileExpr(child(node, "Step") as SyntaxElement, scope);
  const a = from.fn([], 0, []);
  const b = to.fn([], 0, []);
  const s = step.fn([], 0, []);
  const type = from.type;
  if (typeof a !== "number" || typeof b !== "number" || typeof s !== "number") {
    return { columns: [{ name, type }], rows: [] };
  }
  if (s === 0) throw queryError("range: step must not be zero", node);
  // The epsilon keeps `range x from 0 to 0.3 step 0.1` from losing its end to rounding.
  const count = Math.floor((b - a) / s + 1e-9) + 1;
  if (count <= 0) return { columns: [{ name, type }], rows: [] };
  checkRows(ctx, count, "range");
  const rows: Value[][] = new Array(count);
  for (let i = 0; i < count; i++) rows[i] = [a + i * s];
  return { columns: nameLike(node, [{ name, type }]), rows };
}
