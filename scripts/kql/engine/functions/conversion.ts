// Type conversion functions: tostring, toint, tolong, toreal/todouble, todecimal, tobool,
// toguid, todatetime, totimespan, todynamic/parse_json, gettype, tohex.

import { exactLong, type KustoType, type Value } from "../values";
import {
  parseJsonText,
  parseLong,
  parseReal,
  toBool,
  toJson,
  toDatetime,
  toGuid,
  toKustoString,
  toTimespan,
} from "./coerce";
import { defineScalar } from "./registry";

/** Ticks from 0001-01-01 to 2020-01-01: `tolong(datetime)` counts .NET ticks from year 1. */
export const DOTNET_TICKS_AT_ENGINE_EPOCH = 637134336000000000;
const DOTNET_TICKS_AT_ENGINE_EPOCH_BIG = 637134336000000000n;

function integerOf(v: Value, t: KustoType): number | bigint | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "bigint") return v;
  if (typeof v === "number") {
    // .NET ticks of a datetime exceed 2^53: exact as a bigint.
    if (t === "datetime")
      return exactLong(DOTNET_TICKS_AT_ENGINE_EPOCH_BIG + BigInt(Math.round(v)));
    return Number.isFinite(v) ? Math.trunc(v) : null;
  }
  if (typeof v === "string") return parseLong(v);
  return null;
}

function realOf(v: Value, t: KustoType): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return t === "datetime" ? v + DOTNET_TICKS_AT_ENGINE_EPOCH : v;
  if (typeof v === "string") return parseReal(v);
  return null;
}

defineScalar({
  name: "tostring",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v], ctx) => toKustoString(v, ctx.argTypes[0]),
});

defineScalar({
  name: "toint",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v], ctx) => {
    const n = integerOf(v, ctx.argTypes[0]);
    // Kusto narrows to 32 bits by wrapping, as a C# unchecked cast does.
    return n === null ? null : Number(BigInt.asIntN(32, typeof n === "bigint" ? n : BigInt(n)));
  },
});

defineScalar({
  name: "tolong",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v], ctx) => integerOf(v, ctx.argTypes[0]),
});

defineScalar({
  name: "toreal",
  aliases: ["todouble"],
  minArgs: 1,
  maxArgs: 1,
  impl: ([v], ctx) => realOf(v, ctx.argTypes[0]),
});

defineScalar({
  name: "todecimal",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v], ctx) => realOf(v, ctx.argTypes[0]),
});

defineScalar({
  name: "tobool",
  aliases: ["toboolean"],
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => toBool(v),
});

defineScalar({
  name: "toguid",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => toGuid(v),
});

defineScalar({
  name: "todatetime",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v], ctx) => toDatetime(v, ctx.argTypes[0]),
});

defineScalar({
  name: "totimespan",
  aliases: ["totime"],
  minArgs: 1,
  maxArgs: 1,
  impl: ([v], ctx) => toTimespan(v, ctx.argTypes[0]),
});

defineScalar({
  name: "todynamic",
  aliases: ["parse_json", "parsejson", "toobject"],
  minArgs: 1,
  maxArgs: 1,
  impl: ([v], ctx) => {
    if (v === null || v === undefined) return null;
    const t = ctx.argTypes[0];
    // A dynamic argument is used as is, even a dynamic string (the docs' reason for
    // parse_json(tostring(d.b)) on nested JSON text).
    if (t === "dynamic") return v;
    if (t !== "string" || typeof v !== "string") return toJson(v, t);
    // Text that is not JSON stays a dynamic string, as in Kusto.
    const parsed = parseJsonText(v);
    return parsed === undefined ? v : parsed;
  },
});

function dynamicTypeName(v: Value): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "object") return "dictionary";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "long" : "real";
  return "string";
}

defineScalar({
  name: "gettype",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v], ctx) => {
    const t = ctx.argTypes[0];
    return t === "dynamic" ? dynamicTypeName(v) : t;
  },
});

defineScalar({
  name: "tohex",
  minArgs: 1,
  maxArgs: 2,
  impl: ([v, width]) => {
    if (typeof v !== "number" || !Number.isFinite(v)) return null;
    let n = BigInt(Math.trunc(v));
    // Negative numbers print as their 64-bit two's complement.
    if (n < 0n) n = BigInt.asUintN(64, n);
    const s = n.toString(16);
    return typeof width === "number" && width > 0 ? s.padStart(Math.min(width, 64), "0") : s;
  },
});
