// Whole-series statistics and transforms: series_stats(_dynamic), linear and two-segment
// regression (series_fit_line(_dynamic), series_fit_2lines(_dynamic)), FIR filtering
// (series_fir), the discrete Fourier transform (series_fft, series_ifft) and series_product;
// plus the beta distribution's density and inverse (beta_pdf, beta_inv) and Welch's t-test
// (welch_test), which build on beta_cdf's incomplete beta function in math.ts.
//
// Functions with several results (series_stats, series_fit_line, series_fit_2lines, series_fft,
// series_ifft) return one JS array in Kusto.Language's column order; the evaluator spreads it
// into columns. Their `_dynamic` twins return the same results as one property bag.

import type { Json, Value } from "../values";
import { betaCdf } from "./math";
import { toNumber } from "./coerce";
import { defineScalar } from "./registry";
import { comoments } from "./series";

/** An element of a series as a number; null for elements that are not numeric. */
function elementNumber(x: Json): number | null {
  return typeof x === "number" ? x : typeof x === "string" ? toNumber(x) : null;
}

/** A scalar numeric argument; null when absent, null or not numeric. */
function scalarNumber(v: Value | undefined): number | null {
  return v === undefined ? null : toNumber(v);
}

/** A bool argument; `fallback` when absent or null. */
function boolArg(v: Value | undefined, fallback: boolean): boolean {
  return v === undefined || v === null ? fallback : v === true;
}

/** Σ (x − mean)² / (n − 1), with 0 for a single value as Kusto's variance() gives. */
function sampleVariance(sumSquares: number, n: number): number {
  return n > 1 ? sumSquares / (n - 1) : 0;
}

// --- series_stats -----------------------------------------------------------------------------

interface SeriesStats {
  min: number | null;
  min_idx: number | null;
  max: number | null;
  max_idx: number | null;
  avg: number | null;
  stdev: number | null;
  variance: number | null;
  sum: number | null;
  len: number;
}

/**
 * Statistics of a series. A non-finite element (null, NaN, ±inf, or anything not numeric)
 * makes every statistic null unless `ignoreNonFinite`, which leaves such elements out; the
 * indexes stay positions in the whole array and `len` counts the values used.
 */
function seriesStats(v: Json[], ignoreNonFinite: boolean): SeriesStats {
  const used: [number, number][] = [];
  let nonFinite = false;
  v.forEach((e, i) => {
    const x = elementNumber(e);
    if (x === null || !Number.isFinite(x)) nonFinite = true;
    else used.push([x, i]);
  });
  const n = used.length;
  const none: SeriesStats = {
    min: null,
    min_idx: null,
    max: null,
    max_idx: null,
    avg: null,
    stdev: null,
    variance: null,
    sum: null,
    len: ignoreNonFinite ? n : v.length,
  };
  if (nonFinite && !ignoreNonFinite) return none;
  if (n === 0) return { ...none, sum: 0 };
  let [min, minIdx] = used[0];
  let [max, maxIdx] = used[0];
  let sum = 0;
  for (const [x, i] of used) {
    if (x < min) [min, minIdx] = [x, i];
    if (x > max) [max, maxIdx] = [x, i];
    sum += x;
  }
  const avg = sum / n;
  const variance = sampleVariance(
    used.reduce((acc, [x]) => acc + (x - avg) ** 2, 0),
    n,
  );
  return {
    min,
    min_idx: minIdx,
    max,
    max_idx: maxIdx,
    avg,
    stdev: Math.sqrt(variance),
    variance,
    sum,
    len: n,
  };
}

defineScalar({
  name: "series_stats",
  minArgs: 1,
  maxArgs: 2,
  impl: ([v, ignore]) => {
    if (!Array.isArray(v)) return Array<Json>(7).fill(null);
    const s = seriesStats(v, boolArg(ignore, false));
    return [s.min, s.min_idx, s.max, s.max_idx, s.avg, s.stdev, s.variance];
  },
});

defineScalar({
  name: "series_stats_dynamic",
  minArgs: 1,
  maxArgs: 2,
  impl: ([v, ignore]) => {
    if (!Array.isArray(v)) return null;
    return bag({ ...seriesStats(v, boolArg(ignore, false)) });
  },
});

/** A dynamic property bag (null prototype, as values.ts requires). */
function bag(entries: Record<string, Json>): { [key: string]: Json } {
  return Object.assign(Object.create(null) as { [key: string]: Json }, entries);
}

// --- series_fit_line --------------------------------------------------------------------------

interface LineFit {
  rsquare: number | null;
  slope: number | null;
  variance: number | null;
  rvariance: number | null;
  interception: number | null;
  line_fit: Json[];
}

/**
 * Least-squares line through (i + 1, y[i]): Kusto numbers the points from 1, so `interception`
 * is the line's value one step before the first point (the documented example shows it).
 * `variance` and `rvariance` divide the total and residual sums of squares by n − 1, and
 * rsquare = 1 − residual/total (1 for a series the line fits exactly, constant ones included).
 * Non-numeric elements are left out of the fit but keep their positions.
 */
function fitLine(v: Json[]): LineFit {
  const pts: [number, number][] = [];
  v.forEach((e, i) => {
    const y = elementNumber(e);
    if (y !== null && Number.isFinite(y)) pts.push([i + 1, y]);
  });
  const n = pts.length;
  if (n === 0) {
    return {
      rsquare: null,
      slope: null,
      variance: null,
      rvariance: null,
      interception: null,
      line_fit: v.map(() => null),
    };
  }
  const { mx, my, sxx, syy, sxy } = comoments(pts);
  const slope = sxx > 0 ? sxy / sxx : 0;
  const interception = my - slope * mx;
  const sse = pts.reduce((s, [x, y]) => s + (y - (interception + slope * x)) ** 2, 0);
  return {
    rsquare: rSquare(sse, syy),
    slope,
    variance: sampleVariance(syy, n),
    rvariance: sampleVariance(sse, n),
    interception,
    line_fit: v.map((_, i) => interception + slope * (i + 1)),
  };
}

function rSquare(residual: number, total: number): number {
  if (total > 0) return 1 - residual / total;
  return residual === 0 ? 1 : 0;
}

const lineFitColumns = (f: LineFit): Json[] => [
  f.rsquare,
  f.slope,
  f.variance,
  f.rvariance,
  f.interception,
  f.line_fit,
];

defineScalar({
  name: "series_fit_line",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => (Array.isArray(v) ? lineFitColumns(fitLine(v)) : Array<Json>(6).fill(null)),
});

defineScalar({
  name: "series_fit_line_dynamic",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => (Array.isArray(v) ? bag({ ...fitLine(v) }) : null),
});

// --- series_fit_poly --------------------------------------------------------------------------

/** Least-squares solution of A·c = b (A is m × k, m ≥ k) by Householder QR; null if singular. */
function leastSquares(a: number[][], b: number[]): number[] | null {
  const m = a.length;
  const k = a[0]?.length ?? 0;
  const r = a.map((row) => row.slice());
  const y = b.slice();
  for (let j = 0; j < k; j++) {
    let norm = 0;
    for (let i = j; i < m; i++) norm += r[i][j] ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) return null;
    const alpha = r[j][j] > 0 ? -norm : norm;
    const v = new Array<number>(m).fill(0);
    v[j] = r[j][j] - alpha;
    for (let i = j + 1; i < m; i++) v[i] = r[i][j];
    const vv = v.reduce((sum, x) => sum + x * x, 0);
    if (vv === 0) continue;
    for (let c = j; c < k; c++) {
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i] * r[i][c];
      const f = (2 * dot) / vv;
      for (let i = j; i < m; i++) r[i][c] -= f * v[i];
    }
    let dot = 0;
    for (let i = j; i < m; i++) dot += v[i] * y[i];
    const f = (2 * dot) / vv;
    for (let i = j; i < m; i++) y[i] -= f * v[i];
  }
  const c = new Array<number>(k).fill(0);
  for (let j = k - 1; j >= 0; j--) {
    let sum = y[j];
    for (let t = j + 1; t < k; t++) sum -= r[j][t] * c[t];
    if (Math.abs(r[j][j]) < 1e-300) return null;
    c[j] = sum / r[j][j];
  }
  return c;
}

/**
 * Polynomial regression of y on x (default 1, 2, …, n, as series_fit_line numbers points) of the
 * given degree. With degree 1 it gives series_fit_line's fit, as the documentation says it
 * must: same rsquare and (n − 1)-denominator variances. Coefficients run from the highest power
 * down. Pairs with a non-numeric x or y are left out of the fit.
 */
function fitPoly(ys: Json[], xs: Json[] | null, degree: number): Json[] {
  const xAt = (i: number) => (xs ? elementNumber(xs[i] ?? null) : i + 1);
  const pts: [number, number][] = [];
  ys.forEach((e, i) => {
    const y = elementNumber(e);
    const x = xAt(i);
    if (y !== null && x !== null && Number.isFinite(y) && Number.isFinite(x)) pts.push([x, y]);
  });
  const n = pts.length;
  if (!Number.isInteger(degree) || degree < 1 || n < degree + 1) return Array<Json>(5).fill(null);
  const powers = (x: number) => Array.from({ length: degree + 1 }, (_, p) => x ** (degree - p));
  const coefficients = leastSquares(
    pts.map(([x]) => powers(x)),
    pts.map(([, y]) => y),
  );
  if (!coefficients) return Array<Json>(5).fill(null);
  const at = (x: number) => powers(x).reduce((sum, xp, p) => sum + xp * coefficients[p], 0);
  const my = pts.reduce((sum, [, y]) => sum + y, 0) / n;
  const total = pts.reduce((sum, [, y]) => sum + (y - my) ** 2, 0);
  const residual = pts.reduce((sum, [x, y]) => sum + (y - at(x)) ** 2, 0);
  return [
    rSquare(residual, total),
    coefficients,
    sampleVariance(total, n),
    sampleVariance(residual, n),
    ys.map((_, i) => {
      const x = xAt(i);
      return x === null ? null : at(x);
    }),
  ];
}

defineScalar({
  name: "series_fit_poly",
  minArgs: 1,
  maxArgs: 3,
  impl: ([y, x, degree]) => {
    if (!Array.isArray(y)) return Array<Json>(5).fill(null);
    const xs = Array.isArray(x) ? (x as Json[]) : null;
    const d = degree === undefined || degree === null ? 1 : toNumber(degree);
    return fitPoly(y as Json[], xs, d ?? NaN);
  },
});

// --- series_fit_2lines ------------------------------------------------------------------------

interface TwoLinesFit {
  rsquare: number | null;
  split_idx: number | null;
  variance: number | null;
  rvariance: number | null;
  line_fit: Json[];
  right: LineFit | null;
  left: LineFit | null;
}

/**
 * Two-segment regression: for every split index s (the right segment's first element; each
 * segment keeps at least two elements so a line is determined), series_fit_line is applied to
 * y[0..s) and y[s..n) as series of their own, as the documentation describes, and the split
 * with the highest total r-square, 1 − (SSE_left + SSE_right) / SST, wins (the first on ties).
 * Series with fewer than four numeric elements have no split: every result is null.
 */
function fitTwoLines(v: Json[]): TwoLinesFit {
  const whole = fitLine(v);
  const ys = v.map(elementNumber);
  const numeric = ys.filter((y) => y !== null && Number.isFinite(y)).length;
  const none: TwoLinesFit = {
    rsquare: null,
    split_idx: null,
    variance: whole.variance,
    rvariance: null,
    line_fit: v.map(() => null),
    right: null,
    left: null,
  };
  if (numeric < 4) return none;
  const total = (whole.variance ?? 0) * (numeric - 1);
  const sse = (f: LineFit, part: Json[]): number => {
    let acc = 0;
    part.forEach((e, i) => {
      const y = elementNumber(e);
      const fit = f.line_fit[i];
      if (y !== null && Number.isFinite(y) && typeof fit === "number") acc += (y - fit) ** 2;
    });
    return acc;
  };
  const countNumeric = (part: Json[]) =>
    part.filter((e) => {
      const y = elementNumber(e);
      return y !== null && Number.isFinite(y);
    }).length;
  let best: { s: number; residual: number; left: LineFit; right: LineFit } | null = null;
  for (let s = 1; s < v.length; s++) {
    const leftPart = v.slice(0, s);
    const rightPart = v.slice(s);
    if (countNumeric(leftPart) < 2 || countNumeric(rightPart) < 2) continue;
    const left = fitLine(leftPart);
    const right = fitLine(rightPart);
    const residual = sse(left, leftPart) + sse(right, rightPart);
    if (best === null || residual < best.residual) best = { s, residual, left, right };
  }
  if (best === null) return none;
  return {
    rsquare: rSquare(best.residual, total),
    split_idx: best.s,
    variance: whole.variance,
    rvariance: sampleVariance(best.residual, numeric),
    line_fit: [...best.left.line_fit, ...best.right.line_fit],
    right: best.right,
    left: best.left,
  };
}

const segmentColumns = (f: LineFit | null): Json[] =>
  f ? [f.rsquare, f.slope, f.interception, f.variance, f.rvariance] : Array<Json>(5).fill(null);

const segmentBag = (f: LineFit | null): Json =>
  bag({
    rsquare: f?.rsquare ?? null,
    slope: f?.slope ?? null,
    interception: f?.interception ?? null,
    variance: f?.variance ?? null,
    rvariance: f?.rvariance ?? null,
  });

defineScalar({
  name: "series_fit_2lines",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => {
    if (!Array.isArray(v)) return Array<Json>(15).fill(null);
    const f = fitTwoLines(v);
    return [
      f.rsquare,
      f.split_idx,
      f.variance,
      f.rvariance,
      f.line_fit,
      ...segmentColumns(f.right),
      ...segmentColumns(f.left),
    ];
  },
});

defineScalar({
  name: "series_fit_2lines_dynamic",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => {
    if (!Array.isArray(v)) return null;
    const f = fitTwoLines(v);
    return bag({
      rsquare: f.rsquare,
      split_idx: f.split_idx,
      variance: f.variance,
      rvariance: f.rvariance,
      line_fit: f.line_fit,
      right: segmentBag(f.right),
      left: segmentBag(f.left),
    });
  },
});

// --- series_fir -------------------------------------------------------------------------------

/**
 * y[i] = Σ_k filter[k]·x[i − k], with elements before the start (and, when centred, after the
 * end) taken as 0. Normalising divides by Σ filter; it is the default unless a coefficient is
 * negative, and asking for it with a negative coefficient gives null. Centring shifts the output
 * back by the filter's group delay, ⌊(k − 1)/2⌋ elements. Non-numeric series elements count as
 * 0, as in series_iir.
 */
function fir(x: number[], filter: number[], normalize: boolean, center: boolean): number[] {
  const norm = normalize ? filter.reduce((a, b) => a + b, 0) : 1;
  const shift = center ? Math.floor((filter.length - 1) / 2) : 0;
  return x.map((_, i) => {
    const at = i + shift;
    let acc = 0;
    for (let k = 0; k < filter.length; k++) {
      const j = at - k;
      if (j >= 0 && j < x.length) acc += filter[k] * x[j];
    }
    return acc / norm;
  });
}

defineScalar({
  name: "series_fir",
  minArgs: 2,
  maxArgs: 4,
  impl: ([v, f, normalizeArg, centerArg]) => {
    if (!Array.isArray(v) || !Array.isArray(f) || f.length === 0) return null;
    const filter = f.map(elementNumber);
    if (filter.some((c) => c === null || !Number.isFinite(c))) return null;
    const coefficients = filter as number[];
    const negative = coefficients.some((c) => c < 0);
    const normalize = boolArg(normalizeArg, !negative);
    if (normalize && negative) return null;
    if (normalize && coefficients.every((c) => c === 0)) return null;
    const x = v.map((e) => {
      const n = elementNumber(e);
      return n === null ? 0 : n;
    });
    return fir(x, coefficients, normalize, boolArg(centerArg, false));
  },
});

// --- series_fft / series_ifft -----------------------------------------------------------------

/** In-place iterative radix-2 transform; `re.length` must be a power of two. */
function radix2(re: number[], im: number[], inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (sign * 2 * Math.PI) / len;
    for (let start = 0; start < n; start += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = start + k;
        const b = a + len / 2;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/**
 * The unnormalised discrete Fourier transform of any length: radix-2 for powers of two,
 * Bluestein's chirp-z otherwise (the exact DFT, not a zero-padded one).
 */
function dft(re: number[], im: number[], inverse: boolean): [number[], number[]] {
  const n = re.length;
  if (n === 0) return [[], []];
  if ((n & (n - 1)) === 0) {
    const r = re.slice();
    const i = im.slice();
    radix2(r, i, inverse);
    return [r, i];
  }
  const sign = inverse ? 1 : -1;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  // chirp w[k] = exp(sign·iπk²/n); k² mod 2n keeps the angle exact for long series.
  const wr = new Array<number>(n);
  const wi = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const angle = (sign * Math.PI * ((k * k) % (2 * n))) / n;
    wr[k] = Math.cos(angle);
    wi[k] = Math.sin(angle);
  }
  const ar = new Array<number>(m).fill(0);
  const ai = new Array<number>(m).fill(0);
  for (let k = 0; k < n; k++) {
    ar[k] = re[k] * wr[k] - im[k] * wi[k];
    ai[k] = re[k] * wi[k] + im[k] * wr[k];
  }
  const br = new Array<number>(m).fill(0);
  const bi = new Array<number>(m).fill(0);
  br[0] = wr[0];
  bi[0] = -wi[0];
  for (let k = 1; k < n; k++) {
    br[k] = br[m - k] = wr[k];
    bi[k] = bi[m - k] = -wi[k];
  }
  radix2(ar, ai, false);
  radix2(br, bi, false);
  for (let k = 0; k < m; k++) {
    const r = ar[k] * br[k] - ai[k] * bi[k];
    ai[k] = ar[k] * bi[k] + ai[k] * br[k];
    ar[k] = r;
  }
  radix2(ar, ai, true);
  const outR = new Array<number>(n);
  const outI = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const cr = ar[k] / m;
    const ci = ai[k] / m;
    outR[k] = cr * wr[k] - ci * wi[k];
    outI[k] = cr * wi[k] + ci * wr[k];
  }
  return [outR, outI];
}

/**
 * The complex series of (real, imaginary) arrays. Non-numeric elements count as 0, as in
 * series_iir; an absent imaginary part is all zeros and a shorter one is padded with zeros.
 */
function complexSeries(real: Value, imag: Value | undefined): [number[], number[]] | null {
  if (!Array.isArray(real)) return null;
  if (imag !== undefined && imag !== null && !Array.isArray(imag)) return null;
  const asNumber = (e: Json | undefined) => {
    const x = e === undefined ? null : elementNumber(e);
    return x === null ? 0 : x;
  };
  const re = real.map(asNumber);
  const im = re.map((_, k) => asNumber(Array.isArray(imag) ? imag[k] : undefined));
  return [re, im];
}

defineScalar({
  name: "series_fft",
  minArgs: 1,
  maxArgs: 2,
  impl: ([real, imag]) => {
    const x = complexSeries(real, imag);
    return x ? dft(x[0], x[1], false) : [null, null];
  },
});

defineScalar({
  name: "series_ifft",
  minArgs: 1,
  maxArgs: 2,
  impl: ([real, imag]) => {
    const x = complexSeries(real, imag);
    if (!x) return [null, null];
    const n = x[0].length;
    const [re, im] = dft(x[0], x[1], true);
    return [re.map((r) => r / n), im.map((i) => i / n)];
  },
});

// --- series_product ---------------------------------------------------------------------------

defineScalar({
  name: "series_product",
  minArgs: 1,
  maxArgs: 1,
  // Like series_sum, non-numeric elements are skipped; the empty product is 1.
  impl: ([v]) => {
    if (!Array.isArray(v)) return null;
    let product = 1;
    for (const e of v) if (typeof e === "number") product *= e;
    return product;
  },
});

// --- beta distribution ------------------------------------------------------------------------

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The beta density; NaN outside 0 < x < 1 or for non-positive shapes, as documented. */
export function betaPdf(x: number, a: number, b: number): number {
  if (!(x > 0 && x < 1) || !(a > 0) || !(b > 0)) return NaN;
  return Math.exp(
    (a - 1) * Math.log(x) +
      (b - 1) * Math.log1p(-x) -
      (logGamma(a) + logGamma(b) - logGamma(a + b)),
  );
}

/** The x with betaCdf(x, a, b) = p, by bisection (the CDF is monotone, so it always converges). */
export function betaInv(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 0; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    if (betaCdf(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

defineScalar({
  name: "beta_pdf",
  minArgs: 3,
  maxArgs: 3,
  impl: ([x, a, b]) => {
    const [p, q, r] = [scalarNumber(x), scalarNumber(a), scalarNumber(b)];
    return p === null || q === null || r === null ? null : betaPdf(p, q, r);
  },
});

defineScalar({
  name: "beta_inv",
  minArgs: 3,
  maxArgs: 3,
  impl: ([prob, a, b]) => {
    const [p, q, r] = [scalarNumber(prob), scalarNumber(a), scalarNumber(b)];
    if (p === null || q === null || r === null) return null;
    // The page's notes say the opposite (null for bad shapes, NaN for a bad probability), but
    // its example output, which Kusto produced, gives null for p > 1 and NaN for alpha < 0.
    if (!(p > 0 && p <= 1)) return null;
    if (!(q > 0) || !(r > 0)) return NaN;
    return betaInv(p, q, r);
  },
});

// --- welch_test -------------------------------------------------------------------------------

/**
 * The two-sided p-value of Welch's t-test: t = (m1 − m2) / √(v1/c1 + v2/c2) with the
 * Welch–Satterthwaite degrees of freedom ν, and p = 2·P(T_ν > |t|) = I_{ν/(ν+t²)}(ν/2, 1/2).
 */
export function welchTest(
  m1: number,
  v1: number,
  c1: number,
  m2: number,
  v2: number,
  c2: number,
): number {
  const s1 = v1 / c1;
  const s2 = v2 / c2;
  const t = (m1 - m2) / Math.sqrt(s1 + s2);
  const df = (s1 + s2) ** 2 / (s1 ** 2 / (c1 - 1) + s2 ** 2 / (c2 - 1));
  return betaCdf(df / (df + t * t), df / 2, 0.5);
}

defineScalar({
  name: "welch_test",
  minArgs: 6,
  maxArgs: 6,
  impl: (args) => {
    const xs = args.map(scalarNumber);
    if (xs.some((x) => x === null)) return null;
    const [m1, v1, c1, m2, v2, c2] = xs as number[];
    return welchTest(m1, v1, c1, m2, v2, c2);
  },
});
