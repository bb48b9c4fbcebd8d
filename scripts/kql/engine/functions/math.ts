// Numeric functions: abs, round, ceiling, floor/bin, bin_at, log*, exp*, pow, sqrt, sign,
// min_of, max_of, rand, pi, trigonometry, degrees/radians, gamma, loggamma, erf, erfc,
// binary_* bitwise functions, bitset_count_ones.
//
// `bin`/`floor` and `bin_at` also round datetimes and timespans: Kusto aligns datetime bins to
// 0001-01-01 (so 7d bins start on Mondays), not to the engine's 2020 epoch.

import { exactLong, type KustoType, type Value } from "../values";
import { toNumber } from "./coerce";
import { DOTNET_TICKS_AT_ENGINE_EPOCH } from "./conversion";
import { defineScalar, type CallContext } from "./registry";

function num(v: Value | undefined): number | null {
  return v === undefined ? null : toNumber(v);
}

function isIntegral(t: KustoType): boolean {
  return t === "int" || t === "long";
}

/** The result as the analysed type wants it: integral types truncate. */
function typed(x: number, ctx: CallContext): number {
  return isIntegral(ctx.resultType) && Number.isFinite(x) ? Math.trunc(x) : x;
}

function unary(name: string, f: (x: number) => number, aliases?: string[]): void {
  defineScalar({
    name,
    aliases,
    minArgs: 1,
    maxArgs: 1,
    impl: ([v], ctx) => {
      const x = num(v);
      return x === null ? null : typed(f(x), ctx);
    },
  });
}

unary("abs", Math.abs);
unary("ceiling", Math.ceil);
unary("sqrt", Math.sqrt);
unary("exp", Math.exp);
unary("exp2", (x) => Math.pow(2, x));
unary("exp10", (x) => Math.pow(10, x));
unary("log", Math.log);
unary("log2", Math.log2);
unary("log10", Math.log10);
unary("sign", (x) => (Number.isNaN(x) ? NaN : Math.sign(x) + 0));
unary("sin", Math.sin);
unary("cos", Math.cos);
unary("tan", Math.tan);
unary("asin", Math.asin);
unary("acos", Math.acos);
unary("atan", Math.atan);
unary("cot", (x) => 1 / Math.tan(x));
unary("degrees", (x) => (x * 180) / Math.PI);
unary("radians", (x) => (x * Math.PI) / 180);
unary("gamma", gamma);
unary("loggamma", logGamma);
unary("erf", erf);
unary("erfc", (x) => 1 - erf(x));

defineScalar({
  name: "atan2",
  minArgs: 2,
  maxArgs: 2,
  impl: ([y, x]) => {
    const a = num(y);
    const b = num(x);
    return a === null || b === null ? null : Math.atan2(a, b);
  },
});

defineScalar({
  name: "pow",
  minArgs: 2,
  maxArgs: 2,
  impl: ([b, e], ctx) => {
    const x = num(b);
    const y = num(e);
    return x === null || y === null ? null : typed(Math.pow(x, y), ctx);
  },
});

defineScalar({ name: "pi", minArgs: 0, maxArgs: 0, impl: () => Math.PI });

/** Rounds half away from zero at `digits` decimals, correcting binary noise (2.15 → 2.2). */
export function roundHalfAwayFromZero(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const factor = Math.pow(10, digits);
  const scaled = Number((Math.abs(x) * factor).toPrecision(15));
  return (Math.sign(x) * Math.round(scaled)) / factor;
}

defineScalar({
  name: "round",
  minArgs: 1,
  maxArgs: 2,
  impl: ([v, p], ctx) => {
    const x = num(v);
    const digits = p === undefined ? 0 : num(p);
    if (x === null || digits === null) return null;
    return typed(roundHalfAwayFromZero(x, Math.trunc(digits)), ctx);
  },
});

function mod(a: number, m: number): number {
  const r = a % m;
  return r < 0 ? r + m : r;
}

// The engine epoch's offset from 0001-01-01 modulo a bin size, cached: sizes repeat per query.
const epochOffsets = new Map<number, number>();
function epochOffset(size: number): number {
  let off = epochOffsets.get(size);
  if (off === undefined) {
    off = Number.isInteger(size)
      ? Number(BigInt(DOTNET_TICKS_AT_ENGINE_EPOCH) % BigInt(size))
      : DOTNET_TICKS_AT_ENGINE_EPOCH % size;
    if (epochOffsets.size > 1000) epochOffsets.clear();
    epochOffsets.set(size, off);
  }
  return off;
}

/** `bin(value, size)` for numbers, timespans and datetimes (typed by `valueType`). */
export function binValue(value: number, size: number, valueType: KustoType): number | null {
  if (!(size > 0) || !Number.isFinite(value)) return null;
  if (valueType === "datetime") return value - mod(value + epochOffset(size), size);
  const b = Math.floor(value / size) * size;
  return isIntegral(valueType) ? Math.round(b) : b;
}

defineScalar({
  name: "bin",
  aliases: ["floor"],
  minArgs: 1,
  maxArgs: 2,
  impl: ([v, size], ctx) => {
    const x = num(v);
    if (x === null) return null;
    if (size === undefined) return Math.floor(x);
    const s = num(size);
    if (s === null) return null;
    const r = binValue(x, s, ctx.argTypes[0]);
    return r === null ? null : typed(r, ctx);
  },
});

defineScalar({
  name: "bin_at",
  minArgs: 3,
  maxArgs: 3,
  impl: ([v, size, fixed], ctx) => {
    const x = num(v);
    const s = num(size);
    const f = num(fixed);
    if (x === null || s === null || f === null || !(s > 0)) return null;
    return typed(f + Math.floor((x - f) / s) * s, ctx);
  },
});

function extremeOf(
  args: Value[],
  better: (a: number | string, b: number | string) => boolean,
): Value {
  let best: Value = null;
  for (const v of args) {
    if (v === null || v === undefined) continue;
    if (typeof v !== "number" && typeof v !== "string") continue;
    if (best === null || better(v, best as number | string)) best = v;
  }
  return best;
}

// around(value, center, delta): value within [center - delta, center + delta]. Numbers,
// datetimes and timespans are all ticks or numbers here, so one comparison serves them all.
defineScalar({
  name: "around",
  minArgs: 3,
  maxArgs: 3,
  impl: (args) => {
    const [value, center, delta] = args.map((a) => (typeof a === "number" ? a : null));
    if (value === null || center === null || delta === null) return null;
    return value >= center - delta && value <= center + delta;
  },
});

defineScalar({
  name: "max_of",
  minArgs: 1,
  maxArgs: 64,
  impl: (args) => extremeOf(args, (a, b) => a > b),
});

defineScalar({
  name: "min_of",
  minArgs: 1,
  maxArgs: 64,
  impl: (args) => extremeOf(args, (a, b) => a < b),
});

// A fixed-seed generator keeps query results reproducible across runs (mulberry32).
let randState = 0x2f6b1a3d;
function nextRandom(): number {
  randState = (randState + 0x6d2b79f5) | 0;
  let t = randState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Restarts `rand()`'s sequence (tests and each query run use it for determinism). */
export function reseedRandom(seed = 0x2f6b1a3d): void {
  randState = seed;
}

defineScalar({
  name: "rand",
  minArgs: 0,
  maxArgs: 1,
  impl: ([n]) => {
    const r = nextRandom();
    if (n === undefined) return r;
    const range = num(n);
    return range === null || range < 1 ? null : Math.floor(r * Math.trunc(range));
  },
});

// --- bitwise: Kusto's long is 64-bit, so these go through BigInt -----------------------------

function big(v: Value | undefined): bigint | null {
  if (typeof v === "bigint") return v;
  const x = num(v);
  return x === null || !Number.isFinite(x) ? null : BigInt(Math.trunc(x));
}

function bitwise(name: string, f: (a: bigint, b: bigint) => bigint): void {
  defineScalar({
    name,
    minArgs: 2,
    maxArgs: 2,
    impl: ([a, b]) => {
      const x = big(a);
      const y = big(b);
      return x === null || y === null ? null : exactLong(f(x, y));
    },
  });
}

bitwise("binary_and", (a, b) => a & b);
bitwise("binary_or", (a, b) => a | b);
bitwise("binary_xor", (a, b) => a ^ b);
bitwise("binary_shift_left", (a, b) => (b < 0n || b > 63n ? 0n : a << b));
bitwise("binary_shift_right", (a, b) => (b < 0n || b > 63n ? 0n : BigInt.asUintN(64, a) >> b));

defineScalar({
  name: "binary_not",
  minArgs: 1,
  maxArgs: 1,
  impl: ([a]) => {
    const x = big(a);
    return x === null ? null : exactLong(~x);
  },
});

defineScalar({
  name: "bitset_count_ones",
  minArgs: 1,
  maxArgs: 1,
  impl: ([a]) => {
    const x = big(a);
    if (x === null) return null;
    let u = BigInt.asUintN(64, x);
    let n = 0;
    while (u) {
      n += Number(u & 1n);
      u >>= 1n;
    }
    return n;
  },
});

// --- special functions ------------------------------------------------------------------------

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

function gamma(x: number): number {
  if (Number.isInteger(x) && x > 0 && x < 171) {
    let r = 1;
    for (let i = 2; i < x; i++) r *= i;
    return r;
  }
  if (x < 0.5) return Math.PI / (Math.sin(Math.PI * x) * gamma(1 - x));
  x -= 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return Math.sqrt(2 * Math.PI) * Math.pow(t, x + 0.5) * Math.exp(-t) * a;
}

function logGamma(x: number): number {
  if (x <= 0) return Infinity;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** erf to double precision: a power series near 0, erfc's continued fraction further out. */
function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 2.2) {
    // Maclaurin series converges quickly here.
    let sum = ax;
    let term = ax;
    for (let n = 1; n < 100; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (ax > 6) return Math.sign(x);
  // Continued fraction for erfc (Lentz), accurate for larger |x|.
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = ax + an / c;
    if (c === 0) c = 1e-300;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  return Math.sign(x) * (1 - erfc);
}

// --- distributions ----------------------------------------------------------------------------

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 1000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b): the beta distribution's CDF. */
export function betaCdf(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1) || !(a > 0) || !(b > 0)) return NaN;
  if (x === 0 || x === 1) return x;
  const front = Math.exp(
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x),
  );
  return x < (a + 1) / (a + b + 2)
    ? (front * betaContinuedFraction(x, a, b)) / a
    : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

defineScalar({
  name: "beta_cdf",
  minArgs: 3,
  maxArgs: 3,
  impl: ([x, a, b]) => {
    const [p, q, r] = [num(x), num(a), num(b)];
    return p === null || q === null || r === null ? null : betaCdf(p, q, r);
  },
});
