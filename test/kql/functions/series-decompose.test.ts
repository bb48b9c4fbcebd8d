import { call, dyn, long, real } from "./call";

const PERIODIC = [
  80, 139, 87, 110, 68, 54, 50, 51, 53, 133, 86, 141, 97, 156, 94, 149, 95, 140, 77, 61, 50, 54, 47,
  133, 72, 152, 94, 148, 105, 162, 101, 160, 87, 63, 53, 55, 54, 151, 103, 189, 108, 183, 113, 175,
  113, 178, 90, 71, 62, 62, 65, 165, 109, 181, 115, 182, 121, 178, 114, 170,
];

/** A weekly pattern (period 7) on a rising line, with one spike and one dip. */
function weekly(outliers = true): number[] {
  const pattern = [10, 12, 15, 15, 14, 5, 4];
  const xs = Array.from({ length: 70 }, (_, i) => pattern[i % 7] + i * 0.1);
  if (outliers) {
    xs[30] += 20;
    xs[50] -= 20;
  }
  return xs;
}

describe("series_seasonal and period detection", () => {
  test("seasonal component is the per-phase median (documented values)", () => {
    expect(
      call("series_seasonal", [
        dyn([2, 5, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1]),
      ]),
    ).toEqual([1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1]);
    expect(
      call("series_seasonal", [
        dyn([8, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10]),
      ]),
    ).toEqual([10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10, 10, 12, 14, 12, 10]);
    // Two cycles are too few to detect a season.
    expect(call("series_seasonal", [dyn([1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6])])).toEqual(
      Array(12).fill(0),
    );
    expect(call("series_seasonal", [dyn([1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6]), long(6)])).toEqual([
      1, 3, 5, 2, 4, 6, 1, 3, 5, 2, 4, 6,
    ]);
  });

  test("periods_detect finds the documented 14-point period; validate scores given periods", () => {
    const [periods, scores] = call("series_periods_detect", [
      dyn(PERIODIC),
      real(0),
      real(50),
      long(2),
    ]) as number[][];
    expect(periods[0]).toBe(14);
    expect(scores[0]).toBeGreaterThan(0.8);
    expect(periods).toHaveLength(2);
    const [given, validated] = call("series_periods_validate", [
      dyn(PERIODIC),
      real(14),
      real(10),
      real(3),
      real(40),
    ]) as number[][];
    expect(given).toEqual([14, 10, 3, 40]);
    expect(validated[0]).toBeGreaterThan(validated[1]);
    expect(validated.slice(2)).toEqual([0, 0]); // below 4 points / above half the series
  });
});

describe("series_decompose family", () => {
  test("decompose: baseline = seasonal + trend, residual = x - baseline", () => {
    const xs = weekly(false);
    const [baseline, seasonal, trend, residual] = call("series_decompose", [
      dyn(xs),
      long(7),
      "linefit",
    ]) as number[][];
    xs.forEach((x, i) => {
      expect(baseline[i]).toBeCloseTo(seasonal[i] + trend[i], 9);
      expect(residual[i]).toBeCloseTo(x - baseline[i], 9);
    });
    expect(Math.abs(trend[69] - trend[0] - 6.9)).toBeLessThan(0.2); // the 0.1-per-point rise
    const [, flat] = call("series_decompose", [dyn(xs), long(0)]) as number[][];
    expect(flat.every((s) => s === 0)).toBe(true);
    expect(call("series_decompose", [dyn(xs), long(7), "bogus"])).toBeNull();
  });

  test("anomalies flag the spike and the dip with Tukey fence scores", () => {
    const [flags, scores, baseline] = call("series_decompose_anomalies", [
      dyn(weekly()),
      real(1.5),
      long(-1),
      "linefit",
    ]) as number[][];
    expect(flags.flatMap((f, i) => (f !== 0 ? [[i, f]] : []))).toEqual([
      [30, 1],
      [50, -1],
    ]);
    expect(scores[30]).toBeGreaterThan(1.5);
    expect(scores[50]).toBeLessThan(-1.5);
    expect(baseline).toHaveLength(70);
  });

  test("forecast extrapolates the last points from what came before", () => {
    const xs = weekly().slice(0, 63).concat(Array(7).fill(0));
    const f = call("series_decompose_forecast", [dyn(xs), long(7), long(7)]) as number[];
    expect(f).toHaveLength(70);
    // Monday of the last week: the pattern's 10 plus the trend near 6.3.
    expect(f[63]).toBeGreaterThan(14);
    expect(f[63]).toBeLessThan(18);
  });

  test("series_outliers scores beyond the quantile range", () => {
    const s = call("series_outliers", [dyn([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]), "tukey"]) as number[];
    expect(s[9]).toBeGreaterThan(1.5);
    expect(s.slice(0, 9).every((v) => Math.abs(v) < 1.5)).toBe(true);
    expect(call("series_outliers", [dyn([1, 2]), "nope"])).toBeNull();
  });
});
