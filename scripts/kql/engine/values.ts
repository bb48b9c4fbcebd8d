// The engine's value model: Kusto's scalar types and how each is held in JavaScript.
//
// Every cell of every table, and every result of a scalar expression, is a `Value`:
//   null      the null of any type (Kusto's `string` has no null: it uses "")
//   bool      boolean
//   int, real, decimal
//             number
//   long      number within ±(2^53 - 1); a bigint beyond (hash values, big literals), so 64-bit
//             longs stay exact while the common case stays a fast number. `exactLong` keeps
//             that rule: a long is a bigint only when a number cannot hold it. Inside a
//             dynamic value a bigint becomes a (rounded) number: JSON has only numbers.
//   string    string
//   guid      string, lowercase canonical form
//   datetime  number: 100-ns ticks since DATETIME_EPOCH (see below)
//   timespan  number: 100-ns ticks
//   dynamic   a JSON value (null | boolean | number | string | array | object); objects are
//             plain objects created with a null prototype, so `__proto__` keys are data.
//
// Why datetime ticks count from 2020 and not from 1970: a JS number holds integers exactly up
// to 2^53 ≈ 9.0e15, which is 28.5 years of 100-ns ticks. Counting from 2020-01-01 keeps every
// datetime between 1991 and 2048 exact to the tick (Kusto prints 7 fractional digits and
// `endofday` really is `23:59:59.9999999`), while keeping arithmetic on plain numbers fast.
// Outside that range values are exact to a few ticks.

import {
  DATETIME_EPOCH_MS,
  TICKS_PER_DAY,
  TICKS_PER_HOUR,
  TICKS_PER_MILLISECOND,
  TICKS_PER_MINUTE,
  TICKS_PER_SECOND,
} from "./ticks";
import {
  formatDatetimeIso,
  parseDatetime as parseDatetimeFormats,
  parseTimespan as parseTimespanText,
} from "./functions/datetime-format";

export type KustoType =
  | "bool"
  | "int"
  | "long"
  | "real"
  | "decimal"
  | "string"
  | "datetime"
  | "timespan"
  | "guid"
  | "dynamic";

export const KUSTO_TYPES: readonly KustoType[] = [
  "bool",
  "int",
  "long",
  "real",
  "decimal",
  "string",
  "datetime",
  "timespan",
  "guid",
  "dynamic",
];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Value = null | boolean | number | bigint | string | Json[] | { [key: string]: Json };

/** An output cell: JSON, or a bigint for a long beyond ±2^53 when exact longs are asked for. */
export type OutputCell = Json | bigint;

/** A 64-bit long (wrapped to signed 64 bits) as the engine holds it: a number when it is safe. */
export function exactLong(b: bigint): number | bigint {
  const w = BigInt.asIntN(64, b);
  return w >= -9007199254740991n && w <= 9007199254740991n ? Number(w) : w;
}

export interface Column {
  name: string;
  type: KustoType;
}

/** A table as the engine passes it between operators: rows are arrays in column order. */
export interface Table {
  columns: Column[];
  rows: Value[][];
}

export {
  DATETIME_EPOCH_MS,
  TICKS_PER_DAY,
  TICKS_PER_HOUR,
  TICKS_PER_MILLISECOND,
  TICKS_PER_MINUTE,
  TICKS_PER_SECOND,
};

/** Engine datetime value of a Unix-milliseconds instant (may carry sub-ms ticks). */
export function datetimeFromUnixMs(ms: number, extraTicks = 0): number {
  return (ms - DATETIME_EPOCH_MS) * TICKS_PER_MILLISECOND + extraTicks;
}

/** Unix milliseconds of an engine datetime (sub-millisecond ticks are dropped). */
export function unixMsFromDatetime(ticks: number): number {
  return Math.floor(ticks / TICKS_PER_MILLISECOND) + DATETIME_EPOCH_MS;
}

/** Normalises a type name as Kusto writes it (`Int64`, `DateTime`, `double`…) to ours. */
export function kustoType(name: string): KustoType | undefined {
  switch (name.trim().toLowerCase()) {
    case "bool":
    case "boolean":
    case "sbyte":
      return "bool";
    case "int":
    case "int32":
      return "int";
    case "long":
    case "int64":
    case "bigint":
      return "long";
    case "real":
    case "double":
    case "float":
      return "real";
    case "decimal":
    case "sqldecimal":
      return "decimal";
    case "string":
      return "string";
    case "datetime":
    case "date":
      return "datetime";
    case "timespan":
    case "time":
      return "timespan";
    case "guid":
    case "uniqueid":
      return "guid";
    case "dynamic":
    case "object":
      return "dynamic";
    default:
      return undefined;
  }
}

export function isNumericType(t: KustoType): boolean {
  return t === "int" || t === "long" || t === "real" || t === "decimal";
}

// ---------------------------------------------------------------------------------------------
// Conversions between engine values and text, shared by the evaluator, the functions and the
// input/output adapters.

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Kusto's JSON form of a datetime: `2026-05-06T10:00:00Z`, fraction only when non-zero. */
export function formatDatetime(ticks: number): string {
  const t = Math.round(ticks);
  const fraction = ((t % TICKS_PER_SECOND) + TICKS_PER_SECOND) % TICKS_PER_SECOND;
  const wholeSeconds = (t - fraction) / TICKS_PER_SECOND;
  const d = new Date(DATETIME_EPOCH_MS + wholeSeconds * 1000);
  if (Number.isNaN(d.getTime())) return "";
  const y = d.getUTCFullYear();
  const date = `${y < 0 ? "-" + pad(-y, 6) : pad(y, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
  const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return `${date}T${time}.${pad(fraction, 7)}Z`;
}

/** Kusto's text form of a timespan: `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(ticks: number): string {
  const negative = ticks < 0;
  let t = Math.round(Math.abs(ticks));
  const days = Math.floor(t / TICKS_PER_DAY);
  t -= days * TICKS_PER_DAY;
  const hours = Math.floor(t / TICKS_PER_HOUR);
  t -= hours * TICKS_PER_HOUR;
  const minutes = Math.floor(t / TICKS_PER_MINUTE);
  t -= minutes * TICKS_PER_MINUTE;
  const seconds = Math.floor(t / TICKS_PER_SECOND);
  const fraction = t - seconds * TICKS_PER_SECOND;
  const body = `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}${fraction ? "." + pad(fraction, 7) : ""}`;
  return `${negative ? "-" : ""}${days ? days + "." : ""}${body}`;
}

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

/**
 * Parses the datetime texts Kusto accepts into ticks, or null when the text is not a datetime:
 * every form `todatetime()` reads (functions/datetime-format.ts, the one parser of the engine),
 * and the lenient forms below that input data and literals also use (`2015, 12, 31`,
 * `Dec 31, 2015`, `dd-MM-yyyy`).
 */
export function parseDatetime(text: string): number | null {
  return parseDatetimeFormats(text) ?? parseDatetimeLenient(text);
}

function parseDatetimeLenient(text: string): number | null {
  const s = text.trim().replace(/^(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})\b,?/, "$1-$2-$3");
  if (!s) return null;
  const parts =
    /^(\d{4}),\s*(\d{1,2}),\s*(\d{1,2})(?:,\s*(\d{1,2})(?:,\s*(\d{1,2})(?:,\s*(\d{1,2}))?)?)?$/.exec(
      s,
    );
  if (parts) {
    const [, y, mo, d, h, mi, se] = parts;
    return datetimeFromUnixMs(Date.UTC(+y, +mo - 1, +d, h ? +h : 0, mi ? +mi : 0, se ? +se : 0));
  }
  const iso =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?$/i.exec(
      s,
    );
  if (iso) {
    const [, y, mo, d, h, mi, se, fr, zone] = iso;
    let ms = Date.UTC(+y, +mo - 1, +d, h ? +h : 0, mi ? +mi : 0, se ? +se : 0);
    if (+y < 100) ms = new Date(ms).setUTCFullYear(+y);
    if (Number.isNaN(ms) || +mo > 12 || +d > 31) return null;
    let extra = 0;
    if (fr) extra = Math.round(Number(`0.${fr}`) * TICKS_PER_SECOND);
    if (zone && /^[+-]/.test(zone)) {
      const z = zone.replace(":", "");
      const offset = (+z.slice(1, 3) * 60 + +z.slice(3, 5)) * 60_000;
      ms += z[0] === "+" ? -offset : offset;
    }
    return datetimeFromUnixMs(ms, extra);
  }
  const compact = /^(\d{4})(\d{2})(\d{2})(?:[T ]?(\d{2})(\d{2})(?:(\d{2}))?)?Z?$/.exec(s);
  if (compact && s.length >= 8 && !/^\d+$/.test(s.slice(0, 9))) {
    const [, y, mo, d, h, mi, se] = compact;
    return datetimeFromUnixMs(Date.UTC(+y, +mo - 1, +d, h ? +h : 0, mi ? +mi : 0, se ? +se : 0));
  }
  const rfc =
    /^(?:[A-Za-z]{3,9},?\s+)?(\d{1,2})[\s-]([A-Za-z]{3})[a-z]*[\s-](\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(GMT|UTC|Z|[+-]\d{4}|[A-Z]{1,4})?$/.exec(
      s,
    );
  if (rfc) {
    const [, d, mon, yRaw, h, mi, se, fr, zone] = rfc;
    const m = MONTHS[mon.toLowerCase()];
    if (m === undefined) return null;
    let y = +yRaw;
    if (yRaw.length === 2) y += y < 50 ? 2000 : 1900;
    let ms = Date.UTC(y, m, +d, h ? +h : 0, mi ? +mi : 0, se ? +se : 0);
    if (zone && /^[+-]\d{4}$/.test(zone)) {
      const offset = (+zone.slice(1, 3) * 60 + +zone.slice(3, 5)) * 60_000;
      ms += zone[0] === "+" ? -offset : offset;
    }
    const extra = fr ? Math.round(Number(`0.${fr}`) * TICKS_PER_SECOND) : 0;
    return datetimeFromUnixMs(ms, extra);
  }
  const us =
    /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*(AM|PM)?)?$/i.exec(
      s,
    );
  if (us) {
    const [, mo, d, y, h, mi, se, fr, ampm] = us;
    let hour = h ? +h : 0;
    if (ampm && /pm/i.test(ampm) && hour < 12) hour += 12;
    if (ampm && /am/i.test(ampm) && hour === 12) hour = 0;
    const extra = fr ? Math.round(Number(`0.${fr}`) * TICKS_PER_SECOND) : 0;
    return datetimeFromUnixMs(Date.UTC(+y, +mo - 1, +d, hour, mi ? +mi : 0, se ? +se : 0), extra);
  }
  const dashed = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(s);
  if (dashed) return datetimeFromUnixMs(Date.UTC(+dashed[3], +dashed[1] - 1, +dashed[2]));
  const month =
    /^([A-Za-z]{3})[a-z]*\s+(\d{1,2}),?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (month) {
    const m = MONTHS[month[1].toLowerCase()];
    if (m === undefined) return null;
    return datetimeFromUnixMs(
      Date.UTC(
        +month[3],
        m,
        +month[2],
        month[4] ? +month[4] : 0,
        month[5] ? +month[5] : 0,
        month[6] ? +month[6] : 0,
      ),
    );
  }
  return null;
}

/**
 * Parses a timespan: `1d`, `1.5h`, `30m`, `100ms`, `10microseconds`, `3tick`, or the clock form
 * `[-][d.]hh:mm[:ss[.fffffff]]`. Null when the text is not a timespan. One parser for the engine
 * and `totimespan` (functions/datetime-format).
 */
export function parseTimespan(text: string): number | null {
  return parseTimespanText(text.trim().replace(/^\+/, ""));
}

/** A new JSON object with a null prototype, as the value model requires for dynamic bags. */
export function newBag(): { [key: string]: Json } {
  return Object.create(null) as { [key: string]: Json };
}

/**
 * The dynamic (JSON) form of a scalar of the given type: datetimes and timespans become their
 * text, as Kusto stores them inside dynamic values.
 */
export function toDynamic(v: Value, type: KustoType): Json {
  if (v === null) return null;
  if (typeof v === "bigint") return Number(v);
  switch (type) {
    case "datetime":
      // As Kusto stores a datetime in a dynamic: `2020-01-01T00:00:00Z`, fraction only when
      // non-zero (the same form pack(), make_list() and friends give, via functions/coerce.ts).
      return typeof v === "number" ? formatDatetimeIso(v) : (v as Json);
    case "timespan":
      return typeof v === "number" ? formatTimespan(v) : (v as Json);
    default:
      return v as Json;
  }
}

/** Kusto's `tostring` of a value of a known type (null → ""). */
export function valueToString(v: Value, type: KustoType): string {
  if (v === null || v === undefined) return "";
  switch (type) {
    case "string":
    case "guid":
      return String(v);
    case "datetime":
      return typeof v === "number" ? formatDatetime(v) : String(v);
    case "timespan":
      return typeof v === "number" ? formatTimespan(v) : String(v);
    case "bool":
      return v ? "true" : "false";
    case "real":
    case "decimal":
      return formatReal(v as number);
    case "dynamic":
      return typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
    default:
      return String(v);
  }
}

/** A real as Kusto prints it: integers plainly, NaN/±Infinity by name. */
export function formatReal(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return String(n);
}

/** The Kusto type of a JS value seen without a declared type (input inference, dynamic leaves). */
export function inferType(v: unknown): KustoType {
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "long" : "real";
  if (typeof v === "string") return parseDatetimeStrictIso(v) !== null ? "datetime" : "string";
  if (v === null || v === undefined) return "string";
  return "dynamic";
}

function parseDatetimeStrictIso(s: string): number | null {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)
    ? parseDatetime(s)
    : null;
}

/**
 * Converts an input cell (JSON from a fixture, a Log Analytics response or a caller's object)
 * to the engine value of a column of `type`. Throws on a cell that cannot be that type.
 */
export function valueFromInput(cell: unknown, type: KustoType): Value {
  if (cell === null || cell === undefined) return type === "string" ? "" : null;
  switch (type) {
    case "string":
      return typeof cell === "string"
        ? cell
        : typeof cell === "object"
          ? JSON.stringify(cell)
          : String(cell);
    case "guid":
      return String(cell).toLowerCase();
    case "bool":
      if (typeof cell === "boolean") return cell;
      if (typeof cell === "number") return cell !== 0;
      if (/^(true|1)$/i.test(String(cell))) return true;
      if (/^(false|0)$/i.test(String(cell))) return false;
      break;
    case "int":
    case "long":
    case "real":
    case "decimal": {
      if (typeof cell === "number")
        return type === "int" || type === "long" ? Math.trunc(cell) : cell;
      if (typeof cell === "bigint") return type === "long" ? exactLong(cell) : Number(cell);
      if (typeof cell === "string") {
        if (cell.trim() === "") return null;
        // A long written as digits beyond 2^53 stays exact.
        if (type === "long" && /^[+-]?\d{16,}$/.test(cell.trim()))
          return exactLong(BigInt(cell.trim()));
        const n = /^(nan|[+-]?inf(inity)?)$/i.test(cell.trim())
          ? Number(
              cell
                .trim()
                .replace(/^([+-]?)inf(inity)?$/i, "$1Infinity")
                .replace(/nan/i, "NaN"),
            )
          : Number(cell);
        if (!Number.isNaN(n) || /nan/i.test(cell))
          return type === "int" || type === "long" ? Math.trunc(n) : n;
      }
      if (typeof cell === "boolean") return cell ? 1 : 0;
      break;
    }
    case "datetime": {
      if (typeof cell === "number") return datetimeFromUnixMs(cell);
      if (cell instanceof Date) return datetimeFromUnixMs(cell.getTime());
      if (typeof cell === "string") {
        if (cell.trim() === "") return null;
        const t = parseDatetime(cell);
        if (t !== null) return t;
      }
      break;
    }
    case "timespan": {
      if (typeof cell === "number") return cell;
      if (typeof cell === "string") {
        if (cell.trim() === "") return null;
        const t = parseTimespan(cell);
        if (t !== null) return t;
      }
      break;
    }
    case "dynamic": {
      if (typeof cell === "string") {
        const t = cell.trim();
        if ((t.startsWith("{") && t.endsWith("}")) || (t.startsWith("[") && t.endsWith("]"))) {
          try {
            return jsonToDynamic(JSON.parse(t));
          } catch {
            return cell;
          }
        }
        return cell;
      }
      return jsonToDynamic(cell);
    }
  }
  throw new Error(`cannot read ${JSON.stringify(cell)} as ${type}`);
}

/** Copies parsed JSON into the value model (objects get a null prototype). */
export function jsonToDynamic(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(jsonToDynamic);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") {
    const bag = newBag();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) bag[k] = jsonToDynamic(x);
    return bag;
  }
  return v as Json;
}

/** The JSON-friendly output form of a value of a column of `type` (what `run` returns). */
export function valueToOutput(v: Value, type: KustoType): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  switch (type) {
    case "datetime":
      return typeof v === "number" ? formatDatetime(v) : (v as Json);
    case "timespan":
      return typeof v === "number" ? formatTimespan(v) : (v as Json);
    case "real":
    case "decimal":
      return typeof v === "number" && !Number.isFinite(v) ? formatReal(v) : (v as Json);
    default:
      return v as Json;
  }
}

/** `valueToOutput`, except that longs beyond ±2^53 stay exact bigints. */
export function valueToExactOutput(v: Value, type: KustoType): OutputCell {
  return typeof v === "bigint" ? v : valueToOutput(v, type);
}

/** 100-ns ticks from 0001-01-01 (.NET's epoch) to the engine's datetime epoch, 2020-01-01. */
export const DOTNET_TICKS_AT_ENGINE_EPOCH = 637134336000000000n;

/**
 * Rounds down to a multiple of `size` the way Kusto's bin() does: datetimes are binned from
 * 0001-01-01 (so 7d bins start on Mondays), other numbers from 0.
 */
export function binFloor(value: number, size: number, type: KustoType): number {
  if (type === "datetime") {
    const offset = Number(DOTNET_TICKS_AT_ENGINE_EPOCH % BigInt(Math.round(size)));
    const m = (value + offset) % size;
    return value - (m < 0 ? m + size : m);
  }
  return Math.floor(value / size) * size;
}
