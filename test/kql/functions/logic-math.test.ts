import { call, dyn, long, real } from "./call";
import { AssertionFailed } from "../../../scripts/kql/engine/functions/logic";

describe("logic functions", () => {
  test("iff, case and coalesce", () => {
    expect(call("iff", [true, "a", "b"])).toBe("a");
    expect(call("iff", [null, "a", "b"])).toBe("b");
    expect(call("case", [false, 1, true, 2, 3])).toBe(2);
    expect(call("case", [false, 1, null, 2, 3])).toBe(3);
    expect(call("coalesce", [null, long(42), long(33)], "long")).toBe(42);
    expect(call("coalesce", ["", "x"], "string")).toBe("x");
    expect(call("coalesce", [null, null], "long")).toBeNull();
  });

  test("null and empty tests", () => {
    expect(call("isnull", [{ v: null, t: "long" }])).toBe(true);
    expect(call("isnull", [""])).toBe(false);
    expect(call("isnotnull", [long(1)])).toBe(true);
    expect(call("isempty", [""])).toBe(true);
    expect(call("isempty", [{ v: null, t: "long" }])).toBe(true);
    expect(call("isnotempty", ["a"])).toBe(true);
    expect(call("isnotempty", [dyn(null)])).toBe(false);
  });

  test("not, isnan, isinf, isfinite", () => {
    expect(call("not", [true])).toBe(false);
    expect(call("not", [null])).toBeNull();
    expect(call("isnan", [real(NaN)])).toBe(true);
    expect(call("isinf", [real(-Infinity)])).toBe(true);
    expect(call("isinf", [real(NaN)])).toBe(false);
    expect(call("isfinite", [real(1)])).toBe(true);
    expect(call("isfinite", [real(Infinity)])).toBe(false);
  });

  test("assert throws its message when false", () => {
    expect(call("assert", [true, "ok"])).toBe(true);
    expect(() => call("assert", [false, "Length must be greater than zero"])).toThrow(
      AssertionFailed,
    );
  });
});

describe("math functions", () => {
  test("abs, ceiling, sign, sqrt, pow, logs, exps", () => {
    expect(call("abs", [long(-5)], "long")).toBe(5);
    expect(call("ceiling", [real(-1.1)], "real")).toBe(-1);
    expect(call("ceiling", [real(0.9)], "real")).toBe(1);
    expect(call("sign", [real(-3)], "real")).toBe(-1);
    expect(call("sqrt", [real(-1)], "real")).toBeNaN();
    expect(call("pow", [long(2), long(10)], "real")).toBe(1024);
    expect(call("log", [real(5)], "real")).toBeCloseTo(1.6094379124341003, 15);
    expect(call("log2", [real(5)], "real")).toBeCloseTo(2.3219280948873622, 15);
    expect(call("log10", [real(1000)], "real")).toBeCloseTo(3, 15);
    expect(call("exp", [real(2)], "real")).toBeCloseTo(7.389056, 6);
    expect(call("exp2", [real(3)], "real")).toBe(8);
    expect(call("exp10", [real(2)], "real")).toBe(100);
    expect(call("abs", [null])).toBeNull();
  });

  test("round rounds half away from zero", () => {
    expect(call("round", [real(2.98765), 3], "real")).toBe(2.988);
    expect(call("round", [real(2.15), 1], "real")).toBe(2.2);
    expect(call("round", [real(2.5)], "real")).toBe(3);
    expect(call("round", [real(-2.5)], "real")).toBe(-3);
    expect(call("round", [real(-50.55), -2], "real")).toBe(-100);
    expect(call("round", [real(21.5), -1], "real")).toBe(20);
  });

  test("min_of and max_of skip nulls", () => {
    expect(call("max_of", [long(10), long(1), long(-3), long(17)])).toBe(17);
    expect(call("min_of", [long(10), long(1), long(-3), long(17)])).toBe(-3);
    expect(call("max_of", [null, long(2)])).toBe(2);
    expect(call("min_of", [null, null])).toBeNull();
  });

  test("trigonometry and special functions", () => {
    expect(call("pi", [])).toBe(Math.PI);
    expect(call("degrees", [real(Math.PI / 4)], "real")).toBeCloseTo(45, 12);
    expect(call("radians", [real(180)], "real")).toBeCloseTo(Math.PI, 12);
    expect(call("atan2", [real(1), real(1)])).toBeCloseTo(Math.PI / 4, 12);
    expect(call("gamma", [real(5)], "real")).toBe(24);
    expect(call("loggamma", [real(5)], "real")).toBeCloseTo(3.1780538303479458, 12);
    expect(call("erf", [real(1)], "real")).toBeCloseTo(0.842700792949715, 14);
    expect(call("erf", [real(-3)], "real")).toBeCloseTo(-0.999977909503001, 14);
    expect(call("erf", [real(0)], "real")).toBe(0);
  });

  test("bitwise functions work on 64 bits", () => {
    expect(call("binary_and", [long(12), long(10)])).toBe(8);
    expect(call("binary_or", [long(12), long(10)])).toBe(14);
    expect(call("binary_xor", [long(12), long(10)])).toBe(6);
    expect(call("binary_not", [long(0)])).toBe(-1);
    expect(call("binary_shift_left", [long(1), long(40)])).toBe(2 ** 40);
    expect(call("binary_shift_right", [long(1024), long(3)])).toBe(128);
    expect(call("bitset_count_ones", [long(42)])).toBe(3);
  });

  test("rand is deterministic per seed and in range", () => {
    const a = call("rand", []) as number;
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(1);
    for (let i = 0; i < 50; i++) {
      const n = call("rand", [long(10)]) as number;
      expect(Number.isInteger(n) && n >= 0 && n < 10).toBe(true);
    }
  });
});
