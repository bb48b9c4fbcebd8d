// Aggregation functions for `summarize` (and `make-series`): count, countif, dcount,
// dcountif, count_distinct, sum, sumif, avg, avgif, min, max, minif, maxif, arg_max, arg_min,
// make_set, make_set_if, make_list, make_list_if, make_list_with_nulls, make_bag, make_bag_if,
// take_any/any, take_anyif, percentile, percentiles, percentiles_array, percentilew(s),
// stdev*, variance*, covariance*, binary_all_*, buildschema.
//
// Null rules (Kusto's): aggregates skip null inputs; over no values, the counting ones give
// 0, the make_* ones an empty array or bag, and all others null.
// Aggregates with several output columns (arg_max, arg_min, percentiles, and take_any of
// several arguments) set `multiColumn`: `result()` then returns an array holding one value per
// output column, in argument order (take_any of one argument returns that value alone).

import type { Json, KustoType, Value } from "../values";
import { compareValues } from "../expressions/compare";
import { isBag, jsonKey, newBag, toJson, toNumber } from "./coerce";
import { defineAggregate, type AggregateState, type CallContext } from "./registry";

const MAX_MAKE_SIZE = 1_048_576;

function isNull(v: Value | undefined): boolean {
  return v === null || v === undefined;
}

// --- counting ---------------------------------------------------------------------------------

defineAggregate({
  name: "count",
  minArgs: 0,
  maxArgs: 1,
  create: () => {
    let n = 0;
    // Kusto counts every row, also those where the argument is null.
    return { add: () => void n++, result: () => n };
  },
});

defineAggregate({
  name: "countif",
  minArgs: 1,
  maxArgs: 1,
  create: () => {
    let n = 0;
    return { add: ([p]) => void (p === true && n++), result: () => n };
  },
});

/**
 * A set of distinct non-null values. Numbers and strings are kept in their own native sets
 * (no key strings to build); dynamic values are keyed by their JSON text.
 */
export class DistinctValues {
  private numbers = new Set<number>();
  private strings = new Set<string>();
  private others = new Set<string>();

  add(v: Value): void {
    if (v === null || v === undefined) return;
    if (typeof v === "number") this.numbers.add(v);
    else if (typeof v === "bigint") this.strings.add(`\u0000${v}`);
    else if (typeof v === "string") this.strings.add(v);
    else this.others.add(typeof v === "boolean" ? String(v) : JSON.stringify(v));
  }

  get size(): number {
    return this.numbers.size + this.strings.size + this.others.size;
  }
}

function distinctCounter(predicateIndex: number | null): () => AggregateState {
  return () => {
    const seen = new DistinctValues();
    return {
      add: (args) => {
        if (predicateIndex !== null && args[predicateIndex] !== true) return;
        seen.add(args[0]);
      },
      result: () => seen.size,
    };
  };
}

// dcount is exact here (Kusto's HyperLogLog estimate equals it for small cardinalities).
defineAggregate({ name: "dcount", minArgs: 1, maxArgs: 2, create: distinctCounter(null) });
defineAggregate({ name: "dcountif", minArgs: 2, maxArgs: 3, create: distinctCounter(1) });
defineAggregate({ name: "count_distinct", minArgs: 1, maxArgs: 1, create: distinctCounter(null) });
defineAggregate({ name: "count_distinctif", minArgs: 2, maxArgs: 2, create: distinctCounter(1) });

// --- sums and averages ------------------------------------------------------------------------

function summing(kind: "sum" | "avg", conditional: boolean): (ctx: CallContext) => AggregateState {
  return (ctx) => {
    let total = 0;
    let n = 0;
    const integral = ctx.resultType === "long" || ctx.resultType === "int";
    return {
      add: (args) => {
        if (conditional && args[1] !== true) return;
        const x = toNumber(args[0]);
        if (x === null) return;
        total += x;
        n++;
      },
      result: () => {
        if (n === 0) return null;
        if (kind === "sum") return integral ? Math.round(total) : total;
        return ctx.resultType === "timespan" || ctx.resultType === "datetime"
          ? Math.round(total / n)
          : total / n;
      },
    };
  };
}

defineAggregate({ name: "sum", minArgs: 1, maxArgs: 1, create: summing("sum", false) });
defineAggregate({ name: "sumif", minArgs: 2, maxArgs: 2, create: summing("sum", true) });
defineAggregate({ name: "avg", minArgs: 1, maxArgs: 1, create: summing("avg", false) });
defineAggregate({ name: "avgif", minArgs: 2, maxArgs: 2, create: summing("avg", true) });

// --- extremes ---------------------------------------------------------------------------------

function extreme(sign: 1 | -1, conditional: boolean): () => AggregateState {
  return () => {
    let best: Value = null;
    return {
      add: (args) => {
        if (conditional && args[1] !== true) return;
        const v = args[0];
        if (isNull(v) || (typeof v === "number" && Number.isNaN(v))) return;
        if (best === null || sign * compareValues(v, best) > 0) best = v;
      },
      result: () => best,
    };
  };
}

defineAggregate({ name: "max", minArgs: 1, maxArgs: 1, create: extreme(1, false) });
defineAggregate({ name: "min", minArgs: 1, maxArgs: 1, create: extreme(-1, false) });
defineAggregate({ name: "maxif", minArgs: 2, maxArgs: 2, create: extreme(1, true) });
defineAggregate({ name: "minif", minArgs: 2, maxArgs: 2, create: extreme(-1, true) });

/**
 * arg_max/arg_min(by, col1, col2, …): the row where `by` is largest/smallest (the first such
 * row on ties). When `by` is null in every row, the first row's values are returned.
 */
function argExtreme(sign: 1 | -1): () => AggregateState {
  return () => {
    let best: Value[] | null = null;
    let bestIsNull = true;
    return {
      add: (args) => {
        const v = args[0];
        if (isNull(v) || (typeof v === "number" && Number.isNaN(v))) {
          if (best === null) best = args.slice();
          return;
        }
        if (bestIsNull || sign * compareValues(v, (best as Value[])[0]) > 0) {
          best = args.slice();
          bestIsNull = false;
        }
      },
      result: () => best ?? [],
    };
  };
}

defineAggregate({
  name: "arg_max",
  minArgs: 1,
  maxArgs: Infinity,
  multiColumn: true,
  create: argExtreme(1),
});
defineAggregate({
  name: "arg_min",
  minArgs: 1,
  maxArgs: Infinity,
  multiColumn: true,
  create: argExtreme(-1),
});

defineAggregate({
  name: "take_any",
  aliases: ["any"],
  minArgs: 1,
  maxArgs: Infinity,
  multiColumn: true,
  create: (ctx) => {
    let first: Value[] | null = null;
    const width = ctx.argTypes.length;
    return {
      add: (args) => {
        // Kusto picks an arbitrary row; the first with a non-null first value is stable.
        if (first === null || (isNull(first[0]) && !isNull(args[0]))) first = args.slice();
      },
      // One argument gives one column; several give one column each (see multiColumn).
      result: () => (first === null ? (width > 1 ? [] : null) : width > 1 ? first : first[0]),
    };
  },
});

defineAggregate({
  name: "take_anyif",
  aliases: ["anyif"],
  minArgs: 2,
  maxArgs: 2,
  create: () => {
    let value: Value = null;
    let found = false;
    return {
      add: ([v, p]) => {
        if (!found && p === true && !isNull(v)) {
          value = v;
          found = true;
        }
      },
      result: () => value,
    };
  },
});

// --- make_list / make_set / make_bag ----------------------------------------------------------

function maxSizeOf(v: Value | undefined): number {
  const n = v === undefined ? null : toNumber(v);
  return n === null || n <= 0 ? MAX_MAKE_SIZE : Math.min(MAX_MAKE_SIZE, Math.trunc(n));
}

interface MakeOptions {
  distinct: boolean;
  keepNulls: boolean;
  /** Index of the predicate argument, or null. */
  predicate: number | null;
  /** Index of the max-size argument. */
  sizeArg: number;
}

function maker(opts: MakeOptions): (ctx: CallContext) => AggregateState {
  return (ctx) => {
    const out: Json[] = [];
    const seen = new Set<string>();
    const type: KustoType = ctx.argTypes[0] ?? "dynamic";
    let max = -1;
    const push = (x: Json) => {
      if (out.length >= max) return;
      if (opts.distinct) {
        const k = jsonKey(x);
        if (seen.has(k)) return;
        seen.add(k);
      }
      out.push(x);
    };
    return {
      add: (args) => {
        if (max < 0) max = maxSizeOf(args[opts.sizeArg]);
        if (opts.predicate !== null && args[opts.predicate] !== true) return;
        const v = args[0];
        if (isNull(v)) {
          if (opts.keepNulls) push(null);
          return;
        }
        // A dynamic array adds its elements, not itself: documented for make_set, and the
        // docs' MultiPolygon example (make_list(pack_array(polygon.coordinates))) relies on
        // it for make_list too.
        if (type === "dynamic" && Array.isArray(v)) {
          for (const el of v) if (el !== null || opts.keepNulls) push(el);
          return;
        }
        push(toJson(v, type));
      },
      result: () => out,
    };
  };
}

defineAggregate({
  name: "make_list",
  aliases: ["makelist"],
  minArgs: 1,
  maxArgs: 2,
  create: maker({ distinct: false, keepNulls: false, predicate: null, sizeArg: 1 }),
});
defineAggregate({
  name: "make_list_if",
  minArgs: 2,
  maxArgs: 3,
  create: maker({ distinct: false, keepNulls: false, predicate: 1, sizeArg: 2 }),
});
defineAggregate({
  name: "make_list_with_nulls",
  minArgs: 1,
  maxArgs: 2,
  create: maker({ distinct: false, keepNulls: true, predicate: null, sizeArg: 1 }),
});
defineAggregate({
  name: "make_set",
  aliases: ["makeset"],
  minArgs: 1,
  maxArgs: 2,
  create: maker({ distinct: true, keepNulls: false, predicate: null, sizeArg: 1 }),
});
defineAggregate({
  name: "make_set_if",
  minArgs: 2,
  maxArgs: 3,
  create: maker({ distinct: true, keepNulls: false, predicate: 1, sizeArg: 2 }),
});

function bagMaker(predicate: number | null, sizeArg: number): () => AggregateState {
  return () => {
    const out = newBag();
    let count = 0;
    let max = -1;
    return {
      add: (args) => {
        if (max < 0) max = maxSizeOf(args[sizeArg]);
        if (predicate !== null && args[predicate] !== true) return;
        const b = args[0];
        if (!isBag(b)) return;
        for (const k of Object.keys(b)) {
          // The first value seen for a key is kept.
          if (k in out || count >= max) continue;
          out[k] = b[k];
          count++;
        }
      },
      result: () => out,
    };
  };
}

defineAggregate({
  name: "make_bag",
  aliases: ["make_dictionary"],
  minArgs: 1,
  maxArgs: 2,
  create: bagMaker(null, 1),
});
defineAggregate({ name: "make_bag_if", minArgs: 2, maxArgs: 3, create: bagMaker(1, 2) });

// --- percentiles (nearest rank) ---------------------------------------------------------------

/** Nearest-rank percentile of sorted values with weights (the smallest value covering p%). */
function nearestRank(sorted: { v: Value; w: number }[], total: number, p: number): Value {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total - 1e-9));
  let cum = 0;
  for (const item of sorted) {
    cum += item.w;
    if (cum >= rank) return item.v;
  }
  return sorted[sorted.length - 1].v;
}

function percentileState(opts: {
  weighted: boolean;
  /** Output shape: one value, one column per percentile, or a dynamic array. */
  shape: "single" | "columns" | "array";
}): (ctx: CallContext) => AggregateState {
  return (ctx) => {
    const items: { v: Value; w: number }[] = [];
    let total = 0;
    let ps: number[] | null = null;
    const first = opts.weighted ? 2 : 1;
    const valueType = ctx.argTypes[0] ?? "real";
    return {
      add: (args) => {
        if (ps === null) {
          ps = [];
          for (const a of args.slice(first)) {
            if (Array.isArray(a)) for (const x of a) ps.push(toNumber(x as Value) ?? NaN);
            else ps.push(toNumber(a) ?? NaN);
          }
        }
        const v = args[0];
        if (isNull(v) || (typeof v === "number" && Number.isNaN(v))) return;
        const w = opts.weighted ? (toNumber(args[1]) ?? 0) : 1;
        if (w <= 0) return;
        items.push({ v, w });
        total += w;
      },
      result: () => {
        items.sort((a, b) => compareValues(a.v, b.v));
        const values = (ps ?? []).map((p) => nearestRank(items, total, p));
        if (opts.shape === "single") return values[0] ?? null;
        if (opts.shape === "columns") return values;
        return values.map((v) => toJson(v, valueType));
      },
    };
  };
}

defineAggregate({
  name: "percentile",
  minArgs: 2,
  maxArgs: 2,
  create: percentileState({ weighted: false, shape: "single" }),
});
defineAggregate({
  name: "percentiles",
  minArgs: 2,
  maxArgs: Infinity,
  multiColumn: true,
  create: percentileState({ weighted: false, shape: "columns" }),
});
defineAggregate({
  name: "percentiles_array",
  minArgs: 2,
  maxArgs: Infinity,
  create: percentileState({ weighted: false, shape: "array" }),
});
defineAggregate({
  name: "percentilew",
  minArgs: 3,
  maxArgs: 3,
  create: percentileState({ weighted: true, shape: "single" }),
});
defineAggregate({
  name: "percentilesw",
  minArgs: 3,
  maxArgs: Infinity,
  multiColumn: true,
  create: percentileState({ weighted: true, shape: "columns" }),
});
defineAggregate({
  name: "percentilesw_array",
  minArgs: 3,
  maxArgs: Infinity,
  create: percentileState({ weighted: true, shape: "array" }),
});

// --- variance, standard deviation, covariance -------------------------------------------------

function moments(
  what: "variance" | "stdev" | "covariance",
  population: boolean,
  predicate: number | null,
): () => AggregateState {
  return () => {
    const xs: number[] = [];
    const ys: number[] = [];
    const pairs = what === "covariance";
    return {
      add: (args) => {
        if (predicate !== null && args[predicate] !== true) return;
        const x = toNumber(args[0]);
        if (x === null) return;
        if (pairs) {
          const y = toNumber(args[1]);
          if (y === null) return;
          ys.push(y);
        }
        xs.push(x);
      },
      result: () => {
        const n = xs.length;
        if (n === 0) return null;
        const denom = population ? n : n - 1;
        if (denom === 0) return 0;
        const mx = xs.reduce((a, b) => a + b, 0) / n;
        let acc = 0;
        if (pairs) {
          const my = ys.reduce((a, b) => a + b, 0) / n;
          for (let i = 0; i < n; i++) acc += (xs[i] - mx) * (ys[i] - my);
        } else {
          for (const x of xs) acc += (x - mx) * (x - mx);
        }
        const variance = acc / denom;
        return what === "stdev" ? Math.sqrt(variance) : variance;
      },
    };
  };
}

defineAggregate({
  name: "variance",
  minArgs: 1,
  maxArgs: 1,
  create: moments("variance", false, null),
});
defineAggregate({
  name: "varianceif",
  minArgs: 2,
  maxArgs: 2,
  create: moments("variance", false, 1),
});
defineAggregate({
  name: "variancep",
  minArgs: 1,
  maxArgs: 1,
  create: moments("variance", true, null),
});
defineAggregate({
  name: "variancepif",
  minArgs: 2,
  maxArgs: 2,
  create: moments("variance", true, 1),
});
defineAggregate({ name: "stdev", minArgs: 1, maxArgs: 1, create: moments("stdev", false, null) });
defineAggregate({ name: "stdevif", minArgs: 2, maxArgs: 2, create: moments("stdev", false, 1) });
defineAggregate({ name: "stdevp", minArgs: 1, maxArgs: 1, create: moments("stdev", true, null) });
defineAggregate({ name: "stdevpif", minArgs: 2, maxArgs: 2, create: moments("stdev", true, 1) });
defineAggregate({
  name: "covariance",
  minArgs: 2,
  maxArgs: 2,
  create: moments("covariance", false, null),
});
defineAggregate({
  name: "covarianceif",
  minArgs: 3,
  maxArgs: 3,
  create: moments("covariance", false, 2),
});
defineAggregate({
  name: "covariancep",
  minArgs: 2,
  maxArgs: 2,
  create: moments("covariance", true, null),
});
defineAggregate({
  name: "covariancepif",
  minArgs: 3,
  maxArgs: 3,
  create: moments("covariance", true, 2),
});

// --- bitwise ----------------------------------------------------------------------------------

function bitwiseAll(op: (a: bigint, b: bigint) => bigint): () => AggregateState {
  return () => {
    let acc: bigint | null = null;
    return {
      add: ([v]) => {
        const x = toNumber(v);
        if (x === null || !Number.isFinite(x)) return;
        const b = BigInt(Math.trunc(x));
        acc = acc === null ? b : op(acc, b);
      },
      result: () => (acc === null ? null : Number(BigInt.asIntN(64, acc))),
    };
  };
}

defineAggregate({
  name: "binary_all_and",
  minArgs: 1,
  maxArgs: 1,
  create: bitwiseAll((a, b) => a & b),
});
defineAggregate({
  name: "binary_all_or",
  minArgs: 1,
  maxArgs: 1,
  create: bitwiseAll((a, b) => a | b),
});
defineAggregate({
  name: "binary_all_xor",
  minArgs: 1,
  maxArgs: 1,
  create: bitwiseAll((a, b) => a ^ b),
});

// --- buildschema ------------------------------------------------------------------------------

/** A schema node: the set of type names seen, and for bags the schema of each key. */
interface SchemaNode {
  types: Set<string>;
  keys: Map<string, SchemaNode>;
  items?: SchemaNode;
}

function newSchema(): SchemaNode {
  return { types: new Set(), keys: new Map() };
}

function scalarTypeName(v: Json): string {
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "long" : "real";
  return "string";
}

function mergeSchema(node: SchemaNode, v: Json): void {
  if (v === null) return;
  if (Array.isArray(v)) {
    node.types.add("array");
    node.items ??= newSchema();
    for (const el of v) mergeSchema(node.items, el);
  } else if (isBag(v)) {
    node.types.add("dictionary");
    for (const k of Object.keys(v)) {
      let child = node.keys.get(k);
      if (!child) node.keys.set(k, (child = newSchema()));
      mergeSchema(child, v[k]);
    }
  } else {
    node.types.add(scalarTypeName(v));
  }
}

function schemaJson(node: SchemaNode): Json {
  const parts: Json[] = [];
  for (const t of node.types) {
    if (t === "dictionary") {
      const bag = newBag();
      for (const [k, child] of node.keys) bag[k] = schemaJson(child);
      parts.push(bag);
    } else if (t === "array") {
      const bag = newBag();
      bag.indexer = node.items ? schemaJson(node.items) : null;
      parts.push(bag);
    } else {
      parts.push(t);
    }
  }
  return parts.length === 1 ? parts[0] : parts;
}

defineAggregate({
  name: "buildschema",
  minArgs: 1,
  maxArgs: 1,
  create: () => {
    const root = newSchema();
    return {
      add: ([v]) => {
        if (!isNull(v)) mergeSchema(root, v as Json);
      },
      result: () => (root.types.size ? schemaJson(root) : null),
    };
  },
});
