// Conditional and null-testing functions: iff/iif, case, coalesce, isnull, isnotnull, isempty,
// isnotempty, not, isnan, isinf, isfinite, assert.
//
// `iff`, `case` and `coalesce` are pure, so the evaluator may compute all their arguments
// first; they only pick one.

import { KqlError } from "../errors";
import type { Value } from "../values";
import { toKustoString } from "./coerce";
import { defineScalar } from "./registry";

/** Kusto's null for a value of a type: null, or "" for strings (which have no null). */
export function isNullValue(v: Value | undefined): boolean {
  return v === null || v === undefined;
}

defineScalar({
  name: "iff",
  aliases: ["iif"],
  minArgs: 3,
  maxArgs: 3,
  // A null condition is not true, so it takes the else branch.
  impl: ([cond, then, otherwise]) => (cond === true ? then : otherwise),
});

defineScalar({
  name: "case",
  minArgs: 3,
  maxArgs: Infinity,
  impl: (args) => {
    for (let i = 0; i + 1 < args.length; i += 2) if (args[i] === true) return args[i + 1];
    return args[args.length - 1];
  },
});

defineScalar({
  name: "coalesce",
  minArgs: 1,
  maxArgs: 64,
  impl: (args, ctx) => {
    // For strings "" is the null, so the first non-empty string wins.
    const empty = (v: Value) => isNullValue(v) || (ctx.resultType === "string" && v === "");
    for (const v of args) if (!empty(v)) return v;
    return ctx.resultType === "string" ? "" : null;
  },
});

defineScalar({
  name: "isnull",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v], ctx) => (ctx.argTypes[0] === "string" ? false : isNullValue(v)),
});

defineScalar({
  name: "isnotnull",
  aliases: ["notnull"],
  minArgs: 1,
  maxArgs: 1,
  impl: ([v], ctx) => (ctx.argTypes[0] === "string" ? true : !isNullValue(v)),
});

function isEmptyValue(v: Value): boolean {
  return isNullValue(v) || v === "";
}

defineScalar({
  name: "isempty",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => isEmptyValue(v),
});

defineScalar({
  name: "isnotempty",
  aliases: ["notempty"],
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => !isEmptyValue(v),
});

defineScalar({
  name: "not",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => (typeof v === "boolean" ? !v : null),
});

defineScalar({
  name: "isnan",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => (typeof v === "number" ? Number.isNaN(v) : null),
});

defineScalar({
  name: "isinf",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => (typeof v === "number" ? v === Infinity || v === -Infinity : null),
});

defineScalar({
  name: "isfinite",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => (typeof v === "number" ? Number.isFinite(v) : null),
});

/** Raised by `assert()` when its condition is false; the message is the user's. */
export class AssertionFailed extends KqlError {}

defineScalar({
  name: "assert",
  minArgs: 2,
  maxArgs: 2,
  impl: ([cond, message]) => {
    if (cond !== true) throw new AssertionFailed(`assert() failed: ${toKustoString(message)}`);
    return true;
  },
});

defineScalar({
  name: "ingestion_time",
  minArgs: 0,
  maxArgs: 0,
  // Kusto returns null for tables without an IngestionTime policy, which local tables are.
  impl: () => null,
});
