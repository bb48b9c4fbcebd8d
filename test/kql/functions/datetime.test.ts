import { call, dt, NOW, real, ts } from "./call";
import {
  formatDatetimeIso,
  formatTimespan,
  parseDatetime,
  parseTimespan,
} from "../../../scripts/kql/engine/functions/datetime-format";
import {
  TICKS_PER_DAY,
  TICKS_PER_HOUR,
  TICKS_PER_MINUTE,
  TICKS_PER_SECOND,
  type Value,
} from "../../../scripts/kql/engine/values";

const iso = (v: Value) => (typeof v === "number" ? formatDatetimeIso(v) : v);

describe("datetime parsing and printing", () => {
  test("parses ISO, RFC 1123, US and compact forms", () => {
    const d = parseDatetime("2015-12-31 23:59:59.9");
    expect(iso(d)).toBe("2015-12-31T23:59:59.9Z");
    expect(iso(parseDatetime("2015-12-31T23:59:59Z"))).toBe("2015-12-31T23:59:59Z");
    expect(iso(parseDatetime("2015-12-31T23:59:59+01:00"))).toBe("2015-12-31T22:59:59Z");
    expect(iso(parseDatetime("Sat, 8 Nov 2014 15:05:02 GMT"))).toBe("2014-11-08T15:05:02Z");
    expect(iso(parseDatetime("12-02-2022"))).toBe("2022-12-02T00:00:00Z");
    expect(iso(parseDatetime("20220315"))).toBe("2022-03-15T00:00:00Z");
    expect(iso(parseDatetime("0001-01-01"))).toBe("0001-01-01T00:00:00Z");
    expect(parseDatetime("2015-02-30")).toBeNull();
    expect(parseDatetime("not a date")).toBeNull();
  });

  test("keeps all seven fractional digits", () => {
    const d = parseDatetime("2017-01-01 23:59:59.9999999") as number;
    expect(iso(d)).toBe("2017-01-01T23:59:59.9999999Z");
  });

  test("timespans parse and print as [-][d.]hh:mm:ss[.fffffff]", () => {
    expect(parseTimespan("0.00:03:00")).toBe(3 * TICKS_PER_MINUTE);
    expect(parseTimespan("1.02:03:04.5")).toBe(
      TICKS_PER_DAY + 2 * TICKS_PER_HOUR + 3 * TICKS_PER_MINUTE + 4.5 * TICKS_PER_SECOND,
    );
    expect(parseTimespan("2h")).toBe(2 * TICKS_PER_HOUR);
    expect(parseTimespan("100ms")).toBe(100 * 10_000);
    expect(parseTimespan("-1d")).toBe(-TICKS_PER_DAY);
    expect(
      formatTimespan(
        TICKS_PER_DAY + 12 * TICKS_PER_HOUR + 30 * TICKS_PER_MINUTE + 55.123 * TICKS_PER_SECOND,
      ),
    ).toBe("1.12:30:55.1230000");
    expect(formatTimespan(-90 * TICKS_PER_MINUTE)).toBe("-01:30:00");
    expect(formatTimespan(0)).toBe("00:00:00");
  });
});

describe("datetime functions", () => {
  test("now and ago use the pinned clock", () => {
    expect(call("now", [])).toBe(NOW);
    expect(call("ago", [ts(TICKS_PER_HOUR)])).toBe(NOW - TICKS_PER_HOUR);
    expect(call("ago", [ts(null as unknown as number)])).toBeNull();
  });

  test("start and end of periods with offsets", () => {
    const d = dt("2017-01-01 10:10:17");
    expect(iso(call("startofday", [d, -1]))).toBe("2016-12-31T00:00:00Z");
    expect(iso(call("endofday", [d]))).toBe("2017-01-01T23:59:59.9999999Z");
    expect(iso(call("startofweek", [d, -1]))).toBe("2016-12-25T00:00:00Z");
    expect(iso(call("endofweek", [d, 1]))).toBe("2017-01-14T23:59:59.9999999Z");
    expect(iso(call("startofmonth", [d, 1]))).toBe("2017-02-01T00:00:00Z");
    expect(iso(call("endofmonth", [d, 1]))).toBe("2017-02-28T23:59:59.9999999Z");
    expect(iso(call("startofyear", [d, -1]))).toBe("2016-01-01T00:00:00Z");
    expect(iso(call("endofyear", [d]))).toBe("2017-12-31T23:59:59.9999999Z");
    expect(call("startofday", [{ v: null, t: "datetime" }])).toBeNull();
  });

  test("parts of a datetime", () => {
    expect(call("dayofweek", [dt("1970-05-11")])).toBe(TICKS_PER_DAY);
    expect(call("dayofweek", [dt("1970-05-12")])).toBe(2 * TICKS_PER_DAY);
    expect(call("dayofmonth", [dt("2015-12-14")])).toBe(14);
    expect(call("dayofyear", [dt("2015-12-31")])).toBe(365);
    expect(call("hourofday", [dt("2015-12-14 18:54")])).toBe(18);
    expect(call("getmonth", [dt("2015-10-12")])).toBe(10);
    expect(call("monthofyear", [dt("2015-12-14")])).toBe(12);
    expect(call("getyear", [dt("2015-10-12")])).toBe(2015);
    expect(call("weekofyear", [dt("2015-12-14")])).toBe(51);
    expect(call("weekofyear", [dt("2021-01-01")])).toBe(53);
    expect(call("datetime_part", ["Quarter", dt("2017-10-30 01:02:03.7654321")])).toBe(4);
    expect(call("datetime_part", ["Nanosecond", dt("2017-10-30 01:02:03.7654321")])).toBe(
      765432100,
    );
  });

  test("datetime_add clamps days of short months", () => {
    const d = dt("2017-01-01");
    expect(iso(call("datetime_add", ["year", 1, d]))).toBe("2018-01-01T00:00:00Z");
    expect(iso(call("datetime_add", ["quarter", 1, d]))).toBe("2017-04-01T00:00:00Z");
    expect(iso(call("datetime_add", ["week", 1, d]))).toBe("2017-01-08T00:00:00Z");
    expect(iso(call("datetime_add", ["second", 1, d]))).toBe("2017-01-01T00:00:01Z");
    expect(iso(call("datetime_add", ["month", 1, dt("2017-01-31")]))).toBe("2017-02-28T00:00:00Z");
    expect(iso(call("datetime_add", ["day", -8, dt("2025-06-15")]))).toBe("2025-06-07T00:00:00Z");
  });

  test("datetime_diff counts boundaries (the documented example)", () => {
    const diff = (unit: string, a: string, b: string) =>
      call("datetime_diff", [unit, dt(a), dt(b)]);
    expect(diff("year", "2017-01-01", "2000-12-31")).toBe(17);
    expect(diff("quarter", "2017-07-01", "2017-03-30")).toBe(2);
    expect(diff("month", "2017-01-01", "2015-12-30")).toBe(13);
    expect(diff("week", "2017-10-29 00:00", "2017-09-30 23:59")).toBe(5);
    expect(diff("day", "2017-10-29 00:00", "2017-09-30 23:59")).toBe(29);
    expect(diff("hour", "2017-10-31 01:00", "2017-10-30 23:59")).toBe(2);
    expect(diff("minute", "2017-10-30 23:05:01", "2017-10-30 23:00:59")).toBe(5);
    expect(diff("second", "2017-10-30 23:00:10.100", "2017-10-30 23:00:00.900")).toBe(10);
    expect(diff("millisecond", "2017-10-30 23:00:00.200100", "2017-10-30 23:00:00.100900")).toBe(
      100,
    );
    expect(diff("microsecond", "2017-10-30 23:00:00.1009001", "2017-10-30 23:00:00.1008009")).toBe(
      100,
    );
    expect(diff("nanosecond", "2017-10-30 23:00:00.0000000", "2017-10-30 23:00:00.0000007")).toBe(
      -700,
    );
  });

  test("format_datetime and format_timespan", () => {
    const d = dt("2017-01-29 09:00:05.123");
    expect(call("format_datetime", [d, "yy-MM-dd [HH:mm:ss]"])).toBe("17-01-29 [09:00:05]");
    expect(call("format_datetime", [d, "yyyy-M-dd [H:mm:ss.fff]"])).toBe("2017-1-29 [9:00:05.123]");
    expect(call("format_datetime", [d, "yy-MM-dd [hh:mm:ss tt]"])).toBe("17-01-29 [09:00:05 AM]");
    const t = ts(29 * TICKS_PER_DAY + 9 * TICKS_PER_HOUR + 5 * TICKS_PER_SECOND + 1234500);
    expect(call("format_timespan", [t, "dd.hh:mm:ss:FF"])).toBe("29.09:00:05:12");
    expect(call("format_timespan", [t, "ddd.h:mm:ss [fffffff]"])).toBe("029.9:00:05 [1234500]");
  });

  test("make_datetime and make_timespan", () => {
    expect(iso(call("make_datetime", [2017, 10, 1]))).toBe("2017-10-01T00:00:00Z");
    expect(iso(call("make_datetime", [2017, 10, 1, 12, 11, real(0.1234567)]))).toBe(
      "2017-10-01T12:11:00.1234567Z",
    );
    expect(call("make_datetime", [2017, 2, 30])).toBeNull();
    expect(call("make_timespan", [1, 12, 30, real(55.123)])).toBe(
      TICKS_PER_DAY + 12 * TICKS_PER_HOUR + 30 * TICKS_PER_MINUTE + 55.123 * TICKS_PER_SECOND,
    );
    expect(call("make_timespan", [2, 30])).toBe(2 * TICKS_PER_HOUR + 30 * TICKS_PER_MINUTE);
  });

  test("unix time conversions", () => {
    expect(iso(call("unixtime_seconds_todatetime", [1546300800]))).toBe("2019-01-01T00:00:00Z");
    expect(iso(call("unixtime_milliseconds_todatetime", [1546300800123]))).toBe(
      "2019-01-01T00:00:00.123Z",
    );
    expect(iso(call("unixtime_microseconds_todatetime", [1546300800123456]))).toBe(
      "2019-01-01T00:00:00.123456Z",
    );
    expect(iso(call("unixtime_nanoseconds_todatetime", [1546300800000000000]))).toBe(
      "2019-01-01T00:00:00Z",
    );
    expect(call("unixtime_seconds_todatetime", [null])).toBeNull();
  });

  test("time zone conversions around a DST change", () => {
    const local = dt("2022-03-27 02:00:00");
    expect(iso(call("datetime_local_to_utc", [local, "Europe/Brussels"]))).toBe(
      "2022-03-27T00:00:00Z",
    );
    expect(iso(call("datetime_local_to_utc", [dt("2022-03-27 01:00"), "Europe/Brussels"]))).toBe(
      "2022-03-27T00:00:00Z",
    );
    expect(iso(call("datetime_local_to_utc", [dt("2022-03-27 03:00"), "Europe/Brussels"]))).toBe(
      "2022-03-27T01:00:00Z",
    );
    expect(iso(call("datetime_utc_to_local", [dt("2022-03-27 00:00"), "Europe/Brussels"]))).toBe(
      "2022-03-27T01:00:00Z",
    );
    expect(call("datetime_utc_to_local", [dt("2022-03-27 00:00"), "Not/AZone"])).toBeNull();
  });
});

describe("bin", () => {
  test("numbers, timespans and datetimes", () => {
    expect(call("bin", [real(4.5), 1], "real")).toBe(4);
    expect(call("bin", [real(-4.5), 1], "real")).toBe(-5);
    expect(call("bin", [ts(90 * TICKS_PER_MINUTE), ts(TICKS_PER_HOUR)], "timespan")).toBe(
      TICKS_PER_HOUR,
    );
    expect(iso(call("bin", [dt("2017-01-01 10:10:17"), ts(TICKS_PER_HOUR)], "datetime"))).toBe(
      "2017-01-01T10:00:00Z",
    );
    // 7-day bins align to 0001-01-01, a Monday.
    expect(iso(call("bin", [dt("2024-05-08"), ts(7 * TICKS_PER_DAY)], "datetime"))).toBe(
      "2024-05-06T00:00:00Z",
    );
    expect(call("bin", [real(5), 0], "real")).toBeNull();
    expect(call("floor", [real(-3.5)], "real")).toBe(-4);
  });

  test("bin_at anchors bins at a fixed point", () => {
    expect(call("bin_at", [real(6.5), real(2.5), real(7)], "real")).toBe(4.5);
    expect(
      iso(
        call(
          "bin_at",
          [dt("2018-02-24 15:14"), ts(TICKS_PER_DAY), dt("2018-02-24 15:14")],
          "datetime",
        ),
      ),
    ).toBe("2018-02-24T15:14:00Z");
    expect(
      iso(
        call(
          "bin_at",
          [dt("2018-02-23 16:14"), ts(TICKS_PER_DAY), dt("2018-02-24 15:14")],
          "datetime",
        ),
      ),
    ).toBe("2018-02-23T15:14:00Z");
  });
});
