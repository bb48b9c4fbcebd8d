// Element-wise functions over numeric dynamic arrays (the `series_*` family that follows
// make-series): arithmetic and comparisons of two series (or a series and a scalar), unary
// math, sums and products, similarity measures, gap filling, and IIR filtering.
// A non-numeric element gives null in that position. Decomposition, anomalies, forecasting,
// outliers and period detection live in series-decompose.ts.

import type { Json, Value } from "../values";
import { toNumber } from "./coerce";
import { defineScalar } from "./registry";

function numeric(x: Json | undefined): number | null {
  return typeof x === "number" ? x : typeof x === "string" ? toNumber(x) : null;
}

/** A series argument: an array, or a scalar repeated to `length`. */
function seriesOf(v: Value | undefined, length: number): (number | null)[] | null {
  if (Array.isArray(v)) return v.map(numeric);
  const n = typeof v === "number" ? v : null;
  return n === null ? null : Array(length).fill(n);
}

function binary(name: string, f: (a: number, b: number) => Json): void {
  defineScalar({
    name,
    minArgs: 2,
    maxArgs: 2,
    impl: ([x, y]) => {
      const len = Math.max(Array.isArray(x) ? x.length : 0, Array.isArray(y) ? y.length : 0);
      const a = seriesOf(x, len);
      const b = seriesOf(y, len);
      if (!a || !b) return null;
      return Array.from({ length: len }, (_, i) => {
        const p = a[i];
        const q = b[i];
        return p === null || p === undefined || q === null || q === undefined ? null : f(p, q);
      });
    },
  });
}

binary("series_add", (a, b) => a + b);
binary("series_subtract", (a, b) => a - b);
binary("series_multiply", (a, b) => a * b);
binary("series_divide", (a, b) => a / b);
binary("series_pow", (a, b) => Math.pow(a, b));
binary("series_greater", (a, b) => a > b);
binary("series_greater_equals", (a, b) => a >= b);
binary("series_less", (a, b) => a < b);
binary("series_less_equals", (a, b) => a <= b);
binary("series_equals", (a, b) => a === b);
binary("series_not_equals", (a, b) => a !== b);

function unary(name: string, f: (x: number) => number): void {
  defineScalar({
    name,
    minArgs: 1,
    maxArgs: 1,
    impl: ([v]) => (Array.isArray(v) ? v.map((x) => (typeof x === "number" ? f(x) : null)) : null),
  });
}

unary("series_abs", Math.abs);
unary("series_acos", Math.acos);
unary("series_asin", Math.asin);
unary("series_atan", Math.atan);
unary("series_ceiling", Math.ceil);
unary("series_cos", Math.cos);
unary("series_exp", Math.exp);
unary("series_floor", Math.floor);
unary("series_log", Math.log);
unary("series_sign", Math.sign);
unary("series_sin", Math.sin);
unary("series_sqrt", Math.sqrt);
unary("series_tan", Math.tan);

/** Numbers of an array, skipping non-numeric elements; null when the value is not an array. */
function numbers(v: Value | undefined): number[] | null {
  if (!Array.isArray(v)) return null;
  return v.filter((x): x is number => typeof x === "number");
}

defineScalar({
  name: "series_sum",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => numbers(v)?.reduce((a, b) => a + b, 0) ?? null,
});

defineScalar({
  name: "series_magnitude",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => {
    const xs = numbers(v);
    return xs ? Math.sqrt(xs.reduce((a, b) => a + b * b, 0)) : null;
  },
});

/** Pairs of numeric elements at the same positions of two series (a scalar repeats). */
function pairs(x: Value | undefined, y: Value | undefined): [number, number][] | null {
  const len = Math.max(Array.isArray(x) ? x.length : 0, Array.isArray(y) ? y.length : 0);
  const a = seriesOf(x, len);
  const b = seriesOf(y, len);
  if (!a || !b) return null;
  const out: [number, number][] = [];
  for (let i = 0; i < len; i++) {
    const p = a[i];
    const q = b[i];
    if (typeof p === "number" && typeof q === "number") out.push([p, q]);
  }
  return out;
}

defineScalar({
  name: "series_dot_product",
  minArgs: 2,
  maxArgs: 2,
  impl: ([x, y]) => pairs(x, y)?.reduce((acc, [a, b]) => acc + a * b, 0) ?? null,
});

defineScalar({
  name: "series_cosine_similarity",
  minArgs: 2,
  maxArgs: 2,
  impl: ([x, y]) => {
    const ps = pairs(x, y);
    if (!ps) return null;
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (const [a, b] of ps) {
      dot += a * b;
      na += a * a;
      nb += b * b;
    }
    return dot / Math.sqrt(na * nb);
  },
});

/** Means and centred sums of squares and products of (x, y) points. */
export function comoments(points: [number, number][]): {
  mx: number;
  my: number;
  sxx: number;
  syy: number;
  sxy: number;
} {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
    sxy += (x - mx) * (y - my);
  }
  return { mx, my, sxx, syy, sxy };
}

defineScalar({
  name: "series_pearson_correlation",
  minArgs: 2,
  maxArgs: 2,
  impl: ([x, y]) => {
    const ps = pairs(x, y);
    if (!ps || ps.length === 0) return null;
    const { sxx, syy, sxy } = comoments(ps);
    return sxy / Math.sqrt(sxx * syy);
  },
});

// --- filling gaps -----------------------------------------------------------------------------

/** Whether an element is missing: null, or equal to the caller's placeholder. */
function missingTest(placeholder: Value | undefined): (x: Json) => boolean {
  const p = placeholder === undefined ? null : placeholder;
  return (x) => x === null || (p !== null && x === p);
}

defineScalar({
  name: "series_fill_const",
  minArgs: 2,
  maxArgs: 3,
  impl: ([v, constant, placeholder]) => {
    if (!Array.isArray(v)) return null;
    const missing = missingTest(placeholder);
    const c = (constant ?? null) as Json;
    return v.map((x) => (missing(x) ? c : x));
  },
});

defineScalar({
  name: "series_fill_forward",
  minArgs: 1,
  maxArgs: 2,
  impl: ([v, placeholder]) => {
    if (!Array.isArray(v)) return null;
    const missing = missingTest(placeholder);
    let last: Json = null;
    return v.map((x) => (missing(x) ? last : (last = x)));
  },
});

defineScalar({
  name: "series_fill_backward",
  minArgs: 1,
  maxArgs: 2,
  impl: ([v, placeholder]) => {
    if (!Array.isArray(v)) return null;
    const missing = missingTest(placeholder);
    let next: Json = null;
    const out = v.slice();
    for (let i = out.length - 1; i >= 0; i--) {
      if (missing(out[i])) out[i] = next;
      else next = out[i];
    }
    return out;
  },
});

defineScalar({
  name: "series_fill_linear",
  minArgs: 1,
  maxArgs: 4,
  impl: ([v, placeholder, fillEdges, constant]) => {
    if (!Array.isArray(v)) return null;
    const missing = missingTest(placeholder);
    const edges = fillEdges === undefined || fillEdges === null ? true : fillEdges === true;
    const known: number[] = [];
    v.forEach((x, i) => {
      if (!missing(x) && typeof x === "number") known.push(i);
    });
    if (known.length === 0) {
      // Nothing to interpolate from: every element becomes the constant (default 0).
      const c = typeof constant === "number" ? constant : 0;
      return v.map(() => c);
    }
    const out: Json[] = v.slice();
    for (let k = 0; k + 1 < known.length; k++) {
      const i = known[k];
      const j = known[k + 1];
      const a = v[i] as number;
      const b = v[j] as number;
      for (let m = i + 1; m < j; m++) out[m] = a + ((b - a) * (m - i)) / (j - i);
    }
    if (edges) {
      const first = known[0];
      const last = known[known.length - 1];
      for (let m = 0; m < first; m++) out[m] = v[first];
      for (let m = last + 1; m < v.length; m++) out[m] = v[last];
    }
    return out;
  },
});

// --- filtering --------------------------------------------------------------------------------

defineScalar({
  name: "series_iir",
  minArgs: 3,
  maxArgs: 3,
  impl: ([v, num, den]) => {
    const x = Array.isArray(v) ? v.map((e) => (typeof e === "number" ? e : 0)) : null;
    const b = numbers(num);
    const a = numbers(den);
    if (!x || !b || !a || a.length === 0 || a[0] === 0) return null;
    // y[n] = (Σ b[k]·x[n−k] − Σ_{k≥1} a[k]·y[n−k]) / a[0]
    const y: number[] = [];
    for (let n = 0; n < x.length; n++) {
      let acc = 0;
      for (let k = 0; k < b.length && k <= n; k++) acc += b[k] * x[n - k];
      for (let k = 1; k < a.length && k <= n; k++) acc -= a[k] * y[n - k];
      y.push(acc / a[0]);
    }
    return y;
  },
});
