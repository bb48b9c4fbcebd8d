// The registry of scalar and aggregate functions, by name.
//
// The evaluator resolves a call by the function's name (as Kusto.Language binds it), checks
// the argument count against the signature, and calls `impl`. Result types come from
// Kusto.Language's analysis of the call (`resultType`), so an implementation only computes
// the value. Each family of functions lives in its own module beside this one and registers
// itself through `defineScalar` / `defineAggregate`; `index.ts` imports them all.

import type { KustoType, Value } from "../values";

/** What a scalar function sees besides its arguments. */
export interface CallContext {
  /** The pinned clock: `now()` in engine datetime ticks. */
  now: number;
  /** The Kusto type Kusto.Language computed for this call's result. */
  resultType: KustoType;
  /** The Kusto types of the arguments, as analysed. */
  argTypes: KustoType[];
}

export interface ScalarFunction {
  name: string;
  aliases?: string[];
  minArgs: number;
  /** `Infinity` for variadic functions. */
  maxArgs: number;
  /**
   * Set when `impl` handles longs beyond ±2^53 held as bigints (see values.ts). Other functions
   * receive such longs rounded to the nearest number.
   */
  exactLongs?: boolean;
  impl(args: Value[], ctx: CallContext): Value;
}

/** The running state of one aggregate over one group. */
export interface AggregateState {
  /** Feeds one row's argument values. */
  add(args: Value[]): void;
  /** The aggregate's value for the group (for `multiColumn` aggregates: one per column). */
  result(): Value | Value[];
}

export interface AggregateFunction {
  name: string;
  aliases?: string[];
  minArgs: number;
  maxArgs: number;
  /**
   * Set for aggregates with one output column per argument (arg_max, arg_min, percentiles,
   * percentilesw, and take_any when called with several arguments): `result()` then returns an
   * array holding one value per output column, in argument order (for arg_max: the maximised
   * value, then the other arguments).
   */
  multiColumn?: boolean;
  /** As for scalar functions: set when `add` handles bigint longs. */
  exactLongs?: boolean;
  /** A fresh state for one group. */
  create(ctx: CallContext): AggregateState;
}

const scalars = new Map<string, ScalarFunction>();
const aggregates = new Map<string, AggregateFunction>();

export function defineScalar(fn: ScalarFunction): void {
  for (const n of [fn.name, ...(fn.aliases ?? [])]) scalars.set(n, fn);
}

// Functions that pass values through or print them, and so keep 64-bit longs exact.
const EXACT_LONG_FUNCTIONS = [
  "tostring",
  "tolong",
  "toint",
  "gettype",
  "strcat",
  "strcat_delim",
  "iff",
  "iif",
  "case",
  "coalesce",
  "isnull",
  "isnotnull",
  "notnull",
  "isempty",
  "isnotempty",
  "notempty",
  "hash",
  "hash_xxhash64",
  "hash_sha256",
  "hash_sha1",
  "hash_md5",
  "hash_crc32",
  "hash_djb2",
  "binary_and",
  "binary_or",
  "binary_xor",
  "binary_not",
  "binary_shift_left",
  "binary_shift_right",
];

/** Whether a scalar function keeps bigint longs (else the evaluator rounds them to numbers). */
export function takesExactLongs(fn: ScalarFunction): boolean {
  return fn.exactLongs === true || EXACT_LONG_FUNCTIONS.includes(fn.name);
}

// Aggregates that compare, count or collect values, and so keep 64-bit longs exact (make_*
// store them in a dynamic, where they become numbers anyway).
const EXACT_LONG_AGGREGATES = [
  "min",
  "max",
  "minif",
  "maxif",
  "take_any",
  "any",
  "take_anyif",
  "anyif",
  "dcount",
  "dcountif",
  "count_distinct",
  "count_distinctif",
  "countif",
];

/** Whether an aggregate keeps bigint longs (else the evaluator rounds them to numbers). */
export function aggregateTakesExactLongs(fn: AggregateFunction): boolean {
  return fn.exactLongs === true || EXACT_LONG_AGGREGATES.includes(fn.name);
}

export function defineAggregate(fn: AggregateFunction): void {
  for (const n of [fn.name, ...(fn.aliases ?? [])]) aggregates.set(n, fn);
}

export function scalarFunction(name: string): ScalarFunction | undefined {
  return scalars.get(name);
}

export function aggregateFunction(name: string): AggregateFunction | undefined {
  return aggregates.get(name);
}

export function scalarFunctionNames(): string[] {
  return [...scalars.keys()].sort();
}

export function aggregateFunctionNames(): string[] {
  return [...aggregates.keys()].sort();
}
