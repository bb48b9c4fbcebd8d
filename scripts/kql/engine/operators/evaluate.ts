// evaluate plugins: bag_unpack, pivot, narrow. Other plugins are unsupported.

import { type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import { checkRows } from "../context";
import { queryError, unsupported } from "../errors";
import { keyOf } from "../expressions/compare";
import { compileExpr, listItems, nameOf, scopeFor } from "../expressions/compile";
import { aggregateFunction } from "../functions/registry";
import { inferType, toDynamic, valueToString, type Column, type Json, type KustoType, type Table, type Value } from "../values";
import { emptyOf, type OpArgs } from "./common";
import { schemaColumns } from "./sources";

export function evaluate(args: OpArgs): Table {
  const call = child(args.node, "FunctionCall") as SyntaxElement;
  const name = nameOf(child(call, "Name"));
  const fargs = listItems(child(child(call, "ArgumentList") as SyntaxElement, "Expressions"));
  switch (name) {
    case "bag_unpack":
      return bagUnpack(args, fargs);
    case "pivot":
      return pivot(args, fargs, call);
    case "narrow":
      return narrow(args);
    default:
      throw unsupported(`evaluate plugin '${name}'`, call);
  }
}

function dynamicLeafType(values: Json[]): KustoType {
  let t: KustoType | undefined;
  for (const v of values) {
    if (v === null) continue;
    const vt: KustoType = typeof v === "boolean" ? "bool" : typeof v === "number" ? (Number.isInteger(v) ? "long" : "real") : typeof v === "string" ? "string" : "dynamic";
    if (t === undefined) t = vt;
    else if (t !== vt) {
      if ((t === "long" && vt === "real") || (t === "real" && vt === "long")) t = "real";
      else return "dynamic";
    }
  }
  return t ?? "dynamic";
}

function bagUnpack(args: OpArgs, fargs: SyntaxElement[]): Table {
  const { input, env, ctx, node } = args;
  const scope = scopeFor(input.columns, env, ctx);
  const col = compileExpr(fargs[0], scope);
  if (col.column === undefined) throw queryError("bag_unpack needs a column", fargs[0]);
  const prefix = fargs[1] ? String(compileExpr(fargs[1], scope).constant?.value ?? "") : "";
  const schemaClause = child(node, "OutputSchema") ?? child(node, "Schema");
  const declared = schemaClause ? schemaColumns(child(schemaClause, "Schema") ?? schemaClause) : undefined;
  const idx = col.column;
  const keys: string[] = [];
  const seen = new Set<string>();
  const bags = input.rows.map((r) => {
    let v = r[idx];
    if (typeof v === "string") {
      try {
        v = JSON.parse(v) as Value;
      } catch {
        v = null;
      }
    }
    const bag = v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, Json>) : {};
    for (const k of Object.keys(bag)) if (!seen.has(k)) {
      seen.add(k);
      keys.push(k);
    }
    return bag;
  });
  const base = input.columns.filter((_, i) => i !== idx);
  const baseIdx = input.columns.map((_, i) => i).filter((i) => i !== idx);
  const newCols: Column[] = declared
    ? declared.filter((c) => !base.some((b) => b.name === c.name))
    : keys.map((k) => ({ name: prefix + k, type: dynamicLeafType(bags.map((b) => b[k] ?? null)) }));
  const names = new Set(base.map((c) => c.name));
  for (const c of newCols) if (names.has(c.name)) throw queryError(`bag_unpack: column '${c.name}' already exists`, node);
  const columns = [...base, ...newCols];
  const rows = input.rows.map((r, ri) =>
    [
      ...baseIdx.map((i) => r[i]),
      ...newCols.map((c) => {
        const key = declared ? c.name : c.name.slice(prefix.length);
        const v = bags[ri][key];
        if (v === undefined || v === null) return emptyOf(c.type);
        return c.type === "string" && typeof v !== "string" ? JSON.stringify(v) : (v as Value);
      }),
    ],
  );
  return { columns, rows };
}

function pivot(args: OpArgs, fargs: SyntaxElement[], call: SyntaxElement): Table {
  const { input, env, ctx } = args;
  const scope = scopeFor(input.columns, env, ctx);
  const pivotCol = compileExpr(fargs[0], scope);
  if (pivotCol.column === undefined) throw queryError("pivot needs a column", fargs[0]);
  const aggNode = fargs[1];
  let aggName = "count";
  let aggArgs: SyntaxElement[] = [];
  if (aggNode) {
    aggName = nameOf(child(aggNode, "Name"));
    aggArgs = listItems(child(child(aggNode, "ArgumentList") as SyntaxElement, "Expressions"));
  }
  const fn = aggregateFunction(aggName);
  if (!fn && aggName !== "count") throw unsupported(`pivot aggregate '${aggName}'`, call);
  const argFns = aggArgs.map((a) => compileExpr(a, scope));
  const keyCols = fargs.slice(2).map((a) => compileExpr(a, scope));
  const keyIdx = keyCols.length
    ? keyCols.map((k) => k.column as number)
    : input.columns.map((_, i) => i).filter((i) => i !== pivotCol.column && !argFns.some((a) => a.column === i));
  const pivotValues: string[] = [];
  const seenPivot = new Set<string>();
  const groups = new Map<string, { keys: Value[]; states: Map<string, { add(a: Value[]): void; result(): Value }> }>();
  const resultType: KustoType = aggName === "count" ? "long" : (argFns[0]?.type ?? "long");
  for (const [i, r] of input.rows.entries()) {
    const pv = valueToString(r[pivotCol.column], input.columns[pivotCol.column].type);
    if (!seenPivot.has(pv)) {
      seenPivot.add(pv);
      pivotValues.push(pv);
    }
    const keys = keyIdx.map((k) => r[k]);
    const gk = JSON.stringify(keys.map(keyOf));
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { keys, states: new Map() }));
    let st = g.states.get(pv);
    if (!st) {
      if (aggName === "count") {
        let n = 0;
        st = { add: () => void n++, result: () => n };
      } else {
        st = (fn as NonNullable<typeof fn>).create({ now: ctx.now, resultType, argTypes: argFns.map((a) => a.type) });
      }
      g.states.set(pv, st);
    }
    st.add(argFns.map((a) => a.fn(r, i, input.rows)));
  }
  checkRows(ctx, groups.size, "pivot");
  const columns: Column[] = [
    ...keyIdx.map((k) => input.columns[k]),
    ...pivotValues.map((p) => ({ name: p, type: resultType })),
  ];
  const rows = [...groups.values()].map((g) => [
    ...g.keys,
    ...pivotValues.map((p) => {
      const st = g.states.get(p);
      return st ? st.result() : aggName === "count" || aggName === "sum" ? 0 : null;
    }),
  ]);
  return { columns, rows };
}

function narrow({ input }: OpArgs): Table {
  const rows: Value[][] = [];
  input.rows.forEach((r, i) => {
    input.columns.forEach((c, k) => {
      rows.push([i, c.name, valueToString(toDynamic(r[k], c.type) as Value, c.type === "dynamic" ? "dynamic" : inferType(r[k]) === "dynamic" ? "dynamic" : c.type)]);
    });
  });
  return {
    columns: [
      { name: "Row", type: "int" },
      { name: "Column", type: "string" },
      { name: "Value", type: "string" },
    ],
    rows,
  };
}
