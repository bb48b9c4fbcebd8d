import {
  run,
  runExact,
  KqlError,
  valueFromInput,
  valueToOutput,
} from "../../../scripts/kql/engine/index";

const NOW = "2026-05-06T10:00:00Z";

function cell(query: string): unknown {
  const r = run(query, { now: NOW });
  return r.rows[0][0];
}

function row(query: string): unknown[] {
  return run(query, { now: NOW }).rows[0];
}

describe("literals", () => {
  it("reads timespans in every unit and the clock form", () => {
    expect(row("print 1d, 30m, 2h, 10s, 100ms, 1.5h, time(1.02:03:04), timespan(null)")).toEqual([
      "1.00:00:00",
      "00:30:00",
      "02:00:00",
      "00:00:10",
      "00:00:00.1000000",
      "01:30:00",
      "1.02:03:04",
      null,
    ]);
  });
  it("reads datetimes and prints them with 7 fractional digits", () => {
    expect(cell("print datetime(2017-01-01 10:20)")).toBe("2017-01-01T10:20:00.0000000Z");
    expect(cell("print datetime(2015-12-31 23:59:59.9)")).toBe("2015-12-31T23:59:59.9000000Z");
    expect(cell("print datetime(null)")).toBeNull();
  });
  it("reads dynamic literals and property access", () => {
    expect(cell('print dynamic({"a":[1,{"b":"x"}]}).a[1].b')).toBe("x");
    expect(cell('print dynamic({"a b":1})["a b"]')).toBe(1);
    expect(cell("print dynamic([1,2,3])[-1]")).toBe(3);
    expect(cell('print dynamic({"a":1}).nothere')).toBeNull();
  });
  it("pins now() and ago() to the caller's clock", () => {
    expect(row("print now(), ago(1d)")).toEqual([
      "2026-05-06T10:00:00.0000000Z",
      "2026-05-05T10:00:00.0000000Z",
    ]);
  });
});

describe("arithmetic", () => {
  it("divides longs as integers and reals as reals", () => {
    expect(row("print 7 / 2, 7.0 / 2, -7 / 2")).toEqual([3, 3.5, -3]);
  });
  it("keeps modulo non-negative as Kusto does", () => {
    expect(row("print 14 % 12, -14 % 12, 14 % -12")).toEqual([2, 10, 2]);
  });
  it("does datetime and timespan arithmetic", () => {
    expect(cell("print datetime(2020-01-02) - datetime(2020-01-01)")).toBe("1.00:00:00");
    expect(cell("print datetime(2020-01-01) + 1h")).toBe("2020-01-01T01:00:00.0000000Z");
    expect(cell("print 1h / 30m")).toBe(2);
  });
});

describe("null rules", () => {
  const q = (expr: string) =>
    run(`datatable(v:int)[5, int(null)] | extend r = ${expr}`, { now: NOW }).rows.map((r) => r[1]);
  it("makes arithmetic with null null", () => {
    expect(q("v + 10")).toEqual([15, null]);
  });
  it("makes comparisons with null null, and `where` drops them", () => {
    expect(q("v > 3")).toEqual([true, null]);
    expect(run("datatable(v:int)[5, int(null)] | where v > 3", { now: NOW }).rows).toEqual([[5]]);
  });
  it("uses three-valued logic for and/or", () => {
    expect(q("v > 3 or isnull(v)")).toEqual([true, true]);
    expect(q("v > 3 and false")).toEqual([false, false]);
  });
  it("compares a value with null as unequal, null with null as null", () => {
    expect(q("v == int(null)")).toEqual([false, null]);
    expect(q("v != int(null)")).toEqual([true, null]);
  });
  it("has no null string: an absent string is empty", () => {
    expect(run('datatable(s:string)[""] | extend e = isempty(s)', { now: NOW }).rows).toEqual([
      ["", true],
    ]);
  });
});

describe("string operators", () => {
  const t = (expr: string) => cell(`print ${expr}`);
  it("matches whole terms with has, case-insensitively", () => {
    expect(t('"North America" has "america"')).toBe(true);
    expect(t('"North America" has "amer"')).toBe(false);
    expect(t('"North America" has_cs "america"')).toBe(false);
    expect(t('"user@contoso.com logged" has "contoso.com"')).toBe(true);
    expect(t('"abc" !has "b"')).toBe(true);
  });
  it("implements hasprefix, hassuffix, contains, startswith, endswith", () => {
    expect(t('"North America" hasprefix "ame"')).toBe(true);
    expect(t('"North America" hassuffix "rth"')).toBe(true);
    expect(t('"North America" contains "TH AM"')).toBe(true);
    expect(t('"North America" contains_cs "TH AM"')).toBe(false);
    expect(t('"North America" startswith "nor"')).toBe(true);
    expect(t('"North America" endswith "RICA"')).toBe(true);
    expect(t('"North America" !startswith "x"')).toBe(true);
  });
  it("compares == case-sensitively and =~ not", () => {
    expect(row('print "a" == "A", "a" =~ "A", "a" !~ "A", "a" != "A"')).toEqual([
      false,
      true,
      false,
      true,
    ]);
  });
  it("supports in, in~, !in, has_any, has_all", () => {
    expect(row('print "a" in ("A", "b"), "a" in~ ("A", "b"), "c" !in ("a"), 2 in (1, 2)')).toEqual([
      false,
      true,
      true,
      true,
    ]);
    expect(
      row('print "alpha beta" has_any ("beta", "x"), "alpha beta" has_all ("beta", "x")'),
    ).toEqual([true, false]);
    expect(cell('let l = dynamic(["x", "y"]); print "y" in (l)')).toBe(true);
  });
  it("supports between and !between, with a timespan upper bound for datetimes", () => {
    expect(row("print 5 between (1 .. 5), 6 !between (1 .. 5)")).toEqual([true, true]);
    expect(cell("print datetime(2020-01-01 12:00) between (datetime(2020-01-01) .. 1d)")).toBe(
      true,
    );
  });
  it("uses RE2 for matches regex, including (?i)", () => {
    expect(
      row(
        'print "Abc123" matches regex "^[a-z]+\\\\d+$", "Abc123" matches regex "(?i)^[a-z]+\\\\d+$"',
      ),
    ).toEqual([false, true]);
  });
});

describe("errors", () => {
  it("names an unsupported function with its position", () => {
    expect(() => run("print 1\n| extend x = no_such_function(1)")).toThrow(
      /unsupported: function 'no_such_function\(\)' at line 2:/,
    );
  });
  it("names an unsupported operator", () => {
    expect(() => run("range x from 1 to 3 step 1 | fork (take 1)")).toThrow(
      /unsupported: operator 'fork'/,
    );
  });
  it("reports syntax errors with Kusto's diagnostic", () => {
    expect(() => run("print 1 |")).toThrow(KqlError);
    expect(() => run("print 1 |")).toThrow(/syntax error at line 1:/);
  });
});

describe("64-bit longs beyond 2^53", () => {
  function exactRow(query: string): unknown[] {
    return runExact(query, { now: NOW }).rows[0];
  }
  it("keeps big literals, hashes and .NET ticks exact", () => {
    expect(
      exactRow(
        'print 9223372036854775807, hash("World"), tolong(datetime(2020-01-01)), tostring(hash("World"))',
      ),
    ).toEqual([
      9223372036854775807n,
      1846988464401551951n,
      637134336000000000n,
      "1846988464401551951",
    ]);
  });
  it("does long arithmetic in 64 bits, wrapping on overflow", () => {
    expect(
      exactRow(
        "print 9223372036854775807 + 1, 9007199254740993 - 2, 3037000499 * 3037000499, 9223372036854775807 / 2, 9223372036854775807 % 10, -9223372036854775807",
      ),
    ).toEqual([
      -9223372036854775808n,
      9007199254740991,
      9223372030926249001n,
      4611686018427387903n,
      7,
      -9223372036854775807n,
    ]);
  });
  it("compares big longs with each other and with numbers", () => {
    expect(
      exactRow(
        'print hash("World") == 1846988464401551951, hash("World") > 1846988464401551950, hash("World") < 1, hash("World") != 1846988464401551951',
      ),
    ).toEqual([true, true, false, false]);
    const sorted = runExact(
      "datatable(x: long)[9007199254740993, 1, 9007199254740995, -9007199254740993] | sort by x asc",
    ).rows.map((r) => r[0]);
    expect(sorted).toEqual([-9007199254740993n, 1, 9007199254740993n, 9007199254740995n]);
  });
  it("rounds them to numbers in run() and inside dynamic values", () => {
    expect(row('print hash("World"), pack("h", hash("World"))')).toEqual([
      1846988464401552000,
      { h: 1846988464401552000 },
    ]);
  });
  it("keeps null rules", () => {
    expect(exactRow("print 9223372036854775807 + long(null), -long(null)")).toEqual([null, null]);
  });
  it("passes them exactly to bitwise, bin and pass-through functions, rounded to the others", () => {
    expect(
      exactRow(
        'print h = hash("World") | project binary_and(h, 255), binary_shift_right(h, 1), bin(h, 1000), iff(true, h, 0), coalesce(long(null), h), max_of(h, 1), toreal(h)',
      ),
    ).toEqual([
      79,
      923494232200775975n,
      1846988464401551000n,
      1846988464401551951n,
      1846988464401551951n,
      1846988464401552000,
      1846988464401552000,
    ]);
  });
  it("reads them exactly from input digits", () => {
    expect(valueFromInput("1846988464401551951", "long")).toBe(1846988464401551951n);
    expect(valueFromInput("12", "long")).toBe(12);
    const r = runExact("T | where h == 1846988464401551951", {
      tables: {
        T: {
          columns: [{ name: "h", type: "long" }],
          rows: [["1846988464401551951"], ["1846988464401551952"]],
        },
      },
    });
    expect(r.rows).toEqual([[1846988464401551951n]]);
  });
  it("groups, counts and aggregates them", () => {
    const r = runExact(
      "range i from 1 to 4 step 1 | extend h = hash(tostring(i % 2)) | summarize n = count(), mx = max(h), dc = dcount(h), s = sum(i) by h | order by h asc",
    ).rows;
    expect(r).toEqual([
      [-5209518570039057196n, 2, -5209518570039057196n, 1, 4],
      [7148434200721666028n, 2, 7148434200721666028n, 1, 6],
    ]);
    const series = runExact(
      "range i from 1 to 2 step 1 | extend h = hash(tostring(i)) | make-series c = count() default = 0 on i from 1 to 3 step 1 by h",
    ).rows;
    expect(series.map((x) => x[0])).toEqual([-5209518570039057196n, 6927017134761466251n]);
  });
});

describe("string literal forms", () => {
  it("reads verbatim, obfuscated, multi-line and concatenated literals", () => {
    const q = [
      'print @"C:\\a\\b", h"secret", h@\'x\\y\', "x" "y" \'z\', ```line1',
      'line2```, "\\u0041\\t|", @"say ""hi"""',
    ].join("\n");
    expect(row(q)).toEqual([
      "C:\\a\\b",
      "secret",
      "x\\y",
      "xyz",
      "line1\nline2",
      "A\t|",
      'say "hi"',
    ]);
  });
});

describe("datetimes", () => {
  it("prints datetimes inside dynamic values the same way in pack_all, pack and make_list", () => {
    const r = run(
      "print x = datetime(2020-01-01 10:00:00.5) | extend p = pack_all(), q = pack('x', x), l = pack_array(x)",
    ).rows[0];
    expect(r.slice(1)).toEqual([
      { x: "2020-01-01T10:00:00.5Z" },
      { x: "2020-01-01T10:00:00.5Z" },
      ["2020-01-01T10:00:00.5Z"],
    ]);
  });
  it("reads input datetimes in every form todatetime() reads, and the lenient ones", () => {
    expect(
      valueToOutput(valueFromInput("Tue, 17 Feb 2016 08:40:01 GMT", "datetime"), "datetime"),
    ).toBe("2016-02-17T08:40:01.0000000Z");
    expect(valueToOutput(valueFromInput("02/17/2016 08:40:01", "datetime"), "datetime")).toBe(
      "2016-02-17T08:40:01.0000000Z",
    );
    expect(valueToOutput(valueFromInput("20160217", "datetime"), "datetime")).toBe(
      "2016-02-17T00:00:00.0000000Z",
    );
    expect(valueToOutput(valueFromInput("Feb 17, 2016", "datetime"), "datetime")).toBe(
      "2016-02-17T00:00:00.0000000Z",
    );
  });
});
