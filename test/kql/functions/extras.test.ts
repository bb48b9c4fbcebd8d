import { run } from "../../../scripts/kql/engine/index";
import { call, dyn, real } from "./call";

describe("parse_xml", () => {
  test("maps elements, attributes, text and repeats (documented table)", () => {
    expect(call("parse_xml", ["<e/>"])).toEqual({ e: null });
    expect(call("parse_xml", ["<e>text</e>"])).toEqual({ e: "text" });
    expect(call("parse_xml", ['<e name="value" />'])).toEqual({ e: { "@name": "value" } });
    expect(call("parse_xml", ['<e name="value">text</e>'])).toEqual({
      e: { "@name": "value", "#text": "text" },
    });
    expect(call("parse_xml", ["<e> <a>text</a> <b>text</b> </e>"])).toEqual({
      e: { a: "text", b: "text" },
    });
    expect(call("parse_xml", ["<e> <a>text</a> <a>text</a> </e>"])).toEqual({
      e: { a: ["text", "text"] },
    });
    expect(call("parse_xml", ["<e> text <a>text</a> </e>"])).toEqual({
      e: { "#text": "text", a: "text" },
    });
  });

  test("handles prolog, comments, CDATA and entities; malformed XML is null", () => {
    expect(
      call("parse_xml", ['<?xml version="1.0"?><!-- c --><r><![CDATA[<x>]]> &lt;&#65;&#x42;</r>']),
    ).toEqual({ r: "<x> <AB" });
    expect(call("parse_xml", ["<a><b></a>"])).toBeNull();
    expect(call("parse_xml", ["<a></a><b></b>"])).toBeNull();
    expect(call("parse_xml", ["not xml"])).toBeNull();
  });
});

describe("unit conversion", () => {
  test("documented conversions", () => {
    expect(call("convert_length", [real(1.2), "Meter", "Foot"])).toBeCloseTo(3.93700787401575, 12);
    expect(call("convert_mass", [real(1.2), "Kilogram", "Pound"])).toBeCloseTo(
      2.64554714621853,
      12,
    );
    expect(call("convert_speed", [real(1.2), "MeterPerSecond", "CentimeterPerHour"])).toBeCloseTo(
      432000,
      6,
    );
    expect(call("convert_volume", [real(1.2), "CubicMeter", "AcreFoot"])).toBeCloseTo(
      0.0009728568,
      12,
    );
    expect(call("convert_energy", [real(1.2), "Joule", "BritishThermalUnit"])).toBeCloseTo(
      0.00113738054437598,
      15,
    );
    expect(
      call("convert_temperature", [real(100), "DegreeCelsius", "DegreeFahrenheit"]),
    ).toBeCloseTo(212, 9);
    expect(call("convert_length", [real(1), "Meter", "Cubit"])).toBeNull();
  });
});

describe("statistics and versions", () => {
  test("beta_cdf", () => {
    expect(call("beta_cdf", [real(0.9), real(10), real(20)])).toBeCloseTo(0.999999999999959, 14);
    expect(call("beta_cdf", [real(0.5), real(2), real(2)])).toBeCloseTo(0.5, 14);
    expect(call("beta_cdf", [real(1.5), real(10), real(20)])).toBeNaN();
    expect(call("beta_cdf", [real(0.1), real(-1), real(20)])).toBeNaN();
  });

  test("parse_version weights four parts of eight digits", () => {
    expect(call("parse_version", ["0.0.0.5"])).toBe(5);
    expect(call("parse_version", ["0.0.7.0"])).toBe(700_000_000);
    expect(call("parse_version", ["0.0.3"])).toBe(300_000_000);
    expect(call("parse_version", ["1"])).toBe(1e24);
    expect(call("parse_version", ["1.2.3.4.5"])).toBeNull();
    expect(call("parse_version", ["a.b"])).toBeNull();
  });
});

describe("regex_quote, set_equals, around", () => {
  test("regex_quote escapes the metacharacters (documented example) and the result matches literally", () => {
    expect(call("regex_quote", ["(so$me.Te^xt)"])).toBe("\\(so\\$me\\.Te\\^xt\\)");
    const r = run(
      `print m = "a+b (c)" matches regex regex_quote("a+b (c)"), n = "aab (c)" matches regex regex_quote("a+b (c)")`,
    );
    expect(r.rows).toEqual([[true, false]]);
  });

  test("set_equals compares distinct values, ignoring order and repeats", () => {
    expect(call("set_equals", [dyn([1, 2, 2]), dyn([2, 1])])).toBe(true);
    expect(call("set_equals", [dyn([1]), dyn([1, 2])])).toBe(false);
    expect(call("set_equals", [dyn(["a"]), dyn(["a"]), dyn(["a", "b"])])).toBe(false);
    expect(call("set_equals", [dyn("x"), dyn([1])])).toBeNull();
  });

  test("around is true within [center - delta, center + delta] (documented example)", () => {
    const r = run(
      "range dt from datetime(2021-01-01 01:00) to datetime(2021-01-01 02:00) step 1min | where around(dt, datetime(2021-01-01 01:30), 1min)",
    );
    expect(r.rows).toEqual([
      ["2021-01-01T01:29:00.0000000Z"],
      ["2021-01-01T01:30:00.0000000Z"],
      ["2021-01-01T01:31:00.0000000Z"],
    ]);
    expect(call("around", [real(1.5), real(1), real(1)])).toBe(true);
    expect(call("around", [real(2.5), real(1), real(1)])).toBe(false);
    expect(call("around", [real(null), real(1), real(1)])).toBeNull();
  });
});

// Older names that rules written years ago still use; each behaves as its current name.
describe("deprecated names", () => {
  test.each([
    ["print v = parsejson('{\"a\":1}')", [[{ a: 1 }]]],
    ["print v = extractall(@'(\\d)', 'a1b2')", [[["1", "2"]]]],
    ["print v = parseurl('http://a.com/x').Path", [["/x"]]],
    ["print v = parseurlquery('a=1&b=2')['Query Parameters'].b", [["2"]]],
    ["print v = datepart('year', datetime(2026-01-01))", [[2026]]],
    ["print v = arraylength(dynamic([1, 2]))", [[2]]],
    ["print v = array_strcat(dynamic([1, 2]), ',')", [["1,2"]]],
    ["print x = 1 | project v = columnifexists('missing', 0)", [[0]]],
    [
      "range x from 1 to 2 step 1 | summarize v = make_dictionary(bag_pack(tostring(x), x))",
      [[{ "1": 1, "2": 2 }]],
    ],
  ])("%s", (query, rows) => {
    expect(run(query).rows).toEqual(rows);
  });
});

describe("iscolumnexists", () => {
  test("tells whether the input has a column of that name", () => {
    expect(
      run("print x = 1 | extend a = iscolumnexists('x'), b = iscolumnexists('y')").rows,
    ).toEqual([[1, true, false]]);
  });
});
