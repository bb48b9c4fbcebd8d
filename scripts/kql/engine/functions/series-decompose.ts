// Time-series analysis: outlier scores (series_outliers), period detection
// (series_periods_detect, series_periods_validate), seasonal extraction (series_seasonal) and
// decomposition (series_decompose, series_decompose_anomalies, series_decompose_forecast).
//
// Decomposition follows the documented order: the seasonal component is the median of the
// points in the same phase, the trend is fitted to the deseasonalised series (its average, a
// least-squares line, or nothing), baseline = seasonal + trend and residual = x − baseline.
// Anomaly scores are Tukey fence scores of the residual. The last `test_points` points are
// left out of the learning and only extrapolated.
//
// Period scores are this engine's own measure (see seasonalityScore); Kusto's are computed
// differently, so detected periods usually agree but scores do not (KNOWN-DIFFERENCES.md).

import type { Json, Value } from "../values";
import { toNumber } from "./coerce";
import { defineScalar, type CallContext } from "./registry";
import { str } from "./strings";

function numberAt(v: Json): number | null {
  return typeof v === "number" ? v : typeof v === "string" ? toNumber(v) : null;
}

/** The series with missing elements filled linearly (edges from the nearest value). */
function seriesArg(v: Value | undefined): number[] | null {
  if (!Array.isArray(v)) return null;
  const raw = v.map(numberAt);
  const known = raw.flatMap((x, i) => (x === null || !Number.isFinite(x) ? [] : [i]));
  if (known.length === 0) return raw.map(() => 0);
  const out = raw.map((x) => x ?? 0);
  for (let i = 0; i < known[0]; i++) out[i] = out[known[0]];
  for (let k = 0; k + 1 < known.length; k++) {
    const [a, b] = [known[k], known[k + 1]];
    for (let i = a + 1; i < b; i++) out[i] = out[a] + ((out[b] - out[a]) * (i - a)) / (b - a);
  }
  const last = known[known.length - 1];
  for (let i = last + 1; i < out.length; i++) out[i] = out[last];
  return out;
}

function optNumber(args: Value[], i: number, fallback: number): number | null {
  if (args.length <= i || args[i] === null) return fallback;
  const n = toNumber(args[i]);
  return n === null || !Number.isFinite(n) ? null : n;
}

function optString(args: Value[], ctx: CallContext, i: number, fallback: string): string {
  return args.length <= i || args[i] === null ? fallback : str(args, ctx, i);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Percentile by linear interpolation between closest ranks (p in [0, 100]). */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 1) return sorted[0];
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Least-squares line through (i, y[i]); returns [intercept, slope]. */
function lineFit(y: number[]): [number, number] {
  const n = y.length;
  if (n < 2) return [n === 1 ? y[0] : 0, 0];
  const mx = (n - 1) / 2;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * (y[i] - my);
    sxx += (i - mx) ** 2;
  }
  const slope = sxy / sxx;
  return [my - slope * mx, slope];
}

// --- outliers ---------------------------------------------------------------------------------

/**
 * Tukey fence scores: how many inter-quantile ranges a point lies beyond the quantile range
 * (positive above it, negative below it, 0 inside). `tukey` uses the 25th–75th percentiles,
 * `ctukey` the caller's (default 10th–90th).
 */
function outlierScores(xs: number[], kind: string, minP: number, maxP: number): number[] | null {
  const [lo, hi] = kind === "tukey" ? [25, 75] : kind === "ctukey" ? [minP, maxP] : [NaN, NaN];
  if (!Number.isFinite(lo) || xs.length === 0) return null;
  const sorted = [...xs].sort((a, b) => a - b);
  const q1 = percentile(sorted, lo);
  const q3 = percentile(sorted, hi);
  const iqr = q3 - q1;
  return xs.map((x) => {
    if (x > q3) return iqr > 0 ? (x - q3) / iqr : Infinity;
    if (x < q1) return iqr > 0 ? (x - q1) / iqr : -Infinity;
    return 0;
  });
}

defineScalar({
  name: "series_outliers",
  minArgs: 1,
  maxArgs: 5,
  impl: (args, ctx) => {
    if (!Array.isArray(args[0])) return null;
    const kind = optString(args, ctx, 1, "ctukey");
    const ignore = args.length > 2 && args[2] !== null ? toNumber(args[2]) : null;
    const minP = optNumber(args, 3, 10);
    const maxP = optNumber(args, 4, 90);
    if (minP === null || maxP === null || minP < 2 || maxP > 98 || minP >= maxP) return null;
    const raw = args[0].map(numberAt);
    const missing = (x: number | null) => x === null || !Number.isFinite(x) || x === ignore;
    const present = raw.filter((x): x is number => !missing(x));
    const scores = outlierScores(present, kind, minP, maxP);
    if (!scores) return null;
    let k = 0;
    return raw.map((x) => (missing(x) ? 0 : scores[k++]));
  },
});

// --- periods ----------------------------------------------------------------------------------

const MIN_PERIOD = 4;

/**
 * How well a period explains the series: the share of the linearly detrended series' variance
 * that the per-phase means account for, adjusted for the number of phases fitted (so longer
 * periods are not favoured merely for having more free parameters). 0 when it explains nothing.
 */
function seasonalityScore(y: number[], period: number): number {
  const n = y.length;
  // The documented bounds: at least 4 points, at most half the series.
  if (period < MIN_PERIOD || period * 2 > n) return 0;
  const [a, b] = lineFit(y);
  const z = y.map((v, i) => v - (a + b * i));
  const sums = new Array<number>(period).fill(0);
  const counts = new Array<number>(period).fill(0);
  z.forEach((v, i) => {
    sums[i % period] += v;
    counts[i % period]++;
  });
  const means = sums.map((s, k) => s / counts[k]);
  const sst = z.reduce((s, v) => s + v * v, 0);
  if (sst === 0) return 0;
  const sse = z.reduce((s, v, i) => s + (v - means[i % period]) ** 2, 0);
  const adjusted = 1 - sse / (n - period) / (sst / (n - 1));
  return Math.max(0, Math.min(1, adjusted));
}

/** Periods in [min, max] ordered by score; multiples of a better period are not repeated. */
function detectPeriods(y: number[], min: number, max: number, count: number): [number, number][] {
  const scored: [number, number][] = [];
  for (
    let p = Math.max(MIN_PERIOD, Math.ceil(min));
    p <= Math.floor(max) && p * 2 <= y.length;
    p++
  ) {
    scored.push([p, seasonalityScore(y, p)]);
  }
  const out: [number, number][] = [];
  // A multiple of a period fits at least as well; prefer the shortest period near the best score.
  const remaining = scored.filter(([, s]) => s > 0);
  while (out.length < count && remaining.length > 0) {
    const best = Math.max(...remaining.map(([, s]) => s));
    const pick = remaining.find(([, s]) => s >= best * 0.95) as [number, number];
    out.push(pick);
    for (let i = remaining.length - 1; i >= 0; i--) {
      if (remaining[i][0] % pick[0] === 0) remaining.splice(i, 1);
    }
  }
  return out;
}

/** Auto-detected season: at least four full cycles of at least four bins. */
function autoPeriod(y: number[], threshold: number): number {
  const [best] = detectPeriods(y, MIN_PERIOD, Math.floor(y.length / 4), 1);
  return best && best[1] >= threshold ? best[0] : 0;
}

defineScalar({
  name: "series_periods_detect",
  minArgs: 4,
  maxArgs: 4,
  impl: (args) => {
    const y = seriesArg(args[0]);
    const min = optNumber(args, 1, 0);
    const max = optNumber(args, 2, 0);
    const count = optNumber(args, 3, 1);
    if (!y || min === null || max === null || count === null || count < 1) return null;
    const found = detectPeriods(y, min, max, Math.trunc(count));
    const periods: Json[] = found.map(([p]) => p);
    const scores: Json[] = found.map(([, s]) => s);
    while (periods.length < count) {
      periods.push(0);
      scores.push(0);
    }
    return [periods, scores];
  },
});

defineScalar({
  name: "series_periods_validate",
  minArgs: 2,
  maxArgs: Infinity,
  impl: (args) => {
    const y = seriesArg(args[0]);
    if (!y) return null;
    const periods: number[] = [];
    for (let i = 1; i < args.length; i++) {
      const p = toNumber(args[i]);
      if (p === null) return null;
      periods.push(p);
    }
    const scores = periods.map((p) => (Number.isInteger(p) ? seasonalityScore(y, p) : 0));
    return [periods, scores];
  },
});

// --- decomposition ----------------------------------------------------------------------------

interface Decomposition {
  baseline: number[];
  seasonal: number[];
  trend: number[];
  residual: number[];
}

/**
 * Decomposes `x`, learning from all but its last `testPoints` points. `seasonality` -1 detects
 * the period, 0 disables the seasonal component; `trend` is avg, linefit or none.
 */
function decompose(
  x: number[],
  seasonality: number,
  trend: string,
  testPoints: number,
  threshold: number,
): Decomposition | null {
  const n = x.length;
  if (!["avg", "linefit", "none"].includes(trend)) return null;
  if (!Number.isInteger(seasonality) || seasonality < -1) return null;
  if (!Number.isInteger(testPoints) || testPoints < 0 || testPoints >= n) {
    return n === 0 ? { baseline: [], seasonal: [], trend: [], residual: [] } : null;
  }
  const train = x.slice(0, n - testPoints);
  const period = seasonality === -1 ? autoPeriod(train, threshold) : seasonality;
  const seasonal = new Array<number>(n).fill(0);
  if (period > 1 && period <= train.length) {
    const phase = Array.from({ length: period }, (_, k) =>
      median(train.filter((_, i) => i % period === k)),
    );
    for (let i = 0; i < n; i++) seasonal[i] = phase[i % period];
  }
  const deseasonal = train.map((v, i) => v - seasonal[i]);
  let trendSeries: number[];
  if (trend === "avg") {
    const mean = deseasonal.reduce((a, b) => a + b, 0) / deseasonal.length;
    trendSeries = new Array<number>(n).fill(mean);
  } else if (trend === "linefit") {
    const [a, b] = lineFit(deseasonal);
    trendSeries = Array.from({ length: n }, (_, i) => a + b * i);
  } else {
    trendSeries = new Array<number>(n).fill(0);
  }
  const baseline = seasonal.map((s, i) => s + trendSeries[i]);
  return { baseline, seasonal, trend: trendSeries, residual: x.map((v, i) => v - baseline[i]) };
}

defineScalar({
  name: "series_decompose",
  minArgs: 1,
  maxArgs: 5,
  impl: (args, ctx) => {
    const x = seriesArg(args[0]);
    const seasonality = optNumber(args, 1, -1);
    const trend = optString(args, ctx, 2, "avg");
    const testPoints = optNumber(args, 3, 0);
    const threshold = optNumber(args, 4, 0.6);
    if (!x || seasonality === null || testPoints === null || threshold === null) return null;
    const d = decompose(x, seasonality, trend, testPoints, threshold);
    return d ? [d.baseline, d.seasonal, d.trend, d.residual] : null;
  },
});

defineScalar({
  name: "series_decompose_anomalies",
  minArgs: 1,
  maxArgs: 7,
  impl: (args, ctx) => {
    const x = seriesArg(args[0]);
    const k = optNumber(args, 1, 1.5);
    const seasonality = optNumber(args, 2, -1);
    const trend = optString(args, ctx, 3, "avg");
    const testPoints = optNumber(args, 4, 0);
    const method = optString(args, ctx, 5, "ctukey");
    const threshold = optNumber(args, 6, 0.6);
    if (!x || k === null || seasonality === null || testPoints === null || threshold === null) {
      return null;
    }
    const d = decompose(x, seasonality, trend, testPoints, threshold);
    if (!d) return null;
    const scores = d.residual.length === 0 ? [] : outlierScores(d.residual, method, 10, 90);
    if (!scores) return null;
    const flags = scores.map((s) => (s > k ? 1 : s < -k ? -1 : 0));
    return [flags, scores, d.baseline];
  },
});

defineScalar({
  name: "series_decompose_forecast",
  minArgs: 2,
  maxArgs: 5,
  impl: (args, ctx) => {
    const x = seriesArg(args[0]);
    const points = optNumber(args, 1, 0);
    const seasonality = optNumber(args, 2, -1);
    const trend = optString(args, ctx, 3, "linefit");
    const threshold = optNumber(args, 4, 0.6);
    if (!x || points === null || seasonality === null || threshold === null) return null;
    const d = decompose(x, seasonality, trend, points, threshold);
    return d ? d.baseline : null;
  },
});

defineScalar({
  name: "series_seasonal",
  minArgs: 1,
  maxArgs: 2,
  impl: (args) => {
    const x = seriesArg(args[0]);
    const period = optNumber(args, 1, -1);
    if (!x || period === null || !Number.isInteger(period) || period < -1) return null;
    const d = decompose(x, period, "none", 0, 0.6);
    return d ? d.seasonal : null;
  },
});
