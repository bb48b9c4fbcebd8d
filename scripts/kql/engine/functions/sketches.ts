// Sketch functions: hll, hll_if, hll_merge, dcount_hll; tdigest, tdigest_merge,
// percentile_tdigest, percentiles_array_tdigest, rank_tdigest.
//
// Kusto's sketches are approximate and opaque. Here a "sketch" is exact: an hll is the dynamic
// array of the distinct values seen, a tdigest the dynamic array of all values. Results are
// therefore exact (as dcount and percentile are here), at the cost of memory on huge groups.

import type { Json, Value } from "../values";
import { jsonKey, toJson, toNumber } from "./coerce";
import { defineAggregate, defineScalar, type AggregateState, type CallContext } from "./registry";

/** A growing set of distinct JSON values in first-seen order. */
function distinctCollector(): { add(x: Json): void; values: Json[] } {
  const seen = new Set<string>();
  const values: Json[] = [];
  return {
    values,
    add(x: Json) {
      const k = jsonKey(x);
      if (!seen.has(k)) {
        seen.add(k);
        values.push(x);
      }
    },
  };
}

function hllState(predicate: number | null): (ctx: CallContext) => AggregateState {
  return (ctx) => {
    const set = distinctCollector();
    const type = ctx.argTypes[0] ?? "dynamic";
    return {
      add: (args) => {
        if (predicate !== null && args[predicate] !== true) return;
        if (args[0] !== null && args[0] !== undefined) set.add(toJson(args[0], type));
      },
      result: () => set.values,
    };
  };
}

defineAggregate({ name: "hll", minArgs: 1, maxArgs: 2, create: hllState(null) });
defineAggregate({ name: "hll_if", minArgs: 2, maxArgs: 3, create: hllState(1) });

defineAggregate({
  name: "hll_merge",
  minArgs: 1,
  maxArgs: 1,
  create: () => {
    const set = distinctCollector();
    return {
      add: ([s]) => {
        if (Array.isArray(s)) for (const x of s) set.add(x);
      },
      result: () => set.values,
    };
  },
});

defineScalar({
  name: "hll_merge",
  minArgs: 2,
  maxArgs: 64,
  impl: (args) => {
    const set = distinctCollector();
    for (const s of args) if (Array.isArray(s)) for (const x of s) set.add(x);
    return set.values;
  },
});

defineScalar({
  name: "dcount_hll",
  minArgs: 1,
  maxArgs: 1,
  impl: ([s]) => (Array.isArray(s) ? s.length : null),
});

// --- tdigest ----------------------------------------------------------------------------------

defineAggregate({
  name: "tdigest",
  minArgs: 1,
  maxArgs: 2,
  create: (ctx) => {
    const values: Json[] = [];
    const type = ctx.argTypes[0] ?? "real";
    return {
      add: ([v, w]) => {
        if (v === null || v === undefined) return;
        // A weight repeats the value (integral weights, as Kusto requires).
        const times = w === undefined ? 1 : Math.max(0, Math.trunc(toNumber(w) ?? 0));
        for (let i = 0; i < times; i++) values.push(toJson(v, type));
      },
      result: () => values,
    };
  },
});

defineAggregate({
  name: "tdigest_merge",
  aliases: ["merge_tdigest"],
  minArgs: 1,
  maxArgs: 1,
  create: () => {
    const values: Json[] = [];
    return {
      add: ([d]) => {
        if (Array.isArray(d)) values.push(...d);
      },
      result: () => values,
    };
  },
});

defineScalar({
  name: "tdigest_merge",
  aliases: ["merge_tdigest"],
  minArgs: 2,
  maxArgs: 64,
  impl: (args) => args.flatMap((d) => (Array.isArray(d) ? d : [])),
});

function sortedNumbers(d: Value | undefined): number[] | null {
  if (!Array.isArray(d)) return null;
  return d
    .map((x) => toNumber(x as Value))
    .filter((x): x is number => x !== null && !Number.isNaN(x))
    .sort((a, b) => a - b);
}

function nearestRank(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length - 1e-9));
  return sorted[Math.min(rank, sorted.length) - 1];
}

defineScalar({
  name: "percentile_tdigest",
  minArgs: 2,
  maxArgs: 3,
  impl: ([d, p]) => {
    const sorted = sortedNumbers(d);
    const pct = toNumber(p ?? null);
    return sorted && pct !== null ? nearestRank(sorted, pct) : null;
  },
});

defineScalar({
  name: "percentiles_array_tdigest",
  minArgs: 2,
  maxArgs: 64,
  impl: ([d, ...ps]) => {
    const sorted = sortedNumbers(d);
    if (!sorted) return null;
    const wanted = ps.flatMap((p) => (Array.isArray(p) ? p : [p as Json]));
    return wanted.map((p) => {
      const pct = toNumber(p as Value);
      return pct === null ? null : nearestRank(sorted, pct);
    });
  },
});

defineScalar({
  name: "rank_tdigest",
  minArgs: 2,
  maxArgs: 2,
  impl: ([d, v]) => {
    const sorted = sortedNumbers(d);
    const x = toNumber(v ?? null);
    if (!sorted || x === null) return null;
    // How many values are at most x.
    let n = 0;
    for (const s of sorted) if (s <= x) n++;
    return n;
  },
});
