// Every scalar function and aggregate accepts odd values (nulls, empty strings, NaN, wrong
// kinds of dynamic) without crashing: it returns a value, or raises the engine's own KqlError
// (a bad regex, a failed assert) that the evaluator reports with a position.

import "../../../scripts/kql/engine/functions/index";
import {
  aggregateFunction,
  aggregateFunctionNames,
  scalarFunction,
  scalarFunctionNames,
  type CallContext,
} from "../../../scripts/kql/engine/functions/registry";
import { KqlError } from "../../../scripts/kql/engine/errors";
import type { KustoType, Value } from "../../../scripts/kql/engine/values";

const ODD: { v: Value; t: KustoType }[] = [
  { v: null, t: "long" },
  { v: "", t: "string" },
  { v: "x(", t: "string" },
  { v: Number.NaN, t: "real" },
  { v: -1, t: "long" },
  { v: 1e300, t: "real" },
  { v: [], t: "dynamic" },
  { v: [null, "a", 1, { b: 2 }], t: "dynamic" },
  { v: Object.assign(Object.create(null), { k: [1] }), t: "dynamic" },
  { v: 0, t: "datetime" },
  { v: -5, t: "timespan" },
  { v: true, t: "bool" },
];

function ctx(types: KustoType[], resultType: KustoType): CallContext {
  return { now: 0, resultType, argTypes: types };
}

function acceptable(run: () => unknown): void {
  try {
    const out = run();
    expect(out).not.toBeUndefined();
  } catch (e) {
    if (!(e instanceof KqlError)) throw e;
  }
}

describe.each(scalarFunctionNames())("scalar %s", (name) => {
  test("survives odd arguments", () => {
    const fn = scalarFunction(name)!;
    const counts = [fn.minArgs, Math.min(fn.maxArgs, fn.minArgs + 1), Math.min(fn.maxArgs, 3)];
    for (const n of new Set(counts)) {
      for (let k = 0; k < ODD.length; k++) {
        // Rotate through the odd values so each position sees each kind.
        const args = Array.from({ length: n }, (_, i) => ODD[(k + i) % ODD.length]);
        for (const resultType of ["dynamic", "string", "long"] as KustoType[]) {
          acceptable(() =>
            fn.impl(
              args.map((a) => a.v),
              ctx(
                args.map((a) => a.t),
                resultType,
              ),
            ),
          );
        }
      }
    }
  });
});

describe.each(aggregateFunctionNames())("aggregate %s", (name) => {
  test("survives odd rows", () => {
    const fn = aggregateFunction(name)!;
    const n = Math.max(fn.minArgs, 1);
    for (let k = 0; k < ODD.length; k++) {
      const types = Array.from({ length: n }, (_, i) => ODD[(k + i) % ODD.length].t);
      const state = fn.create(ctx(types, "dynamic"));
      acceptable(() => {
        for (let r = 0; r < ODD.length; r++) {
          state.add(Array.from({ length: n }, (_, i) => ODD[(k + r + i) % ODD.length].v));
        }
        return state.result();
      });
    }
  });
});
