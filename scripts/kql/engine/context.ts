// What evaluation carries around: the pinned clock, the budgets, the caller's tables and
// functions, and the let-bound names in scope.

import { getHeapStatistics } from "node:v8";
import type { SyntaxElement } from "../kusto";
import { BudgetError } from "./errors";
import type { Compiled } from "./expressions/compile";
import type { KustoType, Table, Value } from "./values";

export interface Budget {
  /** Most rows any one operator may produce (and most rows materialised in total). */
  maxRows: number;
  /** Wall-clock milliseconds for the whole query. */
  maxMillis: number;
  /**
   * JS heap in use (bytes) at which the query stops, checked while rows are produced: wide
   * rows (huge strings, big dynamic values) can exhaust memory within the row budget.
   */
  maxHeapBytes: number;
}

export const DEFAULT_BUDGET: Budget = {
  maxRows: 5_000_000,
  maxMillis: 30_000,
  maxHeapBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.8),
};

/** A let-bound name. Tables are evaluated lazily, once (`materialize` is then free). */
export type Binding =
  | { kind: "scalar"; value: Value; type: KustoType }
  | { kind: "table"; get: () => Table }
  | { kind: "function"; decl: SyntaxElement; env: Env }
  | { kind: "lazyScalar"; get: () => { value: Value; type: KustoType } }
  /** A scalar let or lambda parameter, compiled in the scope it was bound in. */
  | { kind: "expr"; compiled: Compiled; shadowsColumns?: boolean };

export interface Env {
  vars: Map<string, Binding>;
  parent?: Env;
}

export function lookup(env: Env | undefined, name: string): Binding | undefined {
  for (let e = env; e; e = e.parent) {
    const b = e.vars.get(name);
    if (b) return b;
  }
  return undefined;
}

export interface RunContext {
  /** `now()` in engine ticks. */
  now: number;
  budget: Budget;
  deadline: number;
  /** Caller's tables (and known schemas as empty tables), by name. */
  tables: Map<string, () => Table>;
  /** Caller's functions returning tables (`_GetWatchlist('x')`, ASIM parsers), by name. */
  functions: Map<string, () => Table>;
  /** Names of the tables the caller supplied (the rest are known schemas, empty). */
  suppliedTables: Set<string>;
  /** Results of `as` operators, visible to later statements. */
  asTables: Map<string, Table>;
  /** Counter for periodic time checks. */
  tick: number;
}

/** Throws when the wall-clock or memory budget is spent; cheap enough to call once per row. */
export function checkTime(ctx: RunContext): void {
  if ((++ctx.tick & 0xfff) !== 0) return;
  if (Date.now() > ctx.deadline) {
    throw new BudgetError(
      `time budget exceeded: the query ran longer than ${ctx.budget.maxMillis} ms (raise budget.maxMillis)`,
    );
  }
  if (process.memoryUsage().heapUsed > ctx.budget.maxHeapBytes) {
    throw new BudgetError(
      `memory budget exceeded: the query holds more than ${Math.round(ctx.budget.maxHeapBytes / 1e6)} MB (raise budget.maxHeapBytes or narrow the query)`,
    );
  }
}

/** Throws when an operator's output grows past the row budget. */
export function checkRows(ctx: RunContext, count: number, what: string): void {
  if (count > ctx.budget.maxRows) {
    throw new BudgetError(
      `row budget exceeded: ${what} would produce more than ${ctx.budget.maxRows} rows (raise budget.maxRows)`,
    );
  }
  checkTime(ctx);
}
