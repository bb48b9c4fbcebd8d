// Conversions between engine values that many function families share: Kusto's string form
// of every type (what `tostring` and `strcat` produce), the JSON form a value takes inside a
// `dynamic` (what `pack`, `make_list` and friends store), and lenient number/bool reads.

import { exactLong, type Json, type KustoType, type Value } from "../values";
import { parseLenientJson } from "./json-lenient";
import {
  formatDatetimeIso,
  formatDatetimeString,
  formatTimespan,
  parseDatetime,
  parseTimespan,
} from "./datetime-format";

/** A best guess of a value's type when the analysed type is not known. */
export function inferType(v: Value): KustoType {
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "long" : "real";
  if (typeof v === "string") return "string";
  return "dynamic";
}

/** A double as .NET prints it (shortest round-trip; exponent form below 1e-4 or from 1e15). */
export function formatReal(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e15 || abs < 1e-4) {
    const [mant, exp] = x.toExponential().split("e");
    const e = Number(exp);
    return `${mant}E${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return String(x);
}

/** Compact JSON as Kusto serialises dynamic values. */
export function jsonText(v: Json): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    typeof x === "number" && !Number.isFinite(x) ? formatReal(x) : x,
  );
}

/** Kusto's string form of a value of type `t` (`tostring`); null becomes "". */
export function toKustoString(v: Value, t: KustoType = inferType(v)): string {
  if (v === null || v === undefined) return "";
  // Arrays and bags print as JSON whatever type was announced for them.
  if (typeof v === "object") return jsonText(v);
  switch (t) {
    case "string":
    case "guid":
      return String(v);
    case "bool":
      return v ? "true" : "false";
    case "datetime":
      return typeof v === "number" ? formatDatetimeString(v) : String(v);
    case "timespan":
      return typeof v === "number" ? formatTimespan(v) : String(v);
    case "real":
    case "decimal":
      return typeof v === "number" ? formatReal(v) : String(v);
    case "int":
    case "long":
      return typeof v === "number" ? (Number.isInteger(v) ? String(v) : formatReal(v)) : String(v);
    case "dynamic":
      if (typeof v === "string") return v;
      if (typeof v === "number") return formatReal(v);
      return v ? "true" : "false";
  }
}

/** The JSON a value of type `t` becomes inside a `dynamic` (datetimes as ISO strings…). */
export function toJson(v: Value, t: KustoType = inferType(v)): Json {
  if (v === null || v === undefined) return null;
  // JSON numbers are doubles: a long beyond 2^53 is rounded inside a dynamic.
  if (typeof v === "bigint") return Number(v);
  switch (t) {
    case "datetime":
      return typeof v === "number" ? formatDatetimeIso(v) : v;
    case "timespan":
      return toKustoString(v, t);
    case "real":
    case "decimal":
      // JSON has no NaN/Infinity; Kusto stores them as their names.
      return typeof v === "number" && !Number.isFinite(v) ? formatReal(v) : v;
    default:
      return v;
  }
}

/** A number from a numeric, bool, or numeric-looking string/dynamic value; else null. */
export function toNumber(v: Value): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") return parseReal(v);
  return null;
}

/** Parses a real as `toreal` does ("1.5", "1e3", "NaN", "inf"); null when not a number. */
export function parseReal(text: string): number | null {
  const s = text.trim();
  if (s === "") return null;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Number(s);
  if (/^nan$/i.test(s)) return NaN;
  const inf = /^([+-])?(inf|infinity|∞)$/i.exec(s);
  if (inf) return inf[1] === "-" ? -Infinity : Infinity;
  return null;
}

/** Parses an integer as `tolong` does; decimal text is truncated, other text is null. */
export function parseLong(text: string): number | bigint | null {
  const s = text.trim();
  if (/^[+-]?\d+$/.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : exactLong(BigInt(s));
  }
  const r = parseReal(s);
  return r === null || !Number.isFinite(r) ? null : Math.trunc(r);
}

/** `tobool`: true/false in any case, numbers (non-zero is true); else null. */
export function toBool(v: Value): boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isNaN(v) ? null : v !== 0;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true") return true;
    if (s === "false") return false;
    if (/^[+-]?\d+$/.test(s)) return Number(s) !== 0;
    return null;
  }
  return null;
}

/** `todatetime` of a value of type `t`. */
export function toDatetime(v: Value, t: KustoType): number | null {
  if (v === null || v === undefined) return null;
  if (t === "datetime" && typeof v === "number") return v;
  if (typeof v === "string") return parseDatetime(v);
  return null;
}

/** `totimespan` of a value of type `t` (a number counts ticks). */
export function toTimespan(v: Value, t: KustoType): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number") return t === "real" ? Math.round(v) : v;
  if (typeof v === "string") return parseTimespan(v);
  return null;
}

const GUID_RE =
  /^\{?([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})\}?$/i;

/** `toguid`: the canonical lowercase form, or null. */
export function toGuid(v: Value): string | null {
  if (typeof v !== "string") return null;
  const m = GUID_RE.exec(v.trim());
  return m ? m.slice(1).join("-").toLowerCase() : null;
}

/** A JSON object with a null prototype, as the value model requires. */
export function newBag(): { [key: string]: Json } {
  return Object.create(null) as { [key: string]: Json };
}

export function isBag(v: Value | Json | undefined): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep copy of a JSON value, with objects given null prototypes. */
export function cloneJson(v: Json): Json {
  if (Array.isArray(v)) return v.map(cloneJson);
  if (isBag(v)) {
    const out = newBag();
    for (const k of Object.keys(v)) out[k] = cloneJson(v[k]);
    return out;
  }
  return v;
}

/** Parses JSON text (leniently, as Kusto does) into the value model; undefined when not JSON. */
export function parseJsonText(text: string): Json | undefined {
  try {
    return cloneJson(JSON.parse(text) as Json);
  } catch {
    return parseLenientJson(text);
  }
}

/**
 * Equality of two JSON leaves the way Kusto compares dynamic elements (`set_has_element`,
 * `array_index_of`, `make_set`): same JSON type and value.
 */
export function jsonKey(v: Json): string {
  return typeof v === "object" && v !== null ? "o" + jsonText(v) : typeof v + ":" + String(v);
}
