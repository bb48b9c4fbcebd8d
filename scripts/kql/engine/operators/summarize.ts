// summarize: groups rows by the `by` expressions and feeds each aggregate of the registry.
// Groups live in nested Maps (one level per key) so finding a row's group allocates nothing.
// `count()` and `arg_max`/`arg_min` (which return whole rows) are handled here; every other
// aggregate comes from the functions registry. An aggregate may sit inside a scalar expression
// (`summarize pct = 100.0 * countif(x) / count()`): each call gets a slot, and the expression
// is compiled over the slots.

import { kindOf, walk, type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import { checkRows, checkTime } from "../context";
import { queryError, unsupported } from "../errors";
import { compareValues, keyOf } from "../expressions/compare";
import {
  analysedType,
  compileExpr,
  listItems,
  nameOf,
  roundedLongs,
  scopeFor,
  type Compiled,
  type Scope,
  compoundNames,
} from "../expressions/compile";
import {
  aggregateFunction,
  aggregateTakesExactLongs,
  type AggregateState,
  type CallContext,
} from "../functions/registry";
import type { Column, KustoType, Table, Value } from "../values";
import { nameLike, uniqueName, type OpArgs } from "./common";

/** One aggregate call: how to start a group's state and what to feed it per row. */
interface AggregateSpec {
  /** `count()`: answered from the group's row count, no state per group. */
  isCount?: boolean;
  node: SyntaxElement;
  create: () => AggState;
  args: Compiled[];
  /** Output values per group (arg_max(x, a, b) gives three). */
  width: number;
  columns: Column[];
}

interface AggState {
  add(row: Value[], i: number, rows: Value[][]): void;
  result(): Value[];
}

/** One output item of summarize: either an aggregate's own columns or an expression over slots. */
interface OutputItem {
  name: string | undefined;
  /** `(a, b) = arg_max(x, y)`: names for the aggregate's columns, in order. */
  names?: string[];
  /** Aggregate slots this item reads. */
  specs: AggregateSpec[];
  /** When the item is an expression over aggregates, computes it from the slot values. */
  combine?: Compiled;
}

const EMPTY: Value[] = [];

function aggregateSpec(call: SyntaxElement, scope: Scope, byNames: Set<string>): AggregateSpec {
  const name = nameOf(child(call, "Name"));
  const argNodes = listItems(child(child(call, "ArgumentList") as SyntaxElement, "Expressions"));
  const resultType: KustoType = analysedType(call) ?? "dynamic";
  if (name === "count" && argNodes.length === 0) {
    return {
      isCount: true,
      node: call,
      args: [],
      width: 1,
      columns: [{ name: "count_", type: "long" }],
      create: () => {
        let n = 0;
        return {
          add: () => {
            n++;
          },
          result: () => [n],
        };
      },
    };
  }
  if (name === "arg_max" || name === "arg_min")
    return argExtreme(call, name, argNodes, scope, byNames);
  const rowPicking = argNodes.length > 1 || argNodes.some((a) => kindOf(a) === "StarExpression");
  if ((name === "take_any" || name === "any") && rowPicking) {
    return anyRow(call, argNodes, scope, byNames);
  }
  const fn = aggregateFunction(name);
  if (!fn) throw unsupported(`aggregate function '${name}()'`, call);
  if (argNodes.length < fn.minArgs || argNodes.length > fn.maxArgs) {
    throw queryError(`aggregate '${name}()' called with ${argNodes.length} arguments`, call);
  }
  if (argNodes.some((a) => kindOf(a) === "StarExpression")) {
    throw unsupported(`'*' argument of '${name}()'`, call);
  }
  const exactLongs = aggregateTakesExactLongs(fn);
  const args = argNodes.map((a) => {
    const c = compileExpr(
      kindOf(a) === "SimpleNamedExpression" ? (child(a, "Expression") as SyntaxElement) : a,
      scope,
    );
    return exactLongs ? c : roundedLongs(c);
  });
  const ctx: CallContext = { now: scope.ctx.now, resultType, argTypes: args.map((a) => a.type) };
  const fns = args.map((a) => a.fn);
  // percentiles(x, 5, 50) gives one column per percentile; the registry returns them as a list.
  const spread = name === "percentiles" || name === "percentilesw";
  const width = spread ? Math.max(1, argNodes.length - (name === "percentilesw" ? 2 : 1)) : 1;
  const argName = args[0]?.column !== undefined ? scope.columns[args[0].column as number].name : "";
  const columns: Column[] = spread
    ? argNodes.slice(argNodes.length - width).map((p, i) => ({
        name: `percentile_${argName}_${String(args[argNodes.length - width + i].constant?.value ?? i).replace(".", "_")}`,
        type:
          args[0]?.type === "real" || args[0]?.type === "long" || args[0]?.type === "int"
            ? args[0].type
            : "real",
      }))
    : [{ name: `${name}_`, type: resultType }];
  return {
    node: call,
    args,
    width,
    columns,
    create: () => {
      const state: AggregateState = fn.create(ctx);
      return {
        add:
          fns.length === 0
            ? () => state.add(EMPTY)
            : fns.length === 1
              ? (r, i, rs) => state.add([fns[0](r, i, rs)])
              : (r, i, rs) => state.add(fns.map((f) => f(r, i, rs))),
        result: () => {
          const v = state.result();
          if (!spread) return [v as Value];
          return Array.isArray(v) ? (v as Value[]).slice(0, width) : [v];
        },
      };
    },
  };
}

/** arg_max / arg_min: the row with the extreme value of the first argument. */
function argExtreme(
  call: SyntaxElement,
  name: string,
  argNodes: SyntaxElement[],
  scope: Scope,
  byNames: Set<string>,
): AggregateSpec {
  const sign = name === "arg_max" ? 1 : -1;
  const key = compileExpr(argNodes[0], scope);
  const outputs: Compiled[] = [key];
  const columns: Column[] = [
    {
      name: key.column !== undefined ? scope.columns[key.column].name : `${name.slice(4)}_`,
      type: key.type,
    },
  ];
  for (const a of argNodes.slice(1)) {
    if (kindOf(a) === "StarExpression") {
      scope.columns.forEach((c, idx) => {
        if (byNames.has(c.name) || idx === key.column) return;
        outputs.push({ fn: (r) => r[idx], type: c.type, column: idx });
        columns.push({ name: c.name, type: c.type });
      });
      continue;
    }
    const target =
      kindOf(a) === "SimpleNamedExpression" ? (child(a, "Expression") as SyntaxElement) : a;
    const c = compileExpr(target, scope);
    outputs.push(c);
    columns.push({
      name:
        kindOf(a) === "SimpleNamedExpression"
          ? nameOf(child(a, "Name"))
          : c.column !== undefined
            ? scope.columns[c.column].name
            : `Column${columns.length}`,
      type: c.type,
    });
  }
  const kf = key.fn;
  return {
    node: call,
    args: [key],
    width: outputs.length,
    columns,
    create: () => {
      let best: Value = null;
      let chosen: Value[] | null = null;
      let haveBest = false;
      return {
        add: (r, i, rs) => {
          const v = kf(r, i, rs);
          if (v === null) {
            if (!chosen) chosen = outputs.map((o) => o.fn(r, i, rs));
            return;
          }
          if (!haveBest || compareValues(v, best) * sign > 0) {
            best = v;
            haveBest = true;
            chosen = outputs.map((o) => o.fn(r, i, rs));
          }
        },
        result: () => chosen ?? outputs.map((o) => (o.type === "string" ? "" : null)),
      };
    },
  };
}

/** take_any(a, b) / take_any(*): the values of one row of the group (the first). */
function anyRow(
  call: SyntaxElement,
  argNodes: SyntaxElement[],
  scope: Scope,
  byNames: Set<string>,
): AggregateSpec {
  const outputs: Compiled[] = [];
  const columns: Column[] = [];
  for (const a of argNodes) {
    if (kindOf(a) === "StarExpression") {
      scope.columns.forEach((c, idx) => {
        if (byNames.has(c.name)) return;
        outputs.push({ fn: (r) => r[idx], type: c.type, column: idx });
        columns.push({ name: c.name, type: c.type });
      });
      continue;
    }
    const c = compileExpr(a, scope);
    outputs.push(c);
    columns.push({
      name: c.column !== undefined ? scope.columns[c.column].name : `any_${columns.length}`,
      type: c.type,
    });
  }
  return {
    node: call,
    args: outputs,
    width: outputs.length,
    columns,
    create: () => {
      let chosen: Value[] | null = null;
      return {
        add: (r, i, rs) => {
          if (!chosen) chosen = outputs.map((o) => o.fn(r, i, rs));
        },
        result: () => chosen ?? outputs.map((o) => (o.type === "string" ? "" : null)),
      };
    },
  };
}

function isAggregateCall(e: SyntaxElement): boolean {
  if (kindOf(e) !== "FunctionCallExpression") return false;
  const name = nameOf(child(e, "Name"));
  return (
    (name === "count" ||
      name === "arg_max" ||
      name === "arg_min" ||
      aggregateFunction(name) !== undefined) &&
    e.ReferencedSymbol?.Kind !== 2
  );
}

export function summarize({ node, input, env, ctx }: OpArgs): Table {
  const scope = scopeFor(input.columns, env, ctx);
  const byItems = listItems(child(child(node, "ByClause") as SyntaxElement, "Expressions"));
  const byNames = new Set<string>();
  const byCompiled: Compiled[] = [];
  const byColumns: Column[] = [];
  for (const item of byItems) {
    let expr = item;
    let name: string | undefined;
    if (kindOf(item) === "SimpleNamedExpression") {
      name = nameOf(child(item, "Name"));
      expr = child(item, "Expression") as SyntaxElement;
    }
    const c = compileExpr(expr, scope);
    if (name === undefined) {
      if (c.column !== undefined) name = input.columns[c.column].name;
      else {
        // bin(x, …) and similar keep the name of the column they read.
        let inner: string | undefined;
        walk(expr, (e) => {
          if (inner === undefined && kindOf(e) === "NameReference" && scope.index.has(nameOf(e))) {
            inner = nameOf(e);
            return false;
          }
          return undefined;
        });
        name = inner ?? `Column${byColumns.length + 1}`;
      }
    }
    byNames.add(name);
    byCompiled.push(c);
    byColumns.push({ name, type: c.type });
  }

  // Aggregates: each output item is an aggregate call or an expression over several.
  const items: OutputItem[] = [];
  const allSpecs: AggregateSpec[] = [];
  for (const item of listItems(child(node, "Aggregates"))) {
    let expr = item;
    let name: string | undefined;
    let names: string[] | undefined;
    if (kindOf(item) === "SimpleNamedExpression") {
      name = nameOf(child(item, "Name"));
      expr = child(item, "Expression") as SyntaxElement;
    } else if (kindOf(item) === "CompoundNamedExpression") {
      names = compoundNames(item);
      expr = child(item, "Expression") as SyntaxElement;
      if (!isAggregateCall(expr))
        throw queryError(
          "'(a, b) = …' needs an aggregate with several results, like arg_max",
          item,
        );
    }
    if (isAggregateCall(expr)) {
      const spec = aggregateSpec(expr, scope, byNames);
      allSpecs.push(spec);
      items.push({ name, names, specs: [spec] });
      continue;
    }
    // An expression over aggregates: give each aggregate call a slot in a synthetic row.
    const calls: SyntaxElement[] = [];
    walk(expr, (e) => {
      if (isAggregateCall(e)) {
        calls.push(e);
        return false;
      }
      return undefined;
    });
    if (calls.length === 0) {
      if (kindOf(expr) === "FunctionCallExpression") {
        throw unsupported(`aggregate function '${nameOf(child(expr, "Name"))}()'`, expr);
      }
      throw queryError("summarize needs an aggregate function here", expr);
    }
    const specs = calls.map((c) => aggregateSpec(c, scope, byNames));
    const slots = new Map<number, number>();
    calls.forEach((c, i) => slots.set(c.TextStart, i));
    const slotScope: Scope = {
      ...scopeFor(
        specs.map((s, i) => ({ name: `\u0000slot${i}`, type: s.columns[0].type })),
        env,
        ctx,
      ),
      aggregateSlots: slots,
    };
    allSpecs.push(...specs);
    items.push({ name, specs, combine: compileExpr(expr, slotScope) });
  }

  // Group. A group is an integer id; the nested Maps' leaves hold ids. Only aggregates other
  // than count() keep a state object per group, so `count() by a, b` allocates one key array
  // per group and nothing per row.
  const stateful = allSpecs.filter((sp) => !sp.isCount);
  const groupKeys: Value[][] = [];
  const groupStates: AggState[][] = [];
  const counts: number[] = [];
  const root = new Map<Value, unknown>();
  const nKeys = byCompiled.length;
  const keyFns = byCompiled.map((c) => c.fn);
  const newGroup = (keys: Value[]): number => {
    const id = groupKeys.length;
    groupKeys.push(keys);
    counts.push(0);
    if (stateful.length) groupStates.push(stateful.map((sp) => sp.create()));
    if ((id & 0x3ff) === 0x3ff) checkRows(ctx, id + 1, "summarize");
    return id;
  };
  const rows = input.rows;
  const keyBuf: Value[] = new Array(nKeys);
  const nStateful = stateful.length;
  // Each group's key array is allocated at the output row's full width and becomes that row,
  // so a group costs one small array.
  const outWidth = nKeys + items.reduce((n, it) => n + (it.combine ? 1 : it.specs[0].width), 0);
  const keyRow = (): Value[] => {
    const row: Value[] = new Array(outWidth);
    for (let k = 0; k < nKeys; k++) row[k] = keyBuf[k];
    return row;
  };
  if (nKeys === 0) newGroup(keyRow());
  for (let i = 0; i < rows.length; i++) {
    if ((i & 0xfff) === 0) checkTime(ctx);
    const r = rows[i];
    let id = 0;
    if (nKeys > 0) {
      let level: Map<Value, unknown> = root;
      for (let k = 0; k < nKeys - 1; k++) {
        const v = keyFns[k](r, i, rows);
        keyBuf[k] = v;
        const kk = keyOf(v);
        let next = level.get(kk) as Map<Value, unknown> | undefined;
        if (!next) {
          next = new Map();
          level.set(kk, next);
        }
        level = next;
      }
      const last = keyFns[nKeys - 1](r, i, rows);
      keyBuf[nKeys - 1] = last;
      const lk = keyOf(last);
      const found = level.get(lk) as number | undefined;
      if (found === undefined) {
        id = newGroup(keyRow());
        level.set(lk, id);
      } else id = found;
    }
    counts[id]++;
    if (nStateful) {
      const states = groupStates[id];
      for (let k = 0; k < nStateful; k++) states[k].add(r, i, rows);
    }
  }

  // Output columns: by keys, then each item's columns.
  const columns: Column[] = [...byColumns];
  const taken = new Set(columns.map((c) => c.name));
  for (const it of items) {
    if (it.combine) {
      const n = uniqueName(it.name ?? `Column${columns.length}`, taken);
      taken.add(n);
      columns.push({ name: n, type: it.combine.type });
      continue;
    }
    const spec = it.specs[0];
    spec.columns.forEach((c, i) => {
      const n = uniqueName(it.names?.[i] ?? (i === 0 && it.name ? it.name : c.name), taken);
      taken.add(n);
      columns.push({ name: n, type: c.type });
    });
  }
  const specIndex = new Map<AggregateSpec, number>();
  stateful.forEach((sp, i) => specIndex.set(sp, i));
  const resultOf = (id: number, sp: AggregateSpec): Value[] =>
    sp.isCount ? [counts[id]] : groupStates[id][specIndex.get(sp) as number].result();
  const out: Value[][] = groupKeys.map((row, id) => {
    let at = nKeys;
    for (const it of items) {
      if (it.combine) {
        const slotRow = it.specs.map((sp) => resultOf(id, sp)[0]);
        row[at++] = it.combine.fn(slotRow, 0, [slotRow]);
      } else {
        for (const v of resultOf(id, it.specs[0])) row[at++] = v;
      }
    }
    return row;
  });
  const named = nameLike(node, columns);
  // Kusto names two-column statistics after both columns (covariance_x_y); the analyser only
  // after the first.
  let at = byColumns.length;
  for (const it of items) {
    const sp = it.specs[0];
    if (
      !it.name &&
      !it.combine &&
      /^covariance/.test(nameOf(child(sp.node, "Name"))) &&
      sp.args.length >= 2
    ) {
      const cols = sp.args
        .slice(0, 2)
        .map((a) => (a.column !== undefined ? input.columns[a.column].name : undefined));
      if (cols[0] && cols[1])
        named[at] = {
          ...named[at],
          name: `${nameOf(child(sp.node, "Name"))}_${cols[0]}_${cols[1]}`,
        };
    }
    at += it.combine ? 1 : sp.columns.length;
  }
  return { columns: named, rows: out };
}
