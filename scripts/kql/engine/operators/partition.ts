// partition (subquery per value of a column), top-hitters (exact, so a valid answer to the
// approximate operator) and sample-distinct (the first distinct values: a valid sample).

import { kindOf, type SyntaxElement } from "../../kusto";
import { checkRows, checkTime, type Env } from "../context";
import { queryError, unsupported } from "../errors";
import { compareValues, keyOf } from "../expressions/compare";
import { compileExpr, nameOf, scopeFor } from "../expressions/compile";
import { child } from "../syntax";
import type { Column, Table, Value } from "../values";
import { nameLike, type OpArgs } from "./common";
import { unionTables } from "./union";
import { countArgument } from "./where";

export type SubqueryRunner = (subquery: SyntaxElement, input: Table, env: Env) => Table;
/** Evaluates a tabular expression with its own source in an environment. */
export type QueryRunner = (query: SyntaxElement, env: Env) => Table;

// The legacy strategy (the `{ query }` form) refuses more partitions than this.
const LEGACY_MAX_PARTITIONS = 64;

export function partition(args: OpArgs, runSubquery: SubqueryRunner, runQuery: QueryRunner): Table {
  const { node, input, env, ctx } = args;
  const operand = child(node, "Operand") as SyntaxElement;
  const byNode = child(node, "ByExpression") as SyntaxElement;
  const key = compileExpr(byNode, scopeFor(input.columns, env, ctx));
  const groups = new Map<Value, { value: Value; rows: Value[][] }>();
  input.rows.forEach((r, i) => {
    checkTime(ctx);
    const value = key.fn(r, i, input.rows);
    const k = keyOf(value);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { value, rows: [] }));
    g.rows.push(r);
  });
  if (kindOf(operand) === "PartitionQuery") {
    // `partition by k { Source | … }`: the query brings its own source and sees the key as a
    // scalar named after the column (`k` or `toscalar(k)`), once per distinct value.
    if (groups.size > LEGACY_MAX_PARTITIONS)
      throw queryError(
        `partition { … } takes at most ${LEGACY_MAX_PARTITIONS} partitions; the key has ${groups.size} values (use the subquery form, partition by k ( … ))`,
        node,
      );
    const query = child(operand, "Query") as SyntaxElement;
    const keyName = key.column !== undefined ? input.columns[key.column].name : nameOf(byNode);
    const bound = (value: Value): Env => ({
      vars: new Map([[keyName, { kind: "scalar", value, type: key.type }]]),
      parent: env,
    });
    const parts = [...groups.values()].map((g) => ({
      name: "",
      table: runQuery(query, bound(g.value)),
    }));
    if (parts.length === 0) return { columns: runQuery(query, bound(null)).columns, rows: [] };
    return unionTables(parts, "outer", undefined, node, ctx);
  }
  if (kindOf(operand) !== "PartitionSubquery")
    throw unsupported(`partition operand '${kindOf(operand)}'`, node);
  const sub = child(operand, "Subquery") as SyntaxElement;
  const parts = [...groups.values()].map((g) => ({
    name: "",
    table: runSubquery(sub, { columns: input.columns, rows: g.rows }, env),
  }));
  if (parts.length === 0) return runSubquery(sub, { columns: input.columns, rows: [] }, env);
  return unionTables(parts, "outer", undefined, node, ctx);
}

export function topHitters(args: OpArgs): Table {
  const { node, input, env, ctx } = args;
  const n = countArgument(args);
  const scope = scopeFor(input.columns, env, ctx);
  const ofNode = child(node, "OfExpression") as SyntaxElement;
  const of = compileExpr(ofNode, scope);
  const byExpr = child(child(node, "ByClause"), "Expression");
  const weight = byExpr ? compileExpr(byExpr, scope) : undefined;
  const totals = new Map<Value, { value: Value; total: number }>();
  input.rows.forEach((r, i) => {
    checkTime(ctx);
    const v = of.fn(r, i, input.rows);
    const k = keyOf(v);
    const w = weight ? weight.fn(r, i, input.rows) : 1;
    let t = totals.get(k);
    if (!t) totals.set(k, (t = { value: v, total: 0 }));
    if (typeof w === "number") t.total += w;
  });
  const ranked = [...totals.values()].sort(
    (a, b) => b.total - a.total || compareValues(a.value, b.value),
  );
  const ofName = of.column !== undefined ? input.columns[of.column].name : nameOf(ofNode);
  const columns: Column[] = [
    { name: ofName, type: of.type },
    {
      name: weight
        ? `sum_${weight.column !== undefined ? input.columns[weight.column].name : ""}`
        : "approximate_count_" + ofName,
      type: weight ? weight.type : "long",
    },
  ];
  return {
    columns: nameLike(node, columns),
    rows: ranked.slice(0, n).map((t) => [t.value, t.total]),
  };
}

export function sampleDistinct(args: OpArgs): Table {
  const { node, input, env, ctx } = args;
  const n = countArgument(args);
  const ofNode = child(node, "OfExpression") as SyntaxElement;
  const of = compileExpr(ofNode, scopeFor(input.columns, env, ctx));
  const seen = new Set<Value>();
  const rows: Value[][] = [];
  for (let i = 0; i < input.rows.length && rows.length < n; i++) {
    const v = of.fn(input.rows[i], i, input.rows);
    const k = keyOf(v);
    if (seen.has(k)) continue;
    seen.add(k);
    rows.push([v]);
  }
  checkRows(ctx, rows.length, "sample-distinct");
  const name = of.column !== undefined ? input.columns[of.column].name : nameOf(ofNode);
  return { columns: nameLike(node, [{ name, type: of.type }]), rows };
}
