// sort/order by and top. Kusto's defaults: descending; nulls last when descending and first
// when ascending. The sort is stable.

import { kindOf, type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import { checkTime } from "../context";
import { compareValues } from "../expressions/compare";
import { compileExpr, listItems, scopeFor, type Scope } from "../expressions/compile";
import type { Table, Value } from "../values";
import type { OpArgs } from "./common";
import { countArgument } from "./where";

interface SortKey {
  fn: (row: Value[], i: number, rows: Value[][]) => Value;
  desc: boolean;
  nullsFirst: boolean;
}

export function sortKey(item: SyntaxElement, scope: Scope): SortKey {
  let expr = item;
  let desc = true;
  let nullsFirst: boolean | undefined;
  if (kindOf(item) === "OrderedExpression") {
    expr = child(item, "Expression") as SyntaxElement;
    const ord = child(item, "Ordering");
    if (ord) {
      const dir = child(ord, "AscOrDescKeyword");
      if (dir) desc = kindOf(dir) !== "AscKeyword";
      const nulls = child(ord, "NullsClause");
      if (nulls)
        nullsFirst = kindOf(child(nulls, "FirstOrLastKeyword") as SyntaxElement) === "FirstKeyword";
    }
  }
  const c = compileExpr(expr, scope);
  return { fn: c.fn, desc, nullsFirst: nullsFirst ?? !desc };
}

export function sortRows(rows: Value[][], keys: SortKey[], scope: Scope): Value[][] {
  const n = rows.length;
  const values: Value[][] = keys.map((k) => {
    const out: Value[] = new Array(n);
    for (let i = 0; i < n; i++) {
      checkTime(scope.ctx);
      out[i] = k.fn(rows[i], i, rows);
    }
    return out;
  });
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const x = values[k][a];
      const y = values[k][b];
      const xn = x === null;
      const yn = y === null;
      if (xn || yn) {
        if (xn && yn) continue;
        return xn === keys[k].nullsFirst ? -1 : 1;
      }
      const c = compareValues(x, y);
      if (c !== 0) return keys[k].desc ? -c : c;
    }
    return a - b;
  });
  return order.map((i) => rows[i]);
}

export function sort({ node, input, env, ctx }: OpArgs): Table {
  const scope = scopeFor(input.columns, env, ctx);
  const keys = listItems(child(node, "Expressions")).map((e) => sortKey(e, scope));
  return { columns: input.columns, rows: sortRows(input.rows, keys, scope) };
}

export function top(args: OpArgs): Table {
  const { node, input, env, ctx } = args;
  const n = countArgument(args);
  const scope = scopeFor(input.columns, env, ctx);
  const key = sortKey(child(node, "ByExpression") as SyntaxElement, scope);
  return { columns: input.columns, rows: sortRows(input.rows, [key], scope).slice(0, n) };
}
