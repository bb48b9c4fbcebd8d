// Calls registered functions directly, values in and values out, for the unit tests.

import "../../../scripts/kql/engine/functions/index";
import {
  aggregateFunction,
  scalarFunction,
  type CallContext,
} from "../../../scripts/kql/engine/functions/registry";
import { parseDatetime } from "../../../scripts/kql/engine/functions/datetime-format";
import { inferType } from "../../../scripts/kql/engine/functions/coerce";
import type { KustoType, Value } from "../../../scripts/kql/engine/values";

/** A pinned clock for now()/ago(): 2026-05-06 10:00 UTC. */
export const NOW = parseDatetime("2026-05-06T10:00:00Z") as number;

/** A value with its Kusto type, for arguments whose type is not the inferred one. */
export interface Typed {
  v: Value;
  t: KustoType;
}

export const dt = (s: string): Typed => ({ v: parseDatetime(s), t: "datetime" });
export const ts = (ticks: number): Typed => ({ v: ticks, t: "timespan" });
export const dyn = (v: Value): Typed => ({ v, t: "dynamic" });
export const real = (v: number | null): Typed => ({ v, t: "real" });
export const long = (v: number | null): Typed => ({ v, t: "long" });

function split(args: (Value | Typed)[]): { values: Value[]; types: KustoType[] } {
  const values: Value[] = [];
  const types: KustoType[] = [];
  for (const a of args) {
    if (a !== null && typeof a === "object" && !Array.isArray(a) && "t" in a && "v" in a) {
      values.push((a as Typed).v);
      types.push((a as Typed).t);
    } else {
      values.push(a as Value);
      types.push(inferType(a as Value));
    }
  }
  return { values, types };
}

/** Calls scalar `name`; `resultType` is what Kusto.Language would have analysed. */
export function call(
  name: string,
  args: (Value | Typed)[],
  resultType: KustoType = "dynamic",
): Value {
  const fn = scalarFunction(name);
  if (!fn) throw new Error(`no scalar function ${name}`);
  const { values, types } = split(args);
  const ctx: CallContext = { now: NOW, resultType, argTypes: types };
  return fn.impl(values, ctx);
}

/** Runs aggregate `name` over rows of arguments. */
export function aggregate(
  name: string,
  rows: (Value | Typed)[][],
  resultType: KustoType = "dynamic",
  argTypes?: KustoType[],
): Value {
  const fn = aggregateFunction(name);
  if (!fn) throw new Error(`no aggregate function ${name}`);
  const first = rows.length ? split(rows[0]).types : [];
  const ctx: CallContext = { now: NOW, resultType, argTypes: argTypes ?? first };
  const state = fn.create(ctx);
  for (const r of rows) state.add(split(r).values);
  return state.result() as Value;
}

/** JSON text of a value, for compact expectations on dynamic results. */
export const json = (v: Value): string => JSON.stringify(v);
