// make-series: per group, one array per aggregate over a regular axis (from/to/step).

import { kindOf, type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import { checkRows, checkTime } from "../context";
import { queryError, unsupported } from "../errors";
import { keyOf } from "../expressions/compare";
import {
  analysedType,
  compileExpr,
  listItems,
  nameOf,
  scopeFor,
  type Compiled,
} from "../expressions/compile";
import { aggregateFunction, type AggregateState } from "../functions/registry";
import {
  binFloor,
  toDynamic,
  type Column,
  type Json,
  type KustoType,
  type Table,
  type Value,
} from "../values";
import { nameLike, type OpArgs } from "./common";

interface SeriesAgg {
  name: string;
  create: () => AggregateState;
  args: Compiled[];
  def: Value;
  type: KustoType;
}

export function makeSeries({ node, input, env, ctx }: OpArgs): Table {
  const scope = scopeFor(input.columns, env, ctx);
  const aggs: SeriesAgg[] = listItems(child(node, "Aggregates")).map((item) => {
    let expr = child(item, "Expression") as SyntaxElement;
    let name: string | undefined;
    if (kindOf(expr) === "SimpleNamedExpression") {
      name = nameOf(child(expr, "Name"));
      expr = child(expr, "Expression") as SyntaxElement;
    }
    if (kindOf(expr) !== "FunctionCallExpression")
      throw unsupported("make-series expression that is not an aggregate call", expr);
    const fname = nameOf(child(expr, "Name"));
    const argNodes = listItems(child(child(expr, "ArgumentList") as SyntaxElement, "Expressions"));
    const args = argNodes.map((a) => compileExpr(a, scope));
    const type = analysedType(expr) ?? "long";
    const defClause = child(item, "DefaultExpression");
    const def = defClause
      ? compileExpr(child(defClause, "Expression") as SyntaxElement, scope).fn([], 0, [])
      : 0;
    let create: () => AggregateState;
    if (fname === "count" && args.length === 0) {
      create = () => {
        let n = 0;
        return { add: () => void n++, result: () => n };
      };
    } else {
      const fn = aggregateFunction(fname);
      if (!fn) throw unsupported(`aggregate function '${fname}()'`, expr);
      const cctx = { now: ctx.now, resultType: type, argTypes: args.map((a) => a.type) };
      create = () => fn.create(cctx);
    }
    return {
      name:
        name ??
        `${fname}_${args[0]?.column !== undefined ? input.columns[args[0].column as number].name : ""}`,
      create,
      args,
      def,
      type,
    };
  });
  const onClause = child(node, "OnClause") as SyntaxElement;
  const axis = compileExpr(child(onClause, "Expression") as SyntaxElement, scope);
  const axisName =
    axis.column !== undefined
      ? input.columns[axis.column].name
      : nameOf(child(onClause, "Expression"));
  const rangeClause = child(node, "RangeClause") as SyntaxElement;
  let from: Value = null;
  let to: Value = null;
  let step: Value = null;
  const constOf = (e: SyntaxElement | undefined) =>
    e ? compileExpr(child(e, "Expression") ?? e, scope).fn([], 0, []) : null;
  if (kindOf(rangeClause) === "MakeSeriesFromToStepClause") {
    from = constOf(child(rangeClause, "MakeSeriesFromClause"));
    to = constOf(child(rangeClause, "MakeSeriesToClause"));
    step = constOf(child(rangeClause, "MakeSeriesStepClause"));
  } else if (kindOf(rangeClause) === "MakeSeriesInRangeClause") {
    const parts = listItems(
      child(rangeClause, "Expressions") ??
        child(child(rangeClause, "Arguments") as SyntaxElement, "Expressions"),
    );
    [from, to, step] = parts.map((p) => compileExpr(p, scope).fn([], 0, []));
  } else throw unsupported("make-series range form", rangeClause);
  if (typeof step !== "number" || step <= 0)
    throw queryError("make-series needs a positive step", node);
  const axisValues = input.rows
    .map((r, i) => axis.fn(r, i, input.rows))
    .filter((v): v is number => typeof v === "number");
  // Without from/to the axis spans the data, aligned to the step; `in range(a, b, step)`
  // includes b, `from a to b` does not.
  const inclusiveEnd = kindOf(rangeClause) === "MakeSeriesInRangeClause";
  let lowest = Infinity;
  let highest = -Infinity;
  for (const v of axisValues) {
    if (v < lowest) lowest = v;
    if (v > highest) highest = v;
  }
  if (!axisValues.length) lowest = 0;
  const start = typeof from === "number" ? from : binFloor(lowest, step, axis.type);
  const end =
    typeof to === "number"
      ? to + (inclusiveEnd ? step : 0)
      : axisValues.length
        ? binFloor(highest, step, axis.type) + step
        : start;
  const bins = Math.max(0, Math.ceil((end - start) / step));
  checkRows(ctx, bins, "make-series");
  const byItems = listItems(child(child(node, "ByClause") as SyntaxElement, "Expressions"));
  const by = byItems.map((b) => {
    if (kindOf(b) === "SimpleNamedExpression")
      return {
        name: nameOf(child(b, "Name")),
        c: compileExpr(child(b, "Expression") as SyntaxElement, scope),
      };
    const c = compileExpr(b, scope);
    return { name: c.column !== undefined ? input.columns[c.column].name : nameOf(b), c };
  });
  const groups = new Map<string, { keys: Value[]; cells: Map<number, AggregateState[]> }>();
  input.rows.forEach((r, i) => {
    checkTime(ctx);
    const t = axis.fn(r, i, input.rows);
    if (typeof t !== "number" || t < start || t >= end) {
      const keys = by.map((b) => b.c.fn(r, i, input.rows));
      const gk = JSON.stringify(keys.map(keyOf));
      if (!groups.has(gk)) groups.set(gk, { keys, cells: new Map() });
      return;
    }
    const bin = Math.floor((t - start) / step);
    const keys = by.map((b) => b.c.fn(r, i, input.rows));
    const gk = JSON.stringify(keys.map(keyOf));
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { keys, cells: new Map() }));
    let states = g.cells.get(bin);
    if (!states) g.cells.set(bin, (states = aggs.map((a) => a.create())));
    states.forEach((s, k) => s.add(aggs[k].args.map((a) => a.fn(r, i, input.rows))));
  });
  const axisType = axis.type;
  const axisArray: Json[] = Array.from({ length: bins }, (_, k) =>
    toDynamic(start + k * step, axisType),
  );
  const columns: Column[] = [
    ...by.map((b) => ({ name: b.name, type: b.c.type })),
    ...aggs.map((a) => ({ name: a.name, type: "dynamic" as KustoType })),
    { name: axisName, type: "dynamic" },
  ];
  const rows = [...groups.values()].map((g) => [
    ...g.keys,
    ...aggs.map((a, k) =>
      Array.from({ length: bins }, (_, b) => {
        const st = g.cells.get(b);
        return toDynamic(st ? (st[k].result() as Value) : a.def, a.type) as Json;
      }),
    ),
    axisArray,
  ]);
  return { columns: nameLike(node, columns), rows };
}
