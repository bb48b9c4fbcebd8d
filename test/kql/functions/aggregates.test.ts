import { aggregate, dt, dyn, long, real } from "./call";
import { aggregateFunction } from "../../../scripts/kql/engine/functions/registry";

const xs = (values: (number | null)[]) => values.map((v) => [long(v)]);
const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("counting aggregates", () => {
  test("count counts rows, countif true predicates", () => {
    expect(aggregate("count", xs([1, null, 3]))).toBe(3);
    expect(aggregate("countif", [[true], [false], [null], [true]])).toBe(2);
    expect(aggregate("count", [])).toBe(0);
  });

  test("dcount and count_distinct skip nulls", () => {
    expect(aggregate("dcount", xs([1, 2, 2, null, 3]))).toBe(3);
    expect(
      aggregate("dcountif", [
        [long(1), true],
        [long(2), false],
        [long(1), true],
      ]),
    ).toBe(1);
    expect(aggregate("count_distinct", [["a"], ["A"], ["a"]])).toBe(2);
  });
});

describe("numeric aggregates", () => {
  test("sum, avg skip nulls; over nothing they are null", () => {
    expect(aggregate("sum", xs([1, null, 3]), "long")).toBe(4);
    expect(aggregate("avg", xs([1, null, 3]), "real")).toBe(2);
    expect(aggregate("sum", xs([null]), "long")).toBeNull();
    expect(aggregate("avg", [], "real", ["long"])).toBeNull();
    expect(
      aggregate(
        "sumif",
        [
          [long(5), true],
          [long(7), false],
        ],
        "long",
      ),
    ).toBe(5);
    expect(
      aggregate(
        "avgif",
        [
          [long(5), true],
          [long(7), true],
          [long(9), false],
        ],
        "real",
      ),
    ).toBe(6);
  });

  test("min and max across types", () => {
    expect(aggregate("max", xs([3, null, 7, 1]))).toBe(7);
    expect(aggregate("min", xs([3, null, 7, 1]))).toBe(1);
    expect(aggregate("max", [["b"], ["a"], ["c"]])).toBe("c");
    expect(aggregate("min", [[dt("2020-01-02")], [dt("2020-01-01")]])).toBe(dt("2020-01-01").v);
    expect(
      aggregate("maxif", [
        [long(3), true],
        [long(9), false],
      ]),
    ).toBe(3);
    expect(aggregate("min", xs([null]))).toBeNull();
  });

  test("arg_max and arg_min return the whole chosen row", () => {
    const rows = [
      ["Apple", long(1), "Red"],
      ["Apple", long(null), "Green"],
      ["Pear", long(2), "Green"],
    ].map(([f, v, c]) => [v, f, c]);
    expect(aggregate("arg_max", rows)).toEqual([2, "Pear", "Green"]);
    expect(aggregate("arg_min", rows)).toEqual([1, "Apple", "Red"]);
    // All keys null: the first row.
    expect(
      aggregate("arg_min", [
        [long(null), "Yellow"],
        [long(null), "Green"],
      ]),
    ).toEqual([null, "Yellow"]);
    expect(aggregateFunction("arg_max")?.multiColumn).toBe(true);
  });

  test("variance, stdev and covariance (documented values)", () => {
    const evens = oneTo(100).map((x) => [long(x), x % 2 === 0]);
    expect(aggregate("variance", xs(oneTo(5)))).toBe(2.5);
    expect(aggregate("variancep", xs(oneTo(5)))).toBe(2);
    expect(aggregate("varianceif", evens)).toBe(850);
    expect(aggregate("stdevif", evens)).toBeCloseTo(29.1547594742265, 12);
    expect(aggregate("stdev", xs([5]))).toBe(0);
    const pairs = [
      [1, 14],
      [2, 10],
      [3, 17],
      [4, 20],
      [5, 50],
    ].map(([x, y]) => [real(x), real(y)]);
    expect(aggregate("covariancep", pairs)).toBeCloseTo(16.4, 12);
    const ys = oneTo(100).map((x) => [long(x), long(x % 2 === 0 ? x * 2 : x * 3), x % 3 === 0]);
    expect(aggregate("covarianceif", ys)).toBeCloseTo(2142, 9);
    expect(aggregate("covariancepif", ys)).toBeCloseTo(2077.09090909091, 9);
  });

  test("percentiles use nearest rank", () => {
    const values = xs(oneTo(10));
    expect(
      aggregate(
        "percentile",
        values.map((r) => [...r, long(50)]),
      ),
    ).toBe(5);
    expect(
      aggregate(
        "percentile",
        values.map((r) => [...r, long(90)]),
      ),
    ).toBe(9);
    expect(
      aggregate(
        "percentile",
        values.map((r) => [...r, real(95)]),
      ),
    ).toBe(10);
    expect(
      aggregate(
        "percentiles",
        values.map((r) => [...r, long(0), long(100)]),
      ),
    ).toEqual([1, 10]);
    const weighted = [
      [8, 10],
      [6, 20],
      [3, 30],
      [1, 40],
    ].map(([w, v]) => [long(v), long(w), dyn([50, 75, 99.9])]);
    expect(aggregate("percentilesw_array", weighted)).toEqual([20, 20, 40]);
  });
});

describe("collecting aggregates", () => {
  test("make_list and make_set skip nulls and expand arrays", () => {
    expect(aggregate("make_list", [[dyn([1, 2])], [dyn([3])]])).toEqual([1, 2, 3]);
    expect(aggregate("make_list", [[dyn([[1, 2]])], [dyn([[3]])]])).toEqual([[1, 2], [3]]);
    expect(aggregate("make_list", xs([1, null, 2, 2]))).toEqual([1, 2, 2]);
    expect(aggregate("make_set", xs([1, null, 2, 2]))).toEqual([1, 2]);
    expect(aggregate("make_list_with_nulls", xs([null, 4, 4]))).toEqual([null, 4, 4]);
    expect(
      aggregate("make_set", [[dyn(["A1", "A2", "A3"])], [dyn(["A2", "C1"])], [dyn(["C2", "A1"])]]),
    ).toEqual(["A1", "A2", "A3", "C1", "C2"]);
    expect(aggregate("make_list", [], "dynamic", ["long"])).toEqual([]);
    expect(
      aggregate(
        "make_list",
        xs([1, 2, 3]).map((r) => [...r, long(2)]),
      ),
    ).toEqual([1, 2]);
    expect(aggregate("make_list", [[dt("2020-01-01")]])).toEqual(["2020-01-01T00:00:00Z"]);
    expect(
      aggregate("make_list_if", [
        [long(1), true],
        [long(2), false],
      ]),
    ).toEqual([1]);
    expect(
      aggregate("make_set_if", [
        [long(1), true],
        [long(1), true],
      ]),
    ).toEqual([1]);
  });

  test("make_bag keeps the first value of each key", () => {
    expect(aggregate("make_bag", [[dyn({ a: 1 })], [dyn({ a: 2, b: 3 })], [dyn(null)]])).toEqual({
      a: 1,
      b: 3,
    });
    expect(
      aggregate("make_bag_if", [
        [dyn({ prop01: "val_a" }), true],
        [dyn({ prop02: "val_b" }), false],
        [dyn({ prop03: "val_c" }), true],
      ]),
    ).toEqual({ prop01: "val_a", prop03: "val_c" });
  });

  test("take_any and take_anyif", () => {
    expect(aggregate("take_any", xs([null, 5, 6]))).toBe(5);
    expect(aggregate("take_any", [[long(1), "a"]])).toEqual([1, "a"]);
    expect(
      aggregate("take_anyif", [
        [long(1), false],
        [long(2), true],
      ]),
    ).toBe(2);
  });

  test("buildschema merges the shapes of dynamic values", () => {
    expect(aggregate("buildschema", [[dyn({ x: 1, y: "a" })], [dyn({ x: "b", z: [1] })]])).toEqual({
      x: ["long", "string"],
      y: "string",
      z: { indexer: "long" },
    });
  });

  test("binary_all_* combine bits", () => {
    expect(aggregate("binary_all_and", xs([12, 10]))).toBe(8);
    expect(aggregate("binary_all_or", xs([12, 10]))).toBe(14);
    expect(aggregate("binary_all_xor", xs([12, 10]))).toBe(6);
  });
});
