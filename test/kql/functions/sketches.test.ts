import { aggregate, call, dyn, long, real } from "./call";

describe("hll sketches (exact here)", () => {
  test("hll, hll_merge and dcount_hll count distinct values", () => {
    const a = aggregate("hll", [[long(1)], [long(2)], [long(2)], [long(null)]]);
    const b = aggregate("hll", [[long(2)], [long(3)]]);
    expect(call("dcount_hll", [dyn(a)])).toBe(2);
    expect(call("dcount_hll", [dyn(call("hll_merge", [dyn(a), dyn(b)]))])).toBe(3);
    expect(call("dcount_hll", [dyn(aggregate("hll_merge", [[dyn(a)], [dyn(b)]]))])).toBe(3);
    expect(
      aggregate("hll_if", [
        [long(1), true],
        [long(2), false],
      ]),
    ).toEqual([1]);
    expect(call("dcount_hll", [dyn(null)])).toBeNull();
  });
});

describe("tdigest sketches (exact here)", () => {
  test("percentiles and ranks from a digest", () => {
    const d = aggregate(
      "tdigest",
      Array.from({ length: 10 }, (_, i) => [long(i + 1)]),
    );
    expect(call("percentile_tdigest", [dyn(d), long(50)])).toBe(5);
    expect(call("percentiles_array_tdigest", [dyn(d), long(10), real(95)])).toEqual([1, 10]);
    expect(call("rank_tdigest", [dyn(d), long(7)])).toBe(7);
    const merged = call("tdigest_merge", [dyn(d), dyn([100])]);
    expect(call("percentile_tdigest", [dyn(merged), long(100)])).toBe(100);
    expect(aggregate("tdigest", [[long(5), long(3)]])).toEqual([5, 5, 5]);
  });
});
