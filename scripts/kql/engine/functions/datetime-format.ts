// Parsing and printing of Kusto datetimes and timespans, shared by the conversion, string and
// datetime functions (and usable by the core for literals and output).
//
// Engine datetimes are 100-ns ticks since 2020-01-01 (see ../values.ts); the calendar maths
// goes through JS Date at millisecond precision and carries the sub-millisecond ticks aside.

import {
  DATETIME_EPOCH_MS,
  TICKS_PER_DAY,
  TICKS_PER_HOUR,
  TICKS_PER_MILLISECOND,
  TICKS_PER_MINUTE,
  TICKS_PER_SECOND,
} from "../ticks";

/** A datetime broken into its UTC calendar fields. */
export interface CivilTime {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Ticks within the second, 0–9 999 999. */
  fraction: number;
  /** 0 = Sunday … 6 = Saturday */
  dayOfWeek: number;
}

export function civilFromTicks(ticks: number): CivilTime {
  const msTicks = Math.floor(ticks / TICKS_PER_MILLISECOND);
  const subMs = ticks - msTicks * TICKS_PER_MILLISECOND;
  const d = new Date(msTicks + DATETIME_EPOCH_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    fraction: d.getUTCMilliseconds() * TICKS_PER_MILLISECOND + Math.round(subMs),
    dayOfWeek: d.getUTCDay(),
  };
}

/**
 * Engine ticks of a UTC calendar time. Months and days out of range roll over as in
 * `Date.UTC` (month 13 is January of the next year), which `datetime_add` relies on.
 */
export function ticksFromCivil(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  fraction = 0,
): number {
  const d = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return (d.getTime() - DATETIME_EPOCH_MS) * TICKS_PER_MILLISECOND + fraction;
}

/** Days in a month of a year (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The smallest and largest datetimes Kusto represents (0001-01-01 … 9999-12-31 23:59:59.9999999). */
export const MIN_DATETIME = ticksFromCivil(1, 1, 1);
export const MAX_DATETIME = ticksFromCivil(10000, 1, 1) - 1;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/**
 * A datetime as `tostring()` and `strcat()` print it: ISO 8601 in UTC with all seven
 * fractional digits, `2026-05-06T10:00:00.0000000Z`. (The documented output of
 * `hash_sha1(datetime(2020-01-01))` is the SHA-1 of exactly this text.)
 */
export function formatDatetimeString(ticks: number): string {
  const c = civilFromTicks(ticks);
  return `${pad(c.year, 4)}-${pad(c.month, 2)}-${pad(c.day, 2)}T${pad(c.hour, 2)}:${pad(c.minute, 2)}:${pad(c.second, 2)}.${pad(c.fraction, 7)}Z`;
}

/**
 * A datetime as it is stored inside a `dynamic` (JSON): ISO 8601 in UTC with the fraction
 * trimmed of trailing zeros, `2026-05-06T10:00:00Z`, `2026-05-06T10:00:00.5Z`.
 */
export function formatDatetimeIso(ticks: number): string {
  const c = civilFromTicks(ticks);
  let s = `${pad(c.year, 4)}-${pad(c.month, 2)}-${pad(c.day, 2)}T${pad(c.hour, 2)}:${pad(c.minute, 2)}:${pad(c.second, 2)}`;
  if (c.fraction !== 0) s += "." + pad(c.fraction, 7).replace(/0+$/, "");
  return s + "Z";
}

/** A timespan as Kusto prints it: `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(ticks: number): string {
  const negative = ticks < 0;
  let t = Math.abs(Math.round(ticks));
  const days = Math.floor(t / TICKS_PER_DAY);
  t -= days * TICKS_PER_DAY;
  const hours = Math.floor(t / TICKS_PER_HOUR);
  t -= hours * TICKS_PER_HOUR;
  const minutes = Math.floor(t / TICKS_PER_MINUTE);
  t -= minutes * TICKS_PER_MINUTE;
  const seconds = Math.floor(t / TICKS_PER_SECOND);
  const fraction = t - seconds * TICKS_PER_SECOND;
  let s = negative ? "-" : "";
  if (days > 0) s += `${days}.`;
  s += `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}`;
  if (fraction > 0) s += "." + pad(fraction, 7);
  return s;
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function fractionTicks(digits: string | undefined): number {
  if (!digits) return 0;
  return Math.round(Number("0." + digits) * TICKS_PER_SECOND);
}

function validCivil(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  return (
    y >= 1 &&
    y <= 9999 &&
    mo >= 1 &&
    mo <= 12 &&
    d >= 1 &&
    d <= daysInMonth(y, mo) &&
    h >= 0 &&
    h <= 23 &&
    mi >= 0 &&
    mi <= 59 &&
    s >= 0 &&
    s <= 59
  );
}

function offsetTicks(zone: string | undefined): number | undefined {
  if (!zone || /^(z|utc|gmt|ut)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return undefined;
  const mins = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return (m[1] === "-" ? -1 : 1) * mins * TICKS_PER_MINUTE;
}

const ISO_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC|GMT)?$/i;
const SLASH_ISO_RE =
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|GMT)?$/i;
const US_RE =
  /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(AM|PM)?)?\s*(Z|UTC|GMT)?$/i;
const COMPACT_RE =
  /^(\d{4})(\d{2})(\d{2})(?:[T ]?(\d{2})(\d{2})(?:(\d{2})(?:\.(\d{1,9}))?)?)?(Z)?$/i;
// RFC 822 / 1123 and friends: "Sat, 8 Nov 2014 15:05:02 GMT", "8 Nov 2014 15:05 +0100".
const RFC_RE =
  /^(?:[a-z]{3,9},?\s+)?(\d{1,2})\s+([a-z]{3,9})\s+(\d{2,4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UT|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;

function build(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  frac: string | undefined,
  zone: string | undefined,
): number | null {
  if (!validCivil(y, mo, d, h, mi, s)) return null;
  const off = offsetTicks(zone);
  if (off === undefined) return null;
  return ticksFromCivil(y, mo, d, h, mi, s, fractionTicks(frac)) - off;
}

/**
 * Parses the datetime formats Kusto accepts in `datetime(...)` and `todatetime()`: ISO 8601
 * (`2015-12-31`, `2015-12-31 23:59:59.9`, `2015-12-31T23:59:59Z`, with an offset), RFC 822/1123
 * (`Sat, 8 Nov 2014 15:05:02 GMT`), `MM/dd/yyyy`, `MM-dd-yyyy` and `yyyyMMdd[HHmmss]`.
 * Returns engine ticks, or null when the text is not a datetime.
 */
export function parseDatetime(text: string): number | null {
  const s = text.trim();
  let m = ISO_RE.exec(s) ?? SLASH_ISO_RE.exec(s) ?? COMPACT_RE.exec(s);
  if (m) {
    return build(
      Number(m[1]),
      Number(m[2]),
      Number(m[3]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      m[7],
      m[8],
    );
  }
  m = US_RE.exec(s);
  if (m) {
    let h = Number(m[4] ?? 0);
    const ampm = m[8]?.toUpperCase();
    if (ampm === "PM" && h < 12) h += 12;
    if (ampm === "AM" && h === 12) h = 0;
    return build(
      Number(m[3]),
      Number(m[1]),
      Number(m[2]),
      h,
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      m[7],
      m[9],
    );
  }
  m = RFC_RE.exec(s);
  if (m) {
    const mo = MONTHS.indexOf(m[2].slice(0, 3).toLowerCase()) + 1;
    if (mo === 0) return null;
    let y = Number(m[3]);
    if (m[3].length === 2) y += y < 50 ? 2000 : 1900;
    return build(
      y,
      mo,
      Number(m[1]),
      Number(m[4] ?? 0),
      Number(m[5] ?? 0),
      Number(m[6] ?? 0),
      m[7],
      m[8],
    );
  }
  return null;
}

const TIMESPAN_UNITS: Record<string, number> = {
  d: TICKS_PER_DAY,
  day: TICKS_PER_DAY,
  days: TICKS_PER_DAY,
  h: TICKS_PER_HOUR,
  hr: TICKS_PER_HOUR,
  hrs: TICKS_PER_HOUR,
  hour: TICKS_PER_HOUR,
  hours: TICKS_PER_HOUR,
  m: TICKS_PER_MINUTE,
  min: TICKS_PER_MINUTE,
  minute: TICKS_PER_MINUTE,
  minutes: TICKS_PER_MINUTE,
  s: TICKS_PER_SECOND,
  sec: TICKS_PER_SECOND,
  second: TICKS_PER_SECOND,
  seconds: TICKS_PER_SECOND,
  ms: TICKS_PER_MILLISECOND,
  milli: TICKS_PER_MILLISECOND,
  millis: TICKS_PER_MILLISECOND,
  millisec: TICKS_PER_MILLISECOND,
  millisecond: TICKS_PER_MILLISECOND,
  milliseconds: TICKS_PER_MILLISECOND,
  microsecond: 10,
  microseconds: 10,
  tick: 1,
  ticks: 1,
};

/**
 * Parses a timespan as Kusto writes it: `[-][d.]hh:mm[:ss[.fffffff]]` or a literal such as
 * `1d`, `2.5h`, `30m`, `10s`, `100ms`, `3microseconds`, `5ticks`. Returns ticks or null.
 */
export function parseTimespan(text: string): number | null {
  const s = text.trim();
  let m = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?$/.exec(s);
  if (m) {
    const [, neg, d, h, mi, sec, frac] = m;
    if (Number(mi) > 59 || Number(sec ?? 0) > 59 || Number(h) > 23) return null;
    const t =
      Number(d ?? 0) * TICKS_PER_DAY +
      Number(h) * TICKS_PER_HOUR +
      Number(mi) * TICKS_PER_MINUTE +
      Number(sec ?? 0) * TICKS_PER_SECOND +
      fractionTicks(frac);
    return neg ? -t : t;
  }
  m = /^(-)?(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(s);
  if (m) {
    const unit = TIMESPAN_UNITS[m[3].toLowerCase()];
    if (unit === undefined) return null;
    const t = Math.round(Number(m[2]) * unit);
    return m[1] ? -t : t;
  }
  // A bare number of days ("5") is accepted by totimespan.
  m = /^(-)?(\d+)$/.exec(s);
  if (m) return Number(s) * TICKS_PER_DAY;
  return null;
}

// --- format_datetime / format_timespan -------------------------------------------------------

type FormatToken = { spec: string; count: number } | { lit: string };

/** Splits a .NET-style format string into runs of one specifier letter and literal text. */
function tokenizeFormat(format: string): FormatToken[] {
  const out: FormatToken[] = [];
  for (let i = 0; i < format.length;) {
    const ch = format[i];
    if (/[dfFhHmMsty]/.test(ch)) {
      let j = i;
      while (j < format.length && format[j] === ch) j++;
      out.push({ spec: ch, count: j - i });
      i = j;
    } else if (ch === "'" || ch === '"') {
      const end = format.indexOf(ch, i + 1);
      out.push({ lit: end < 0 ? format.slice(i + 1) : format.slice(i + 1, end) });
      i = end < 0 ? format.length : end + 1;
    } else if (ch === "\\" && i + 1 < format.length) {
      out.push({ lit: format[i + 1] });
      i += 2;
    } else {
      out.push({ lit: ch });
      i++;
    }
  }
  return out;
}

function fractionText(fraction: number, count: number, trim: boolean): string {
  let s = pad(fraction, 7).slice(0, Math.min(count, 7));
  if (trim) s = s.replace(/0+$/, "");
  return s;
}

/** `format_datetime(datetime, format)` with the .NET-style specifiers Kusto documents. */
export function formatDatetimeWith(ticks: number, format: string): string {
  const c = civilFromTicks(ticks);
  let out = "";
  for (const tok of tokenizeFormat(format)) {
    if ("lit" in tok) {
      out += tok.lit;
      continue;
    }
    const n = tok.count;
    switch (tok.spec) {
      case "d":
        out += n >= 3 ? "" : pad(c.day, n);
        break;
      case "f":
        out += fractionText(c.fraction, n, false);
        break;
      case "F": {
        const f = fractionText(c.fraction, n, true);
        // A trimmed-away fraction also drops the "." written just before it.
        if (f === "" && out.endsWith(".")) out = out.slice(0, -1);
        out += f;
        break;
      }
      case "h":
        out += pad(c.hour % 12 === 0 ? 12 : c.hour % 12, Math.min(n, 2));
        break;
      case "H":
        out += pad(c.hour, Math.min(n, 2));
        break;
      case "m":
        out += pad(c.minute, Math.min(n, 2));
        break;
      case "M":
        out += pad(c.month, Math.min(n, 2));
        break;
      case "s":
        out += pad(c.second, Math.min(n, 2));
        break;
      case "t":
        out += (c.hour < 12 ? "AM" : "PM").slice(0, n === 1 ? 1 : 2);
        break;
      case "y":
        out += n === 1 ? String(c.year % 100) : n === 2 ? pad(c.year % 100, 2) : pad(c.year, n);
        break;
    }
  }
  return out;
}

/** `format_timespan(timespan, format)`: d…dddddddd, h/H, m, s, f…, F…. */
export function formatTimespanWith(ticks: number, format: string): string {
  const negative = ticks < 0;
  let t = Math.abs(Math.round(ticks));
  const days = Math.floor(t / TICKS_PER_DAY);
  t -= days * TICKS_PER_DAY;
  const hours = Math.floor(t / TICKS_PER_HOUR);
  t -= hours * TICKS_PER_HOUR;
  const minutes = Math.floor(t / TICKS_PER_MINUTE);
  t -= minutes * TICKS_PER_MINUTE;
  const seconds = Math.floor(t / TICKS_PER_SECOND);
  const fraction = t - seconds * TICKS_PER_SECOND;
  let out = negative ? "-" : "";
  for (const tok of tokenizeFormat(format)) {
    if ("lit" in tok) {
      out += tok.lit;
      continue;
    }
    const n = tok.count;
    switch (tok.spec) {
      case "d":
        out += pad(days, n);
        break;
      case "h":
      case "H":
        out += pad(hours, Math.min(n, 2));
        break;
      case "m":
        out += pad(minutes, Math.min(n, 2));
        break;
      case "s":
        out += pad(seconds, Math.min(n, 2));
        break;
      case "f":
        out += fractionText(fraction, n, false);
        break;
      case "F": {
        const f = fractionText(fraction, n, true);
        if (f === "" && out.endsWith(".")) out = out.slice(0, -1);
        out += f;
        break;
      }
      default:
        break;
    }
  }
  return out;
}
