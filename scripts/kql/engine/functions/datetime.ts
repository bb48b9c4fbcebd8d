// Datetime and timespan functions: now, ago, startof*/endof*, dayofweek (a timespan),
// dayofmonth, dayofyear, hourofday, getmonth, getyear, monthofyear, weekofyear,
// format_datetime, format_timespan, datetime_diff, datetime_add, datetime_part,
// make_datetime, make_timespan, unixtime_*_todatetime, datetime_utc_to_local,
// datetime_local_to_utc. (`bin`/`floor`/`bin_at` live in math.ts; `todatetime`/`totimespan`
// in conversion.ts.)

import {
  DATETIME_EPOCH_MS,
  TICKS_PER_DAY,
  TICKS_PER_HOUR,
  TICKS_PER_MILLISECOND,
  TICKS_PER_MINUTE,
  TICKS_PER_SECOND,
  type Value,
} from "../values";
import { toNumber } from "./coerce";
import {
  civilFromTicks,
  daysInMonth,
  formatDatetimeWith,
  formatTimespanWith,
  MAX_DATETIME,
  parseDatetime,
  MIN_DATETIME,
  ticksFromCivil,
} from "./datetime-format";
import { defineScalar } from "./registry";
import { str } from "./strings";

function num(v: Value | undefined): number | null {
  return v === undefined ? null : toNumber(v);
}

/**
 * A datetime argument: engine ticks, or a dynamic string holding a datetime (JSON carries
 * datetimes as text), else null.
 */
function asDatetime(v: Value | undefined): number | null {
  if (typeof v === "number") return v;
  return typeof v === "string" ? parseDatetime(v) : null;
}

/** A datetime result, or null outside Kusto's 0001–9999 range. */
function inRange(ticks: number): number | null {
  return Number.isFinite(ticks) && ticks >= MIN_DATETIME && ticks <= MAX_DATETIME ? ticks : null;
}

defineScalar({
  name: "now",
  minArgs: 0,
  maxArgs: 1,
  impl: ([offset], ctx) => ctx.now + (typeof offset === "number" ? offset : 0),
});

defineScalar({
  name: "ago",
  minArgs: 1,
  maxArgs: 1,
  impl: ([span], ctx) => (typeof span === "number" ? ctx.now - span : null),
});

// --- start and end of periods ---------------------------------------------------------------

type Period = "day" | "week" | "month" | "year";

/** The start of the period containing `ticks`, moved by `offset` whole periods. */
function startOf(period: Period, ticks: number, offset: number): number {
  const c = civilFromTicks(ticks);
  switch (period) {
    case "day":
      return ticksFromCivil(c.year, c.month, c.day) + offset * TICKS_PER_DAY;
    case "week":
      return ticksFromCivil(c.year, c.month, c.day - c.dayOfWeek) + offset * 7 * TICKS_PER_DAY;
    case "month":
      return ticksFromCivil(c.year, c.month + offset, 1);
    case "year":
      return ticksFromCivil(c.year + offset, 1, 1);
  }
}

for (const period of ["day", "week", "month", "year"] as const) {
  defineScalar({
    name: `startof${period}`,
    minArgs: 1,
    maxArgs: 2,
    impl: ([arg, off]) => {
      const dt = asDatetime(arg);
      if (dt === null) return null;
      const offset = off === undefined ? 0 : num(off);
      return offset === null ? null : inRange(startOf(period, dt, Math.trunc(offset)));
    },
  });
  defineScalar({
    name: `endof${period}`,
    minArgs: 1,
    maxArgs: 2,
    impl: ([arg, off]) => {
      const dt = asDatetime(arg);
      if (dt === null) return null;
      const offset = off === undefined ? 0 : num(off);
      return offset === null ? null : inRange(startOf(period, dt, Math.trunc(offset) + 1) - 1);
    },
  });
}

// --- parts of a datetime --------------------------------------------------------------------

/** ISO 8601 week number (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekOfYear(ticks: number): number {
  const c = civilFromTicks(ticks);
  const isoDay = c.dayOfWeek === 0 ? 7 : c.dayOfWeek;
  const thursday = new Date(Date.UTC(2000, 0, 1));
  thursday.setUTCFullYear(c.year, c.month - 1, c.day + 4 - isoDay);
  const yearStart = new Date(Date.UTC(2000, 0, 1));
  yearStart.setUTCFullYear(thursday.getUTCFullYear(), 0, 1);
  return Math.floor((thursday.getTime() - yearStart.getTime()) / 86_400_000 / 7) + 1;
}

function dayOfYear(ticks: number): number {
  const c = civilFromTicks(ticks);
  return (
    Math.round(
      (ticksFromCivil(c.year, c.month, c.day) - ticksFromCivil(c.year, 1, 1)) / TICKS_PER_DAY,
    ) + 1
  );
}

function part(name: string, f: (ticks: number) => number, aliases?: string[]): void {
  defineScalar({
    name,
    aliases,
    minArgs: 1,
    maxArgs: 1,
    impl: ([arg]) => {
      const dt = asDatetime(arg);
      return dt === null ? null : f(dt);
    },
  });
}

part("dayofweek", (t) => civilFromTicks(t).dayOfWeek * TICKS_PER_DAY);
part("dayofmonth", (t) => civilFromTicks(t).day);
part("dayofyear", dayOfYear);
part("hourofday", (t) => civilFromTicks(t).hour);
part("getmonth", (t) => civilFromTicks(t).month, ["monthofyear"]);
part("getyear", (t) => civilFromTicks(t).year);
part("weekofyear", isoWeekOfYear, ["week_of_year"]);

/** Value of one named part (`datetime_part`). */
function datetimePart(partName: string, ticks: number): number | null {
  const c = civilFromTicks(ticks);
  switch (partName.toLowerCase()) {
    case "year":
      return c.year;
    case "quarter":
      return Math.floor((c.month - 1) / 3) + 1;
    case "month":
      return c.month;
    case "week_of_year":
    case "weekofyear":
    case "week":
      return isoWeekOfYear(ticks);
    case "day":
      return c.day;
    case "dayofyear":
      return dayOfYear(ticks);
    case "hour":
      return c.hour;
    case "minute":
      return c.minute;
    case "second":
      return c.second;
    case "millisecond":
      return Math.floor(c.fraction / TICKS_PER_MILLISECOND);
    case "microsecond":
      return Math.floor(c.fraction / 10);
    case "nanosecond":
      return c.fraction * 100;
    default:
      return null;
  }
}

defineScalar({
  name: "datetime_part",
  aliases: ["datepart"],
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) =>
    asDatetime(args[1]) === null
      ? null
      : datetimePart(str(args, ctx, 0), asDatetime(args[1]) as number),
});

const FIXED_UNITS: Record<string, number> = {
  week: 7 * TICKS_PER_DAY,
  day: TICKS_PER_DAY,
  hour: TICKS_PER_HOUR,
  minute: TICKS_PER_MINUTE,
  second: TICKS_PER_SECOND,
  millisecond: TICKS_PER_MILLISECOND,
  microsecond: 10,
  nanosecond: 0.01,
};

function unitName(text: string): string {
  const u = text.trim().toLowerCase();
  return u.endsWith("s") && u !== "s" ? u.slice(0, -1) : u;
}

/** `datetime_add(part, amount, dt)`: calendar parts clamp the day (Jan 31 + 1 month = Feb 28). */
export function datetimeAdd(unit: string, amount: number, ticks: number): number | null {
  const u = unitName(unit);
  if (u === "year" || u === "quarter" || u === "month") {
    const months = amount * (u === "year" ? 12 : u === "quarter" ? 3 : 1);
    const c = civilFromTicks(ticks);
    const total = c.year * 12 + (c.month - 1) + months;
    const year = Math.floor(total / 12);
    const month = total - year * 12 + 1;
    if (year < 1 || year > 9999) return null;
    const day = Math.min(c.day, daysInMonth(year, month));
    return ticksFromCivil(year, month, day, c.hour, c.minute, c.second, c.fraction);
  }
  const size = FIXED_UNITS[u];
  if (size === undefined) return null;
  return inRange(ticks + Math.round(amount * size));
}

defineScalar({
  name: "datetime_add",
  minArgs: 3,
  maxArgs: 3,
  impl: (args, ctx) => {
    const amount = num(args[1]);
    const dt = asDatetime(args[2]);
    if (amount === null || dt === null) return null;
    return datetimeAdd(str(args, ctx, 0), Math.trunc(amount), dt);
  },
});

/** `datetime_diff(part, dt1, dt2)`: how many `part` boundaries lie between dt2 and dt1. */
export function datetimeDiff(unit: string, a: number, b: number): number | null {
  const u = unitName(unit);
  const ca = civilFromTicks(a);
  const cb = civilFromTicks(b);
  switch (u) {
    case "year":
      return ca.year - cb.year;
    case "quarter":
      return (
        ca.year * 4 +
        Math.floor((ca.month - 1) / 3) -
        (cb.year * 4 + Math.floor((cb.month - 1) / 3))
      );
    case "month":
      return ca.year * 12 + ca.month - (cb.year * 12 + cb.month);
    case "week":
      return Math.round((startOf("week", a, 0) - startOf("week", b, 0)) / (7 * TICKS_PER_DAY));
    case "day":
      return Math.round((startOf("day", a, 0) - startOf("day", b, 0)) / TICKS_PER_DAY);
    case "nanosecond":
      return (a - b) * 100;
    default: {
      const size = FIXED_UNITS[u];
      if (size === undefined) return null;
      return Math.floor(a / size) - Math.floor(b / size);
    }
  }
}

defineScalar({
  name: "datetime_diff",
  minArgs: 3,
  maxArgs: 3,
  impl: (args, ctx) => {
    const a = asDatetime(args[1]);
    const b = asDatetime(args[2]);
    return a === null || b === null ? null : datetimeDiff(str(args, ctx, 0), a, b);
  },
});

defineScalar({
  name: "format_datetime",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const dt = asDatetime(args[0]);
    return dt === null ? "" : formatDatetimeWith(dt, str(args, ctx, 1));
  },
});

defineScalar({
  name: "format_timespan",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) =>
    typeof args[0] === "number" ? formatTimespanWith(args[0], str(args, ctx, 1)) : "",
});

defineScalar({
  name: "make_datetime",
  minArgs: 3,
  maxArgs: 7,
  impl: (args) => {
    const n = args.map((a) => num(a));
    if (n.some((x) => x === null)) return null;
    const [y, mo, d, h = 0, mi = 0, s = 0] = n as number[];
    if (
      mo < 1 ||
      mo > 12 ||
      d < 1 ||
      d > daysInMonth(y, mo) ||
      h < 0 ||
      h > 23 ||
      mi < 0 ||
      mi > 59 ||
      s < 0 ||
      s >= 60
    )
      return null;
    const whole = Math.floor(s);
    const fraction = Math.round((s - whole) * TICKS_PER_SECOND);
    return inRange(ticksFromCivil(y, mo, d, h, mi, whole, fraction));
  },
});

defineScalar({
  name: "make_timespan",
  minArgs: 2,
  maxArgs: 4,
  impl: (args) => {
    const n = args.map((a) => num(a));
    if (n.some((x) => x === null)) return null;
    const v = n as number[];
    const [d, h, m, s] = v.length === 4 ? v : v.length === 3 ? [0, ...v] : [0, v[0], v[1], 0];
    return Math.round(
      d * TICKS_PER_DAY + h * TICKS_PER_HOUR + m * TICKS_PER_MINUTE + s * TICKS_PER_SECOND,
    );
  },
});

function fromUnix(name: string, ticksPerUnit: number): void {
  defineScalar({
    name,
    minArgs: 1,
    maxArgs: 1,
    impl: ([v]) => {
      const x = num(v);
      if (x === null || !Number.isFinite(x)) return null;
      // Split into whole ms and the rest so large nanosecond counts keep their ticks.
      const unitsPerMs = TICKS_PER_MILLISECOND / ticksPerUnit;
      const ms = Math.floor(x / unitsPerMs);
      const rest = Math.round((x - ms * unitsPerMs) * ticksPerUnit);
      return inRange((ms - DATETIME_EPOCH_MS) * TICKS_PER_MILLISECOND + rest);
    },
  });
}

fromUnix("unixtime_seconds_todatetime", TICKS_PER_SECOND);
fromUnix("unixtime_milliseconds_todatetime", TICKS_PER_MILLISECOND);
fromUnix("unixtime_microseconds_todatetime", 10);
fromUnix("unixtime_nanoseconds_todatetime", 0.01);

// --- time zones -------------------------------------------------------------------------------

const zoneFormats = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormat(zone: string): Intl.DateTimeFormat | null {
  let f = zoneFormats.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      f = null;
    }
    zoneFormats.set(zone, f);
  }
  return f;
}

/** The zone's UTC offset in ms at a Unix-ms instant. */
function zoneOffsetMs(fmt: Intl.DateTimeFormat, unixMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(unixMs))) parts[p.type] = Number(p.value);
  const d = new Date(0);
  d.setUTCFullYear(parts.year, parts.month - 1, parts.day);
  d.setUTCHours(parts.hour, parts.minute, parts.second, 0);
  const whole = unixMs - (((unixMs % 1000) + 1000) % 1000);
  return d.getTime() - whole;
}

defineScalar({
  name: "datetime_utc_to_local",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const fmt = zoneFormat(str(args, ctx, 1));
    if (typeof args[0] !== "number" || !fmt) return null;
    const unixMs = Math.floor(args[0] / TICKS_PER_MILLISECOND) + DATETIME_EPOCH_MS;
    return inRange(args[0] + zoneOffsetMs(fmt, unixMs) * TICKS_PER_MILLISECOND);
  },
});

defineScalar({
  name: "datetime_local_to_utc",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const fmt = zoneFormat(str(args, ctx, 1));
    if (typeof args[0] !== "number" || !fmt) return null;
    const localMs = Math.floor(args[0] / TICKS_PER_MILLISECOND) + DATETIME_EPOCH_MS;
    // Read the local time as standard time first, then take the offset in force at that
    // instant; a time skipped by a DST change lands after the change, as Kusto's does.
    const year = new Date(localMs).getUTCFullYear();
    const standard = Math.min(
      zoneOffsetMs(fmt, Date.UTC(year, 0, 1)),
      zoneOffsetMs(fmt, Date.UTC(year, 6, 1)),
    );
    const offset = zoneOffsetMs(fmt, localMs - standard);
    return inRange(args[0] - offset * TICKS_PER_MILLISECOND);
  },
});
