// top-nested: hierarchical top-N by an aggregate, one level per clause.
//
// `with others = C` adds, per group, one record for the rows outside the level's top N: its key
// is C and its aggregate is over those rows. As Kusto's documented StormEvents example shows,
// a level without `with others` still gets such a record (key and aggregate null) when a deeper
// level has one; the deeper levels of an others record hold their own C and the aggregate over
// the same rows. Others records follow the top rows, the deepest level's first.

import { kindOf, type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import { unsupported } from "../errors";
import { compareValues, keyOf } from "../expressions/compare";
import {
  analysedType,
  compileExpr,
  listItems,
  nameOf,
  scopeFor,
  type Compiled,
} from "../expressions/compile";
import { aggregateFunction } from "../functions/registry";
import type { Column, KustoType, Table, Value } from "../values";
import { nameLike, type OpArgs } from "./common";

interface Level {
  n: number;
  of: Compiled;
  ofName: string;
  aggName: string;
  agg: (rows: Value[][]) => Value;
  aggType: KustoType;
  desc: boolean;
  /** The `with others` key, when the clause has one. */
  others?: { value: Value };
}

export function topNested({ node, input, env, ctx }: OpArgs): Table {
  const scope = scopeFor(input.columns, env, ctx);
  const levels: Level[] = listItems(child(node, "Clauses")).map((clause) => {
    const withOthers = child(clause, "WithOthersClause");
    let others: { value: Value } | undefined;
    if (withOthers) {
      const c = compileExpr(child(withOthers, "Expression") as SyntaxElement, scope).constant;
      if (!c) throw unsupported("top-nested … with others of a non-constant value", withOthers);
      others = { value: c.value };
    }
    const nExpr = child(clause, "Expression");
    const n = nExpr ? (compileExpr(nExpr, scope).constant?.value as number) : Infinity;
    let ofNode = child(clause, "OfExpression") as SyntaxElement;
    let ofName: string | undefined;
    if (kindOf(ofNode) === "SimpleNamedExpression") {
      ofName = nameOf(child(ofNode, "Name"));
      ofNode = child(ofNode, "Expression") as SyntaxElement;
    }
    const of = compileExpr(ofNode, scope);
    let byNode = child(clause, "ByExpression") as SyntaxElement;
    let desc = true;
    if (kindOf(byNode) === "OrderedExpression") {
      const ord = child(byNode, "Ordering");
      if (ord && kindOf(child(ord, "AscOrDescKeyword") as SyntaxElement) === "AscKeyword")
        desc = false;
      byNode = child(byNode, "Expression") as SyntaxElement;
    }
    let aggName: string | undefined;
    if (kindOf(byNode) === "SimpleNamedExpression") {
      aggName = nameOf(child(byNode, "Name"));
      byNode = child(byNode, "Expression") as SyntaxElement;
    }
    const fname = nameOf(child(byNode, "Name"));
    const args = listItems(
      child(child(byNode, "ArgumentList") as SyntaxElement, "Expressions"),
    ).map((a) => compileExpr(a, scope));
    const fn = aggregateFunction(fname);
    if (!fn && fname !== "count") throw unsupported(`top-nested aggregate '${fname}'`, byNode);
    const cctx = {
      now: ctx.now,
      resultType: analysedType(byNode) ?? "long",
      argTypes: args.map((a) => a.type),
    };
    const agg = (rows: Value[][]): Value => {
      if (fname === "count" && args.length === 0) return rows.length;
      const st = (fn as NonNullable<typeof fn>).create(cctx);
      rows.forEach((r, i) => st.add(args.map((a) => a.fn(r, i, rows))));
      return st.result() as Value;
    };
    const name = ofName ?? (of.column !== undefined ? input.columns[of.column].name : `Column`);
    return {
      n,
      of,
      ofName: name,
      aggName: aggName ?? `aggregated_${name}`,
      agg,
      aggType: cctx.resultType,
      desc,
      others,
    };
  });
  const columns: Column[] = [];
  for (const l of levels) {
    columns.push({ name: l.ofName, type: l.of.type });
    columns.push({ name: l.aggName, type: l.aggType });
  }
  // othersBelow[d]: some level at depth d or deeper has `with others`.
  const othersBelow = levels.map((_, d) => levels.slice(d).some((l) => l.others));
  const out: Value[][] = [];
  const othersRows: Value[][][] = levels.map(() => []);
  const recurse = (rows: Value[][], depth: number, prefix: Value[]) => {
    if (depth === levels.length) {
      out.push(prefix);
      return;
    }
    const l = levels[depth];
    const groups = new Map<Value, { key: Value; rows: Value[][] }>();
    rows.forEach((r, i) => {
      const v = l.of.fn(r, i, rows);
      const k = keyOf(v);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { key: v, rows: [] }));
      g.rows.push(r);
    });
    const ranked = [...groups.values()].map((g) => ({ ...g, value: l.agg(g.rows) }));
    ranked.sort(
      (a, b) => (l.desc ? -1 : 1) * compareValues(a.value ?? -Infinity, b.value ?? -Infinity),
    );
    for (const g of ranked.slice(0, l.n)) recurse(g.rows, depth + 1, [...prefix, g.key, g.value]);
    const rest = ranked.slice(l.n);
    if (!othersBelow[depth] || rest.length === 0) return;
    const restRows = rest.flatMap((g) => g.rows);
    const record = [...prefix];
    for (const lv of levels.slice(depth))
      record.push(...(lv.others ? [lv.others.value, lv.agg(restRows)] : [null, null]));
    othersRows[depth].push(record);
  };
  recurse(input.rows, 0, []);
  for (let d = levels.length - 1; d >= 0; d--) out.push(...othersRows[d]);
  return { columns: nameLike(node, columns), rows: out };
}
