import { call, dt, dyn, long, real, ts } from "./call";
import { formatReal, toKustoString } from "../../../scripts/kql/engine/functions/coerce";
import { parseDatetime } from "../../../scripts/kql/engine/functions/datetime-format";
import { TICKS_PER_HOUR, TICKS_PER_MINUTE } from "../../../scripts/kql/engine/values";

describe("conversion functions", () => {
  test("tostring formats every type Kusto's way", () => {
    // Seven fractional digits: the documented hash_sha1(datetime(2020-01-01)) hashes this form.
    expect(call("tostring", [dt("2026-05-06 10:00")])).toBe("2026-05-06T10:00:00.0000000Z");
    expect(call("tostring", [dt("2026-05-06 10:00:00.5")])).toBe("2026-05-06T10:00:00.5000000Z");
    expect(call("tostring", [ts(TICKS_PER_HOUR)])).toBe("01:00:00");
    expect(call("tostring", [true])).toBe("true");
    expect(call("tostring", [real(1.5)])).toBe("1.5");
    expect(call("tostring", [real(1e20)])).toBe("1E+20");
    expect(call("tostring", [long(42)])).toBe("42");
    expect(call("tostring", [dyn({ a: 1, b: [1, "x"] })])).toBe('{"a":1,"b":[1,"x"]}');
    expect(call("tostring", [dyn("text")])).toBe("text");
    expect(call("tostring", [{ v: null, t: "long" }])).toBe("");
  });

  test("formatReal follows .NET's round-trip format", () => {
    expect(formatReal(0.1)).toBe("0.1");
    expect(formatReal(123456789012345)).toBe("123456789012345");
    expect(formatReal(1e15)).toBe("1E+15");
    expect(formatReal(0.00001)).toBe("1E-05");
    expect(formatReal(NaN)).toBe("NaN");
    expect(toKustoString(-0.5, "real")).toBe("-0.5");
  });

  test("toint, tolong, toreal", () => {
    expect(call("toint", ["123"])).toBe(123);
    expect(call("toint", [real(2.9)])).toBe(2);
    expect(call("toint", [real(-2.9)])).toBe(-2);
    expect(call("toint", ["abc"])).toBeNull();
    expect(call("toint", [long(4294967297)])).toBe(1);
    expect(call("tolong", ["  -17 "])).toBe(-17);
    expect(call("tolong", [true])).toBe(1);
    expect(call("tolong", [ts(TICKS_PER_MINUTE)])).toBe(TICKS_PER_MINUTE);
    expect(call("toreal", ["1e3"])).toBe(1000);
    expect(call("todouble", ["NaN"])).toBeNaN();
    expect(call("toreal", [null])).toBeNull();
    expect(call("todecimal", ["123.45678"])).toBe(123.45678);
  });

  test("tobool, toguid", () => {
    expect(call("tobool", ["TRUE"])).toBe(true);
    expect(call("tobool", ["false"])).toBe(false);
    expect(call("tobool", [long(5)])).toBe(true);
    expect(call("tobool", [long(0)])).toBe(false);
    expect(call("tobool", ["yes"])).toBeNull();
    expect(call("toguid", ["74BE27DE-1E4E-49D9-B579-FE0B331D3642"])).toBe(
      "74be27de-1e4e-49d9-b579-fe0b331d3642",
    );
    expect(call("toguid", ["not a guid"])).toBeNull();
  });

  test("todatetime and totimespan", () => {
    expect(call("todatetime", ["12-02-2022"])).toBe(parseDatetime("2022-12-02"));
    expect(call("todatetime", ["garbage"])).toBeNull();
    expect(call("todatetime", [dt("2020-01-01")])).toBe(parseDatetime("2020-01-01"));
    expect(call("totimespan", ["0.00:03:00"])).toBe(3 * TICKS_PER_MINUTE);
    expect(call("totimespan", [ts(4)])).toBe(4);
    expect(call("totimespan", ["nope"])).toBeNull();
  });

  test("parse_json / todynamic", () => {
    const d = call("parse_json", ['{"a":123, "b":"{\\"c\\":456}"}']) as { [k: string]: unknown };
    expect(d.a).toBe(123);
    expect(Object.getPrototypeOf(d)).toBeNull();
    const inner = call("parse_json", [call("tostring", [dyn(d.b as string)])]) as {
      [k: string]: unknown;
    };
    expect(inner.c).toBe(456);
    expect(call("todynamic", ["not json"])).toBe("not json");
    expect(call("parse_json", [dyn([1, 2])])).toEqual([1, 2]);
    // A "__proto__" key is data, not a prototype.
    const p = call("parse_json", ['{"__proto__":{"x":1}}']) as { [k: string]: unknown };
    expect(Object.keys(p)).toEqual(["__proto__"]);
  });

  test("parse_json keeps dynamic input as is and reads lenient JSON", () => {
    expect(call("parse_json", [dyn('{"c":1}')])).toBe('{"c":1}');
    expect(call("parse_json", ["{'a': 'x', b: [1, 2,], /* note */ c: NaN}"])).toEqual({
      a: "x",
      b: [1, 2],
      c: "NaN",
    });
    expect(call("parse_json", ["{'a': "])).toBe("{'a': ");
    expect(call("parse_json", ["123"])).toBe(123);
  });

  test("gettype", () => {
    expect(call("gettype", ["a"])).toBe("string");
    expect(call("gettype", [long(1)])).toBe("long");
    expect(call("gettype", [dt("2020-01-01")])).toBe("datetime");
    expect(call("gettype", [dyn([1])])).toBe("array");
    expect(call("gettype", [dyn({})])).toBe("dictionary");
    expect(call("gettype", [dyn(1.5)])).toBe("real");
    expect(call("gettype", [dyn(null)])).toBe("null");
  });

  test("tohex", () => {
    expect(call("tohex", [long(256)])).toBe("100");
    expect(call("tohex", [long(-1)])).toBe("ffffffffffffffff");
    expect(call("tohex", [long(255), 4])).toBe("00ff");
  });
});
