import { run } from "../../../scripts/kql/engine/index";
import { call, dyn, long, real } from "./call";
import type { Json, Value } from "../../../scripts/kql/engine/values";

const NOW = "2026-05-06T10:00:00Z";
const q = (query: string) => run(query, { now: NOW });
const names = (r: { columns: { name: string }[] }) => r.columns.map((c) => c.name);

/** Asserts numbers (or arrays of numbers) equal within `tol`; nulls must match exactly. */
function close(actual: Value | Json | undefined, expected: Json, tol = 1e-6): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual)).toBe(true);
    const a = actual as Json[];
    expect(a).toHaveLength(expected.length);
    expected.forEach((e, i) => close(a[i], e, tol));
  } else if (typeof expected === "number" && !Number.isNaN(expected)) {
    expect(typeof actual).toBe("number");
    expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tol);
  } else {
    expect(actual).toEqual(expected);
  }
}

const STATS_X = [23, 46, 23, 87, 4, 8, 3, 75, 2, 56, 13, 75, 32, 16, 29];
const FIT_Y = [2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30];
const TWO_LINES_Y = [1, 2.2, 2.5, 4.7, 5.0, 12, 10.3, 10.3, 9, 8.3, 6.2];

describe("series_stats and series_stats_dynamic", () => {
  test("documented example: columns, names and values", () => {
    const r = q(`print x=dynamic([${STATS_X}]) | project series_stats(x)`);
    expect(names(r)).toEqual([
      "series_stats_x_min",
      "series_stats_x_min_idx",
      "series_stats_x_max",
      "series_stats_x_max_idx",
      "series_stats_x_avg",
      "series_stats_x_stdev",
      "series_stats_x_variance",
    ]);
    close(r.rows[0] as Json[], [2, 8, 87, 3, 32.8, 28.5036338535483, 812.457142857143]);
  });

  test("documented dynamic example", () => {
    const r = q(`print x=dynamic([${STATS_X}]) | project stats=series_stats_dynamic(x)`);
    const s = r.rows[0][0] as { [k: string]: Json };
    expect(Object.keys(s)).toEqual([
      "min",
      "min_idx",
      "max",
      "max_idx",
      "avg",
      "stdev",
      "variance",
      "sum",
      "len",
    ]);
    close(s.min, 2);
    close(s.min_idx, 8);
    close(s.max, 87);
    close(s.max_idx, 3);
    close(s.avg, 32.8);
    close(s.stdev, 28.503633853548269, 1e-12);
    close(s.variance, 812.45714285714291, 1e-9);
    close(s.sum, 492);
    close(s.len, 15);
  });

  test("min_idx and max_idx are the first positions", () => {
    expect((call("series_stats", [dyn([5, 1, 9, 1, 9])]) as Json[]).slice(0, 4)).toEqual([
      1, 1, 9, 2,
    ]);
  });

  test("non-finite elements give null statistics unless ignore_nonfinite", () => {
    const withNull = [1, null, 3, "x", 5];
    expect(call("series_stats", [dyn(withNull)])).toEqual(Array(7).fill(null));
    expect(call("series_stats", [dyn([1, NaN, 3])])).toEqual(Array(7).fill(null));
    expect(call("series_stats", [dyn([1, Infinity])])).toEqual(Array(7).fill(null));
    close(call("series_stats", [dyn(withNull), true]) as Json[], [1, 0, 5, 4, 3, 2, 4]);
    const d = call("series_stats_dynamic", [dyn(withNull), true]) as { [k: string]: Json };
    expect(d.sum).toBe(9);
    expect(d.len).toBe(3);
    expect(d.max_idx).toBe(4);
    const nulls = call("series_stats_dynamic", [dyn(withNull)]) as { [k: string]: Json };
    expect(nulls.avg).toBeNull();
    expect(nulls.len).toBe(5);
  });

  test("empty arrays, single values and non-arrays", () => {
    expect(call("series_stats", [dyn([])])).toEqual(Array(7).fill(null));
    expect(call("series_stats", [dyn([4])])).toEqual([4, 0, 4, 0, 4, 0, 0]);
    expect(call("series_stats", [null])).toEqual(Array(7).fill(null));
    expect(call("series_stats_dynamic", [null])).toBeNull();
    expect(JSON.stringify(call("series_stats_dynamic", [dyn([])]))).toBe(
      '{"min":null,"min_idx":null,"max":null,"max_idx":null,"avg":null,"stdev":null,' +
        '"variance":null,"sum":0,"len":0}',
    );
  });

  test("print series_stats(...) spreads into Kusto.Language's columns", () => {
    const r = q("print series_stats(dynamic([1,2,3]))");
    expect(r.columns).toHaveLength(7);
    expect(r.rows).toEqual([[1, 0, 3, 2, 2, 1, 1]]);
  });
});

// The page rounds (truncates, for rsquare 0.98290 and slope 2.73077) to three decimals and
// prints LineFit[1] as 3.7945 where the least-squares line gives 3.794872; the assertions use
// the documented values at the precision the page gives, and exact values computed by hand.
const FIT_DOC = {
  rsquare: 0.982900730884447,
  slope: 2.7307692307692313,
  variance: 98.62878787878786,
  rvariance: 1.6864801864801868,
  interception: -1.6666666666666714,
};
const FIT_LINE_DOC = [
  1.064, 3.7945, 6.526, 9.256, 11.987, 14.718, 17.449, 20.18, 22.91, 25.641, 28.371, 31.102,
];

describe("series_fit_line and series_fit_line_dynamic", () => {
  test("documented example", () => {
    const r = q(`print
    id=' ',
    x=range(bin(now(), 1h) - 11h, bin(now(), 1h), 1h),
    y=dynamic([${FIT_Y}])
| extend (RSquare, Slope, Variance, RVariance, Interception, LineFit)=series_fit_line(y)
| render timechart`);
    expect(names(r)).toEqual([
      "id",
      "x",
      "y",
      "RSquare",
      "Slope",
      "Variance",
      "RVariance",
      "Interception",
      "LineFit",
    ]);
    const [rsq, slope, variance, rvariance, interception, lineFit] = r.rows[0].slice(3);
    close(rsq, 0.982, 1e-3);
    close(slope, 2.73, 1e-3);
    close(variance, 98.628, 1e-3);
    close(rvariance, 1.686, 1e-3);
    close(interception, -1.666, 1e-3);
    close(lineFit as Json[], FIT_LINE_DOC, 1e-3);
    close([rsq, slope, variance, rvariance, interception] as Json[], Object.values(FIT_DOC), 1e-9);
  });

  test("default column names", () => {
    const r = q(`print y=dynamic([${FIT_Y}]) | project series_fit_line(y)`);
    expect(names(r)).toEqual([
      "series_fit_line_y_rsquare",
      "series_fit_line_y_slope",
      "series_fit_line_y_variance",
      "series_fit_line_y_rvariance",
      "series_fit_line_y_interception",
      "series_fit_line_y_line_fit",
    ]);
  });

  test("documented dynamic example", () => {
    const r = q(`print
    id=' ',
    x=range(bin(now(), 1h) - 11h, bin(now(), 1h), 1h),
    y=dynamic([${FIT_Y}])
| extend fit=series_fit_line_dynamic(y)
| extend
    RSquare=fit.rsquare,
    Slope=fit.slope,
    Variance=fit.variance,
    RVariance=fit.rvariance,
    Interception=fit.interception,
    LineFit=fit.line_fit
| project RSquare, Slope, Variance, RVariance, Interception, LineFit
| render timechart`);
    const row = r.rows[0];
    close(row.slice(0, 5) as Json[], Object.values(FIT_DOC), 1e-9);
    close(row[5] as Json[], FIT_LINE_DOC, 1e-3);
  });

  test("an exact line, a constant series and a single point", () => {
    close(call("series_fit_line", [dyn([3, 5, 7, 9])]) as Json[], [
      1,
      2,
      20 / 3,
      0,
      1,
      [3, 5, 7, 9],
    ]);
    close(call("series_fit_line", [dyn([4, 4, 4])]) as Json[], [1, 0, 0, 0, 4, [4, 4, 4]]);
    close(call("series_fit_line", [dyn([7])]) as Json[], [1, 0, 0, 0, 7, [7]]);
  });

  test("non-numeric elements are left out of the fit but keep their positions", () => {
    close(call("series_fit_line", [dyn([3, null, 7, "x", 11])]) as Json[], [
      1,
      2,
      16,
      0,
      1,
      [3, 5, 7, 9, 11],
    ]);
  });

  test("empty arrays and non-arrays", () => {
    expect(call("series_fit_line", [dyn([])])).toEqual([null, null, null, null, null, []]);
    expect(call("series_fit_line", [null])).toEqual(Array(6).fill(null));
    expect(call("series_fit_line_dynamic", [null])).toBeNull();
    expect(JSON.stringify(call("series_fit_line_dynamic", [dyn([1, 2])]))).toBe(
      '{"rsquare":1,"slope":1,"variance":0.5,"rvariance":0,"interception":0,"line_fit":[1,2]}',
    );
  });
});

describe("series_fit_2lines and series_fit_2lines_dynamic", () => {
  // The page shows only a chart for this example; the values below are the least-squares
  // segments (checked by hand): the trend breaks at index 5, where 12 starts the fall.
  const LEFT = { rsquare: 0.9384576098059244, slope: 1.05, interception: -0.07 };
  const RIGHT = { rsquare: 0.9423851242624709, slope: -1.0371428571428571, interception: 12.98 };

  test("documented example runs and splits at the trend change", () => {
    const r = q(`print
    id=' ',
    x=range(bin(now(), 1h) - 11h, bin(now(), 1h), 1h),
    y=dynamic([${TWO_LINES_Y}])
| extend
    (Slope, Interception, RSquare, Variance, RVariance, LineFit)=series_fit_line(y),
    (RSquare2, SplitIdx, Variance2, RVariance2, LineFit2)=series_fit_2lines(y)
| project id, x, y, LineFit, LineFit2, SplitIdx, RSquare2, Variance2
| render timechart`);
    expect(names(r)).toEqual([
      "id",
      "x",
      "y",
      "LineFit",
      "LineFit2",
      "SplitIdx",
      "RSquare2",
      "Variance2",
    ]);
    const [, , , lineFit, lineFit2, split, rsq, variance] = r.rows[0];
    expect(split).toBe(5);
    close(variance, 13.894, 1e-9);
    close(rsq, 0.9865131917168768, 1e-9);
    close((lineFit as number[]).length, 11);
    close(
      lineFit2 as Json[],
      [
        0.98, 2.03, 3.08, 4.13, 5.18, 11.942857142857143, 10.905714285714286, 9.868571428571428,
        8.831428571428571, 7.794285714285714, 6.757142857142857,
      ],
    );
  });

  test("all fifteen columns in Kusto.Language's order", () => {
    const r = q(`print x=dynamic([${TWO_LINES_Y}]) | project series_fit_2lines(x)`);
    expect(names(r).map((n) => n.replace("series_fit_2lines_x_", ""))).toEqual([
      "rsquare",
      "split_idx",
      "variance",
      "rvariance",
      "line_fit",
      "right_rsquare",
      "right_slope",
      "right_interception",
      "right_variance",
      "right_rvariance",
      "left_rsquare",
      "left_slope",
      "left_interception",
      "left_variance",
      "left_rvariance",
    ]);
    const row = r.rows[0];
    close(row[3], 0.18738571428571443, 1e-9);
    close(row.slice(5, 8) as Json[], Object.values(RIGHT), 1e-9);
    close(row[8], 3.995, 1e-9);
    close(row.slice(10, 13) as Json[], Object.values(LEFT), 1e-9);
    close(row[13], 2.937, 1e-9);
  });

  test("documented dynamic example", () => {
    const r = q(`print
    id=' ',
    x=range(bin(now(), 1h) - 11h, bin(now(), 1h), 1h),
    y=dynamic([${TWO_LINES_Y}])
| extend
    LineFit=series_fit_line_dynamic(y).line_fit,
    LineFit2=series_fit_2lines_dynamic(y).line_fit
| project id, x, y, LineFit, LineFit2
| render timechart`);
    const single = call("series_fit_line", [dyn(TWO_LINES_Y)]) as Json[];
    close(r.rows[0][3] as Json[], single[5]);
    const two = call("series_fit_2lines", [dyn(TWO_LINES_Y)]) as Json[];
    close(r.rows[0][4] as Json[], two[4]);
    const d = call("series_fit_2lines_dynamic", [dyn(TWO_LINES_Y)]) as {
      [k: string]: { [k: string]: Json };
    };
    expect(d.split_idx).toBe(5);
    close(d.left.slope, LEFT.slope, 1e-9);
    close(d.right.interception, RIGHT.interception, 1e-9);
  });

  test("a clean broken line is fitted exactly", () => {
    const out = call("series_fit_2lines", [dyn([1, 2, 3, 4, 20, 18, 16, 14])]) as Json[];
    expect(out[1]).toBe(4);
    close(out[0], 1, 1e-12);
    close(out[4] as Json[], [1, 2, 3, 4, 20, 18, 16, 14], 1e-9);
  });

  test("too short series and non-arrays give nulls", () => {
    const short = call("series_fit_2lines", [dyn([1, 2, 3])]) as Json[];
    expect(short[0]).toBeNull();
    expect(short[1]).toBeNull();
    expect(short[4]).toEqual([null, null, null]);
    expect(call("series_fit_2lines", [null])).toEqual(Array(15).fill(null));
    expect(call("series_fit_2lines_dynamic", [null])).toBeNull();
  });
});

describe("series_fir", () => {
  const VAL = [0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 20, 40, 100, 40, 20, 10, 0, 0, 0, 0, 0, 0, 0, 0];

  test("documented five-point moving average, trailing and centred", () => {
    const r = q(`range t from bin(now(), 1h) - 23h to bin(now(), 1h) step 1h
| summarize t=make_list(t)
| project
    id='TS',
    val=dynamic([${VAL}]),
    t
| extend
    5h_MovingAvg=series_fir(val, dynamic([1, 1, 1, 1, 1])),
    5h_MovingAvg_centered=series_fir(val, dynamic([1, 1, 1, 1, 1]), true, true)
| render timechart`);
    const [trailing, centred] = r.rows[0].slice(3) as number[][];
    const expected = [
      0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 6, 14, 34, 42, 44, 42, 34, 14, 6, 2, 0, 0, 0, 0,
    ];
    close(trailing, expected);
    // The spike's peak is delayed by (5 − 1)/2 = 2 points, and centring puts it back.
    expect(trailing.indexOf(44)).toBe(14);
    close(centred, [...expected.slice(2), 0, 0]);
    expect(centred.indexOf(44)).toBe(12);
  });

  test("documented difference filter [1, -1]", () => {
    const r = q(`range t from bin(now(), 1h) - 11h to bin(now(), 1h) step 1h
| summarize t=make_list(t)
| project id='TS', t, value=dynamic([0, 0, 0, 0, 2, 2, 2, 2, 3, 3, 3, 3])
| extend diff=series_fir(value, dynamic([1, -1]), false, false)
| render timechart`);
    expect(r.rows[0][3]).toEqual([0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0]);
  });

  test("normalisation defaults: on for non-negative filters, off with a negative one", () => {
    close(call("series_fir", [dyn([4, 8, 12]), dyn([1, 1])]) as Json[], [2, 6, 10]);
    close(call("series_fir", [dyn([4, 8, 12]), dyn([1, 1]), false]) as Json[], [4, 12, 20]);
    close(call("series_fir", [dyn([4, 8, 12]), dyn([1, -1])]) as Json[], [4, 4, 4]);
    expect(call("series_fir", [dyn([4, 8, 12]), dyn([1, -1]), true])).toBeNull();
  });

  test("nulls, empty filters and non-numeric elements", () => {
    expect(call("series_fir", [null, dyn([1])])).toBeNull();
    expect(call("series_fir", [dyn([1, 2]), dyn([])])).toBeNull();
    expect(call("series_fir", [dyn([1, 2]), dyn([1, "a"])])).toBeNull();
    close(call("series_fir", [dyn([2, null, 4]), dyn([1, 1]), false]) as Json[], [2, 2, 4]);
  });
});

describe("series_fft and series_ifft", () => {
  const sine = (x: number, period: number) => Math.sin(((2 * Math.PI) / period) * x);
  const N = 128;
  const yr = Array.from({ length: N }, (_, x) => sine(x, 8));
  const yi = Array.from({ length: N }, (_, x) => sine(x, 32));

  test("documented example: the spectrum of two sines", () => {
    const r = q(`let sinewave=(x:double, period:double, gain:double=1.0, phase:double=0.0)
{
    gain*sin(2*pi()/period*(x+phase))
}
;
let n=128;      //  signal length
range x from 0 to n-1 step 1 | extend yr=sinewave(x, 8), yi=sinewave(x, 32)
| summarize x=make_list(x), y_real=make_list(yr), y_imag=make_list(yi)
| extend (fft_y_real, fft_y_imag) = series_fft(y_real, y_imag)
| render linechart with(ysplit=panels)`);
    expect(names(r)).toEqual(["x", "y_real", "y_imag", "fft_y_real", "fft_y_imag"]);
    const [re, im] = r.rows[0].slice(3) as number[][];
    // The page shows only a chart. The DFT of sin(2πk₀n/N) is ∓iN/2 at k₀ and N − k₀, so the
    // real part (period 8: k₀ = 16) lands in the imaginary spectrum and i·sin (period 32:
    // k₀ = 4) in the real one.
    const expectRe = Array<number>(N).fill(0);
    expectRe[4] = 64;
    expectRe[124] = -64;
    const expectIm = Array<number>(N).fill(0);
    expectIm[16] = -64;
    expectIm[112] = 64;
    close(re, expectRe, 1e-9);
    close(im, expectIm, 1e-9);
  });

  test("documented example: ifft restores the series", () => {
    const r = q(`let sinewave=(x:double, period:double, gain:double=1.0, phase:double=0.0)
{
    gain*sin(2*pi()/period*(x+phase))
}
;
let n=128;      //  signal length
range x from 0 to n-1 step 1 | extend yr=sinewave(x, 8), yi=sinewave(x, 32)
| summarize x=make_list(x), y_real=make_list(yr), y_imag=make_list(yi)
| extend (fft_y_real, fft_y_imag) = series_fft(y_real, y_imag)
| extend (y_real2, y_image2) = series_ifft(fft_y_real, fft_y_imag)
| project-away fft_y_real, fft_y_imag   //  too many series for linechart with panels
| render linechart with(ysplit=panels)`);
    expect(names(r)).toEqual(["x", "y_real", "y_imag", "y_real2", "y_image2"]);
    close(r.rows[0][3] as Json[], yr, 1e-12);
    close(r.rows[0][4] as Json[], yi, 1e-12);
  });

  test("any length, matching numpy.fft (Bluestein for non-powers of two)", () => {
    const [re, im] = call("series_fft", [dyn([1, 2, 3, 4, 5])]) as number[][];
    close(re, [15, -2.5, -2.5, -2.5, -2.5], 1e-12);
    close(
      im,
      [0, 3.4409548011779334, 0.8122992405822659, -0.8122992405822659, -3.4409548011779334],
      1e-12,
    );
    const [r2, i2] = call("series_ifft", [
      dyn([1, 2, 3, 4, 5]),
      dyn([0, 1, 0, -2, 0]),
    ]) as number[][];
    close(r2, [3, -0.9253254, -0.23713444, -0.76286556, -0.0746746], 1e-7);
    close(i2, [-0.2, -0.30278076, -0.44787004, -0.12295035, 1.07360116], 1e-7);
    const long = Array.from({ length: 1000 }, (_, k) => Math.cos(k) + k / 100);
    const [fr, fi] = call("series_fft", [dyn(long)]) as number[][];
    const [br, bi] = call("series_ifft", [dyn(fr), dyn(fi)]) as number[][];
    close(br, long, 1e-9);
    close(bi, Array(1000).fill(0), 1e-9);
  });

  test("column names, empty arrays and nulls", () => {
    const r = q("print x=dynamic([1, 0]) | project series_fft(x)");
    expect(names(r)).toEqual(["series_fft_x_real", "series_fft_x_imag"]);
    expect(r.rows).toEqual([
      [
        [1, 1],
        [0, 0],
      ],
    ]);
    expect(call("series_fft", [dyn([])])).toEqual([[], []]);
    expect(call("series_fft", [null])).toEqual([null, null]);
    expect(call("series_ifft", [null])).toEqual([null, null]);
    close(call("series_fft", [dyn([1, null, "a", 1])]) as Json[], [
      [2, 1, 0, 1],
      [0, 1, 0, -1],
    ]);
  });
});

describe("series_product", () => {
  test("documented example", () => {
    const r = q("print arr=dynamic([1,2,3,4]) | extend series_product=series_product(arr)");
    expect(r.rows).toEqual([[[1, 2, 3, 4], 24]]);
  });
  test("non-numeric elements are skipped; empty is 1; non-arrays are null", () => {
    expect(call("series_product", [dyn([2, null, "x", 3.5])])).toBe(7);
    expect(call("series_product", [dyn([])])).toBe(1);
    expect(call("series_product", [null])).toBeNull();
  });
});

describe("beta_pdf and beta_inv", () => {
  test("beta_pdf documented example", () => {
    const r = q(`datatable(x:double, alpha:double, beta:double, comment:string)
[
    0.5, 10.0, 20.0, "Valid input",
    1.5, 10.0, 20.0, "x > 1, yields NaN",
    double(-10), 10.0, 20.0, "x < 0, yields NaN",
    0.1, double(-1.0), 20.0, "alpha is < 0, yields NaN"
]
| extend r = beta_pdf(x, alpha, beta)`);
    const rs = r.rows.map((row) => row[4]);
    close(rs[0], 0.746176019310951, 1e-12);
    expect(rs.slice(1)).toEqual(["NaN", "NaN", "NaN"]); // run() prints NaN as "NaN"
  });

  test("beta_pdf against closed forms; null for non-numeric arguments", () => {
    close(call("beta_pdf", [real(0.3), long(2), long(3)]), 12 * 0.3 * 0.7 * 0.7, 1e-12);
    close(call("beta_pdf", [real(0.25), long(1), long(1)]), 1, 1e-12);
    expect(call("beta_pdf", [real(0), long(2), long(3)])).toBeNaN();
    expect(call("beta_pdf", [real(0.5), long(2), long(0)])).toBeNaN();
    expect(call("beta_pdf", [null, long(2), long(3)])).toBeNull();
    expect(call("beta_pdf", [real(0.5), dyn([1]), long(3)])).toBeNull();
  });

  test("beta_inv documented example", () => {
    const r = q(`datatable(p:double, alpha:double, beta:double, comment:string)
[
    0.1, 10.0, 20.0, "Valid input",
    1.5, 10.0, 20.0, "p > 1, yields null",
    0.1, double(-1.0), 20.0, "alpha is < 0, yields NaN"
]
| extend b = beta_inv(p, alpha, beta)`);
    const bs = r.rows.map((row) => row[4]);
    close(bs[0], 0.226415022388749, 1e-12);
    // The page's notes say the opposite of its example output (null for alpha ≤ 0, NaN for a
    // bad probability); the engine follows the example, which Kusto produced.
    expect(bs[1]).toBeNull();
    expect(bs[2]).toBe("NaN");
  });

  test("beta_inv inverts beta_cdf", () => {
    for (const [p, a, b] of [
      [0.5, 2, 3],
      [0.01, 0.5, 0.5],
      [0.999, 30, 2],
      [1, 2, 2],
    ]) {
      const x = call("beta_inv", [real(p), real(a), real(b)]) as number;
      close(call("beta_cdf", [real(x), real(a), real(b)]), p, 1e-12);
    }
    expect(call("beta_inv", [real(0), long(2), long(2)])).toBeNull();
    expect(call("beta_inv", [real(0.5), long(2), null])).toBeNull();
  });
});

describe("welch_test", () => {
  test("documented example (p ≈ 0.021; scipy's ttest_ind gives 0.021378001462867)", () => {
    const r = q(`// s1, s2 values are from https://en.wikipedia.org/wiki/Welch%27s_t-test
print
    s1 = dynamic([27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]),
    s2 = dynamic([27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4])
| mv-expand s1 to typeof(double), s2 to typeof(double)
| summarize m1=avg(s1), v1=variance(s1), c1=count(), m2=avg(s2), v2=variance(s2), c2=count()
| extend pValue=welch_test(m1,v1,c1,m2,v2,c2)
// pValue = 0.021`);
    const p = r.rows[0][6] as number;
    close(p, 0.021, 5e-4);
    close(p, 0.021378001462866992, 1e-12);
  });

  test("symmetric, unequal sizes, and nulls", () => {
    const args = [3, 2, 7, 5, 9, 4].map((x) => real(x));
    // scipy.stats.ttest_ind_from_stats(3, √2, 7, 5, 3, 4, equal_var=False) with variances.
    close(call("welch_test", args), 0.28115398080991333, 1e-9);
    close(call("welch_test", [...args.slice(3), ...args.slice(0, 3)]), 0.28115398080991333, 1e-9);
    close(
      call(
        "welch_test",
        [1, 2, 10, 1, 3, 20].map((x) => real(x)),
      ),
      1,
      1e-12,
    );
    expect(call("welch_test", [null, 2, 7, 5, 9, 4])).toBeNull();
  });
});

describe("series_fit_poly", () => {
  test("degree 1 gives series_fit_line's fit (documented example 2's check)", () => {
    const r = q(`print y = dynamic([2, 4, 5, 4, 5])
| extend series_fit_poly(y), series_fit_line(y)`);
    const row = Object.fromEntries(r.columns.map((c, i) => [c.name, r.rows[0][i]]));
    close(row.series_fit_poly_y_rsquare, row.series_fit_line_y_rsquare as number, 1e-12);
    close(row.series_fit_poly_y_coefficients, [0.6, 2.2], 1e-12);
    close(row.series_fit_poly_y_variance, row.series_fit_line_y_variance as number, 1e-12);
    close(row.series_fit_poly_y_rvariance, row.series_fit_line_y_rvariance as number, 1e-12);
    close(row.series_fit_poly_y_poly_fit, row.series_fit_line_y_line_fit as number[], 1e-12);
  });

  test("fits a polynomial of the given degree over x, highest power first, typed per column", () => {
    // y = 2x³ − x + 5 sampled at uneven x: a cubic fit is exact.
    const xs = [0.1, 0.5, 0.7, 1.3, 2, 2.2, 3.1];
    const ys = xs.map((x) => 2 * x ** 3 - x + 5);
    const r = q(
      `print (rs, coeff, v, rv, fit) = series_fit_poly(dynamic(${JSON.stringify(ys)}), dynamic(${JSON.stringify(xs)}), 3)`,
    );
    expect(r.columns.map((c) => c.type)).toEqual(["real", "dynamic", "real", "real", "dynamic"]);
    const [rs, coeff, , rv, fit] = r.rows[0];
    close(rs, 1, 1e-12);
    close(coeff, [2, 0, -1, 5], 1e-9);
    close(rv, 0, 1e-12);
    close(fit, ys, 1e-9);
  });

  test("too few points for the degree, or a bad degree, give nulls", () => {
    expect(call("series_fit_poly", [dyn([1, 2]), dyn([1, 2]), long(2)])).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(call("series_fit_poly", [dyn([1, 2, 3]), dyn(null), long(0)])).toEqual(
      Array(5).fill(null),
    );
  });
});
