// evaluate plugins: bag_unpack, pivot, narrow, ipv4/ipv6_lookup, rows_near, basket (basket.ts),
// sliding_window_counts, rolling_percentile, geo lookups. Other plugins are unsupported.

import { kindOf, type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import { checkRows, checkTime } from "../context";
import { queryError, unsupported } from "../errors";
import { keyOf } from "../expressions/compare";
import {
  compileExpr,
  listItems,
  nameOf,
  scopeFor,
  tabular,
  type Compiled,
} from "../expressions/compile";
import { aggregateFunction } from "../functions/registry";
import { geoLineLookup, geoPolygonLookup } from "../functions/geo-lookup";
import { parseIpv4, parseIpv6 } from "../functions/ip";
import {
  binFloor,
  inferType,
  toDynamic,
  valueToString,
  type Column,
  type Json,
  type KustoType,
  type Table,
  type Value,
} from "../values";
import { emptyOf, type OpArgs } from "./common";
import { basket } from "./basket";
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
    case "ipv4_lookup":
      return ipv4Lookup(args, fargs);
    case "ipv6_lookup":
      return ipv6Lookup(args, fargs);
    case "rows_near":
      return rowsNear(args, fargs);
    case "basket":
      return basket(args, fargs);
    case "sliding_window_counts":
      return slidingWindowCounts(args, fargs);
    case "rolling_percentile":
      return rollingPercentile(args, fargs);
    case "geo_polygon_lookup":
      return geoPolygonLookup(args, fargs);
    case "geo_line_lookup":
      return geoLineLookup(args, fargs);
    default:
      throw unsupported(`evaluate plugin '${name}'`, call);
  }
}

function dynamicLeafType(values: Json[]): KustoType {
  let t: KustoType | undefined;
  for (const v of values) {
    if (v === null) continue;
    const vt: KustoType =
      typeof v === "boolean"
        ? "bool"
        : typeof v === "number"
          ? Number.isInteger(v)
            ? "long"
            : "real"
          : typeof v === "string"
            ? "string"
            : "dynamic";
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
  const named = new Map<string, Value>();
  const positional: SyntaxElement[] = [];
  for (const a of fargs) {
    if (kindOf(a) === "SimpleNamedExpression") {
      named.set(
        nameOf(child(a, "Name")),
        compileExpr(child(a, "Expression") as SyntaxElement, scope).constant?.value ?? null,
      );
    } else positional.push(a);
  }
  const col = compileExpr(positional[0], scope);
  if (col.column === undefined) throw queryError("bag_unpack needs a column", positional[0]);
  const prefix = positional[1]
    ? String(compileExpr(positional[1], scope).constant?.value ?? "")
    : "";
  const conflict = String(named.get("columnsConflict") ?? "error");
  const ignored = new Set<string>(
    Array.isArray(named.get("ignoredProperties"))
      ? (named.get("ignoredProperties") as string[])
      : [],
  );
  const schemaClause = child(node, "OutputSchema") ?? child(node, "Schema");
  const declared = schemaClause
    ? schemaColumns(child(schemaClause, "Schema") ?? schemaClause)
    : undefined;
  const idx = col.column;
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
    const bag =
      v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, Json>) : {};
    for (const k of Object.keys(bag)) if (!ignored.has(k)) seen.add(k);
    return bag;
  });
  // Kusto lists the unpacked columns by name.
  const keys = [...seen].sort();
  const base = input.columns.filter((_, i) => i !== idx).map((c) => ({ ...c }));
  const baseIdx = input.columns.map((_, i) => i).filter((i) => i !== idx);
  const unpacked: Column[] = declared
    ? declared.filter((c) => !base.some((b) => b.name === c.name))
    : keys.map((k) => ({ name: prefix + k, type: dynamicLeafType(bags.map((b) => b[k] ?? null)) }));
  const replaced = new Map<number, string>();
  const newCols: Column[] = [];
  for (const c of unpacked) {
    const at = base.findIndex((b) => b.name === c.name);
    if (at < 0) {
      newCols.push(c);
      continue;
    }
    if (conflict === "replace_source") {
      replaced.set(at, c.name.slice(prefix.length));
      base[at] = { ...c };
    } else if (conflict !== "keep_source") {
      throw queryError(`bag_unpack: column '${c.name}' already exists (use columnsConflict)`, node);
    }
  }
  const cell = (bag: Record<string, Json>, key: string, type: KustoType): Value => {
    const v = bag[key];
    if (v === undefined || v === null) return emptyOf(type);
    return type === "string" && typeof v !== "string" ? JSON.stringify(v) : (v as Value);
  };
  const columns = [...base, ...newCols];
  const rows = input.rows.map((r, ri) => [
    ...baseIdx.map((i, k) =>
      replaced.has(k) ? cell(bags[ri], replaced.get(k) as string, base[k].type) : r[i],
    ),
    ...newCols.map((c) => cell(bags[ri], declared ? c.name : c.name.slice(prefix.length), c.type)),
  ]);
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
    : input.columns
        .map((_, i) => i)
        .filter((i) => i !== pivotCol.column && !argFns.some((a) => a.column === i));
  const pivotValues: string[] = [];
  const seenPivot = new Set<string>();
  const groups = new Map<
    string,
    { keys: Value[]; states: Map<string, { add(a: Value[]): void; result(): Value | Value[] }> }
  >();
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
        st = (fn as NonNullable<typeof fn>).create({
          now: ctx.now,
          resultType,
          argTypes: argFns.map((a) => a.type),
        });
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
      return st ? (st.result() as Value) : aggName === "count" || aggName === "sum" ? 0 : null;
    }),
  ]);
  return { columns, rows };
}

function narrow({ input }: OpArgs): Table {
  const rows: Value[][] = [];
  input.rows.forEach((r, i) => {
    input.columns.forEach((c, k) => {
      rows.push([
        i,
        c.name,
        valueToString(
          toDynamic(r[k], c.type) as Value,
          c.type === "dynamic" ? "dynamic" : inferType(r[k]) === "dynamic" ? "dynamic" : c.type,
        ),
      ]);
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

/** The arguments both IP lookups take: (LookupTable, SourceIp, RangeColumn [, return_unmatched]). */
function lookupArgs(name: string, args: OpArgs, fargs: SyntaxElement[]) {
  const { input, env, ctx, node } = args;
  const positional = fargs.filter((a) => kindOf(a) !== "SimpleNamedExpression");
  const namedArg = fargs.find(
    (a) => kindOf(a) === "SimpleNamedExpression" && nameOf(child(a, "Name")) === "return_unmatched",
  );
  if (namedArg) positional[3] = child(namedArg, "Expression") as SyntaxElement;
  const lookupTable = tabular(positional[0], env, ctx);
  const sourceName = nameOf(positional[1]);
  const rangeName = nameOf(positional[2]);
  const returnUnmatched = positional[3]
    ? compileExpr(positional[3], scopeFor([], env, ctx)).constant?.value === true
    : false;
  const src = input.columns.findIndex((c) => c.name === sourceName);
  const rng = lookupTable.columns.findIndex((c) => c.name === rangeName);
  if (src < 0) throw queryError(`${name}: no column '${sourceName}' in the input`, node);
  if (rng < 0) throw queryError(`${name}: no column '${rangeName}' in the lookup table`, node);
  return { lookupTable, src, rng, returnUnmatched };
}

/** The first and last address of an IPv4 address or CIDR range (functions/ip parses it). */
function ipv4Range(text: string): [number, number] | null {
  const ip = parseIpv4(text);
  if (!ip) return null;
  const size = 2 ** (32 - ip.prefix);
  const start = Math.floor(ip.address / size) * size;
  return [start, start + size - 1];
}

/** The same for IPv6 (IPv4 ranges map into ::ffff:0:0/96). */
function ipv6Range(text: string): [bigint, bigint] | null {
  const ip = parseIpv6(text);
  if (!ip) return null;
  const size = 1n << BigInt(128 - ip.prefix);
  const start = (ip.address / size) * size;
  return [start, start + size - 1n];
}

/** evaluate ipv4_lookup(LookupTable, SourceIp, RangeColumn [, return_unmatched]). */
function ipv4Lookup(args: OpArgs, fargs: SyntaxElement[]): Table {
  const { input, ctx } = args;
  const { lookupTable, src, rng, returnUnmatched } = lookupArgs("ipv4_lookup", args, fargs);
  const ranges = lookupTable.rows
    .map((r, i) => ({ range: ipv4Range(String(r[rng] ?? "")), i }))
    .filter((x): x is { range: [number, number]; i: number } => x.range !== null);
  const taken = new Set(input.columns.map((c) => c.name));
  const extra = lookupTable.columns.map((c) => ({
    ...c,
    name: taken.has(c.name) ? `${c.name}1` : c.name,
  }));
  const rows: Value[][] = [];
  for (const r of input.rows) {
    checkTime(ctx);
    const ip = typeof r[src] === "string" ? (parseIpv4(r[src] as string)?.address ?? null) : null;
    const hit = ip === null ? undefined : ranges.find((x) => ip >= x.range[0] && ip <= x.range[1]);
    if (hit) rows.push([...r, ...lookupTable.rows[hit.i]]);
    else if (returnUnmatched) rows.push([...r, ...extra.map((c) => emptyOf(c.type))]);
  }
  checkRows(ctx, rows.length, "ipv4_lookup");
  return { columns: [...input.columns, ...extra], rows };
}

/** evaluate ipv6_lookup(LookupTable, SourceIp, RangeColumn [, return_unmatched]). */
function ipv6Lookup(args: OpArgs, fargs: SyntaxElement[]): Table {
  const { input, ctx } = args;
  const { lookupTable, src, rng, returnUnmatched } = lookupArgs("ipv6_lookup", args, fargs);
  const ranges = lookupTable.rows
    .map((r, i) => ({ range: ipv6Range(String(r[rng] ?? "")), i }))
    .filter((x): x is { range: [bigint, bigint]; i: number } => x.range !== null);
  // Kusto lists the lookup table's columns first here (unlike ipv4_lookup).
  const taken = new Set(lookupTable.columns.map((c) => c.name));
  const inputColumns = input.columns.map((c) => ({
    ...c,
    name: taken.has(c.name) ? `${c.name}1` : c.name,
  }));
  const rows: Value[][] = [];
  for (const r of input.rows) {
    checkTime(ctx);
    const ip = typeof r[src] === "string" ? (parseIpv6(r[src] as string)?.address ?? null) : null;
    const hit = ip === null ? undefined : ranges.find((x) => ip >= x.range[0] && ip <= x.range[1]);
    if (hit) rows.push([...lookupTable.rows[hit.i], ...r]);
    else if (returnUnmatched) rows.push([...lookupTable.columns.map((c) => emptyOf(c.type)), ...r]);
  }
  checkRows(ctx, rows.length, "ipv6_lookup");
  return { columns: [...lookupTable.columns, ...inputColumns], rows };
}

/** evaluate rows_near(Condition, RowsBefore [, RowsAfter]): matching rows and their neighbours. */
function rowsNear(args: OpArgs, fargs: SyntaxElement[]): Table {
  const { input, env, ctx, node } = args;
  const scope = scopeFor(input.columns, env, ctx);
  const condition = compileExpr(fargs[0], scope);
  const before = compileExpr(fargs[1], scopeFor([], env, ctx)).constant?.value;
  const after = fargs[2] ? compileExpr(fargs[2], scopeFor([], env, ctx)).constant?.value : before;
  if (typeof before !== "number" || typeof after !== "number") {
    throw queryError("rows_near needs constant row counts", node);
  }
  const keep = new Uint8Array(input.rows.length);
  input.rows.forEach((r, i) => {
    checkTime(ctx);
    if (condition.fn(r, i, input.rows) !== true) return;
    const from = Math.max(0, i - before);
    const to = Math.min(input.rows.length - 1, i + after);
    for (let k = from; k <= to; k++) keep[k] = 1;
  });
  return { columns: input.columns, rows: input.rows.filter((_, i) => keep[i]) };
}

/**
 * evaluate sliding_window_counts(Id, Time, Start, End, Lookback, Bin [, dim…]): per bin from
 * Start to End, the rows and distinct ids of the Lookback window ending with that bin.
 * Distinct counts are exact.
 */
function slidingWindowCounts(args: OpArgs, fargs: SyntaxElement[]): Table {
  const { input, env, ctx, node } = args;
  const scope = scopeFor(input.columns, env, ctx);
  const constScope = scopeFor([], env, ctx);
  const id = compileExpr(fargs[0], scope);
  const time = compileExpr(fargs[1], scope);
  const [start, end, lookback, bin] = fargs
    .slice(2, 6)
    .map((a) => compileExpr(a, constScope).fn([], 0, []));
  if (
    typeof start !== "number" ||
    typeof end !== "number" ||
    typeof lookback !== "number" ||
    typeof bin !== "number" ||
    bin <= 0
  ) {
    throw queryError(
      "sliding_window_counts needs constant start, end, lookback window and bin",
      node,
    );
  }
  const dims = fargs.slice(6).map((a) => compileExpr(a, scope));
  const bins = Math.floor((end - start) / bin) + 1;
  const width = Math.max(1, Math.round(lookback / bin));
  checkRows(ctx, bins, "sliding_window_counts");
  const groups = new Map<string, { dims: Value[]; perBin: Map<number, Value[]> }>();
  input.rows.forEach((r, i) => {
    checkTime(ctx);
    const t = time.fn(r, i, input.rows);
    if (typeof t !== "number" || t < start || t >= start + bins * bin) return;
    const dimValues = dims.map((d) => d.fn(r, i, input.rows));
    const key = JSON.stringify(dimValues.map(keyOf));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { dims: dimValues, perBin: new Map() }));
    const b = Math.floor((t - start) / bin);
    let ids = g.perBin.get(b);
    if (!ids) g.perBin.set(b, (ids = []));
    ids.push(keyOf(id.fn(r, i, input.rows)));
  });
  const rows: Value[][] = [];
  for (const g of groups.values()) {
    for (let b = 0; b < bins; b++) {
      let count = 0;
      const distinct = new Set<Value>();
      for (let k = Math.max(0, b - width + 1); k <= b; k++) {
        for (const v of g.perBin.get(k) ?? []) {
          count++;
          distinct.add(v);
        }
      }
      rows.push([start + b * bin, ...g.dims, count, distinct.size]);
    }
  }
  const timeName = time.column !== undefined ? input.columns[time.column].name : "Timestamp";
  const columns: Column[] = [
    { name: timeName, type: "datetime" },
    ...dims.map((d, k) => ({
      name: d.column !== undefined ? input.columns[d.column].name : `dim${k}`,
      type: d.type,
    })),
    { name: "Count", type: "long" },
    { name: "dcount", type: "long" },
  ];
  return { columns, rows };
}

/**
 * evaluate rolling_percentile(Value, Percentile, Index, BinSize, WindowSize [, dim…]): per bin
 * of Index, the nearest-rank percentile of Value over the last WindowSize bins.
 */
function rollingPercentile(args: OpArgs, fargs: SyntaxElement[]): Table {
  const { input, env, ctx, node } = args;
  const scope = scopeFor(input.columns, env, ctx);
  const constScope = scopeFor([], env, ctx);
  const value = compileExpr(fargs[0], scope);
  const index = compileExpr(fargs[2], scope);
  const [pct, binSize, windowSize] = [fargs[1], fargs[3], fargs[4]].map((a) =>
    compileExpr(a, constScope).fn([], 0, []),
  );
  if (
    typeof pct !== "number" ||
    typeof binSize !== "number" ||
    typeof windowSize !== "number" ||
    binSize <= 0
  ) {
    throw queryError(
      "rolling_percentile needs a constant percentile, bin size and window size",
      node,
    );
  }
  const dims = fargs.slice(5).map((a) => compileExpr(a, scope));
  const groups = new Map<string, { dims: Value[]; perBin: Map<number, number[]> }>();
  input.rows.forEach((r, i) => {
    checkTime(ctx);
    const x = index.fn(r, i, input.rows);
    const v = value.fn(r, i, input.rows);
    if (typeof x !== "number" || typeof v !== "number") return;
    const dimValues = dims.map((d) => d.fn(r, i, input.rows));
    const key = JSON.stringify(dimValues.map(keyOf));
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { dims: dimValues, perBin: new Map() }));
    const b = binFloor(x, binSize, index.type);
    let vs = g.perBin.get(b);
    if (!vs) g.perBin.set(b, (vs = []));
    vs.push(v);
  });
  const rows: Value[][] = [];
  for (const g of groups.values()) {
    const keys = [...g.perBin.keys()].sort((a, b) => a - b);
    // Bins are keyed by their start; the window is this bin and the windowSize-1 before it.
    for (let b = keys[0]; b <= keys[keys.length - 1]; b += binSize) {
      const window: number[] = [];
      for (let k = 0; k < windowSize; k++)
        for (const v of g.perBin.get(b - k * binSize) ?? []) window.push(v);
      window.sort((a, c) => a - c);
      const rank = Math.max(1, Math.ceil((pct / 100) * window.length));
      rows.push([b, ...g.dims, window.length ? window[rank - 1] : null]);
    }
    checkRows(ctx, rows.length, "rolling_percentile");
  }
  const name = (c: Compiled, fallback: string) =>
    c.column !== undefined ? input.columns[c.column].name : fallback;
  const columns: Column[] = [
    { name: name(index, "Index"), type: index.type },
    ...dims.map((d, k) => ({ name: name(d, `dim${k}`), type: d.type })),
    { name: `rolling_${windowSize}_percentile_${name(value, "value")}_${pct}`, type: value.type },
  ];
  return { columns, rows };
}
