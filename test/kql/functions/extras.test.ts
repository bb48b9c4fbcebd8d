import { call, real } from "./call";

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
