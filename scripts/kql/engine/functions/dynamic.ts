// Functions over dynamic arrays and property bags: array_* , set_*, pack/bag_pack, pack_array,
// bag_keys, bag_merge, bag_remove_keys, bag_has_key, bag_set_key, bag_zip, zip,
// jaccard_index, treepath, range, repeat, extract_json/extractjson, dynamic_to_json.
// (`pack_all` and `bag_pack_columns` need column names, so the core implements them.)
//
// Scalars entering a dynamic become JSON through `toJson` (datetimes as ISO strings, …), and
// objects are created with null prototypes as the value model requires.

import type { Json, KustoType, Value } from "../values";
import { TICKS_PER_DAY } from "../values";
import {
  cloneJson,
  isBag,
  jsonKey,
  jsonText,
  newBag,
  parseJsonText,
  toJson,
  toKustoString,
  toNumber,
} from "./coerce";
import { defineScalar, type CallContext } from "./registry";
import { str, typedText, windowedIndexOf } from "./strings";

/** Most elements `range()` and `repeat()` build (Kusto's limit). */
const MAX_RANGE = 1_048_576;

function arr(v: Value | undefined): Json[] | null {
  return Array.isArray(v) ? v : null;
}

function int(v: Value | undefined): number | null {
  if (v === undefined || v === null) return null;
  const n = toNumber(v);
  return n === null || Number.isNaN(n) ? null : Math.trunc(n);
}

/** Argument `i` as the JSON it becomes inside a dynamic. */
function jsonArg(args: Value[], ctx: CallContext, i: number): Json {
  return toJson(args[i] ?? null, ctx.argTypes[i]);
}

/** Orders JSON leaves: numbers numerically, strings ordinally, other kinds by their text. */
export function compareJson(a: Json, b: Json): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  const rank = (x: Json) =>
    typeof x === "boolean" ? 0 : typeof x === "number" ? 1 : typeof x === "string" ? 2 : 3;
  const r = rank(a) - rank(b);
  if (r !== 0) return r;
  const ta = jsonText(a);
  const tb = jsonText(b);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

defineScalar({
  name: "array_length",
  aliases: ["arraylength"],
  minArgs: 1,
  maxArgs: 1,
  impl: ([a]) => arr(a)?.length ?? null,
});

defineScalar({
  name: "array_concat",
  minArgs: 1,
  maxArgs: 64,
  impl: (args) => {
    const out: Json[] = [];
    for (const a of args) {
      const items = arr(a);
      if (!items) return null;
      out.push(...items);
    }
    return out;
  },
});

defineScalar({
  name: "array_slice",
  minArgs: 3,
  maxArgs: 3,
  impl: ([a, s, e]) => {
    const items = arr(a);
    let start = int(s);
    let end = int(e);
    if (!items || start === null || end === null) return null;
    if (start < 0) start += items.length;
    if (end < 0) end += items.length;
    start = Math.max(0, start);
    return items.slice(start, Math.min(items.length - 1, end) + 1);
  },
});

defineScalar({
  name: "array_index_of",
  minArgs: 2,
  maxArgs: 5,
  impl: (args, ctx) => {
    const items = arr(args[0]);
    if (!items) return null;
    const key = jsonKey(jsonArg(args, ctx, 1));
    return windowedIndexOf(
      items.length,
      (from, to) => {
        for (let i = from; i < to; i++) if (jsonKey(items[i]) === key) return i;
        return -1;
      },
      int(args[2]),
      int(args[3]),
      int(args[4]),
    );
  },
});

/** The order in which `items` sort (indexes), nulls first or last. */
function sortOrder(items: Json[], descending: boolean, nullsLast: boolean): number[] {
  const idx = items.map((_, i) => i);
  const nulls = idx.filter((i) => items[i] === null);
  const rest = idx
    .filter((i) => items[i] !== null)
    .sort((a, b) => (descending ? -1 : 1) * compareJson(items[a], items[b]) || a - b);
  return nullsLast ? [...rest, ...nulls] : [...nulls, ...rest];
}

for (const [name, descending] of [
  ["array_sort_asc", false],
  ["array_sort_desc", true],
] as const) {
  defineScalar({
    name,
    minArgs: 1,
    maxArgs: 64,
    impl: (args) => {
      // array_sort_asc(a1, a2, …[, nulls_last]): a1 is sorted, the others follow its order.
      const last = args[args.length - 1];
      const nullsLast = typeof last === "boolean" ? last : true;
      const arrays = typeof last === "boolean" || last === null ? args.slice(0, -1) : args;
      if (arrays.length === 0 || !Array.isArray(arrays[0])) return null;
      const first = arrays[0];
      const order = sortOrder(first, descending, nullsLast);
      if (arrays.length === 1) return order.map((i) => first[i]);
      const out: Json[] = [];
      for (const a of arrays) {
        if (!Array.isArray(a) || a.length !== first.length) return null;
        out.push(order.map((i) => a[i]));
      }
      return out;
    },
  });
}

defineScalar({
  name: "array_reverse",
  minArgs: 1,
  maxArgs: 1,
  impl: ([a]) => arr(a)?.slice().reverse() ?? null,
});

defineScalar({
  name: "array_sum",
  minArgs: 1,
  maxArgs: 1,
  impl: ([a]) => {
    const items = arr(a);
    if (!items) return null;
    let sum = 0;
    for (const x of items) {
      if (typeof x !== "number") return null;
      sum += x;
    }
    return sum;
  },
});

function truthy(x: Json): boolean | null {
  if (typeof x === "boolean") return x;
  if (typeof x === "number") return x !== 0;
  return null;
}

defineScalar({
  name: "array_iff",
  aliases: ["array_iif"],
  minArgs: 3,
  maxArgs: 3,
  impl: (args, ctx) => {
    const conds = arr(args[0]);
    if (!conds) return null;
    const pick = (i: number, k: number): Json => {
      const v = args[k];
      if (ctx.argTypes[k] === "dynamic" && Array.isArray(v)) return i < v.length ? v[i] : null;
      return jsonArg(args, ctx, k);
    };
    return conds.map((c, i) => {
      const t = truthy(c);
      return t === null ? null : t ? pick(i, 1) : pick(i, 2);
    });
  },
});

function rotate(items: Json[], n: number): Json[] {
  if (items.length === 0) return [];
  const k = ((n % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

defineScalar({
  name: "array_rotate_left",
  minArgs: 2,
  maxArgs: 2,
  impl: ([a, n]) => {
    const items = arr(a);
    const k = int(n);
    return items && k !== null ? rotate(items, k) : null;
  },
});

defineScalar({
  name: "array_rotate_right",
  minArgs: 2,
  maxArgs: 2,
  impl: ([a, n]) => {
    const items = arr(a);
    const k = int(n);
    return items && k !== null ? rotate(items, -k) : null;
  },
});

/** Shifts left by n (right when negative), filling vacated slots. */
function shift(items: Json[], n: number, fill: Json): Json[] {
  const len = items.length;
  return items.map((_, i) => {
    const src = i + n;
    return src >= 0 && src < len ? items[src] : fill;
  });
}

for (const [name, sign] of [
  ["array_shift_left", 1],
  ["array_shift_right", -1],
] as const) {
  defineScalar({
    name,
    minArgs: 2,
    maxArgs: 3,
    impl: (args, ctx) => {
      const items = arr(args[0]);
      const k = int(args[1]);
      if (!items || k === null) return null;
      return shift(items, sign * k, args.length > 2 ? jsonArg(args, ctx, 2) : null);
    },
  });
}

defineScalar({
  name: "array_split",
  minArgs: 2,
  maxArgs: 2,
  impl: ([a, idx]) => {
    const items = arr(a);
    if (!items) return null;
    const raw = Array.isArray(idx) ? idx : [idx as Json];
    const cuts: number[] = [];
    for (const r of raw) {
      let n = typeof r === "number" ? Math.trunc(r) : null;
      if (n === null) return null;
      if (n < 0) n += items.length;
      cuts.push(Math.max(0, Math.min(items.length, n)));
    }
    cuts.sort((x, y) => x - y);
    const out: Json[] = [];
    let last = 0;
    for (const c of cuts) {
      out.push(items.slice(last, Math.max(last, c)));
      last = Math.max(last, c);
    }
    out.push(items.slice(last));
    return out;
  },
});

defineScalar({
  name: "array_repeat",
  aliases: ["repeat"],
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const n = int(args[1]);
    if (n === null || n < 0 || n > MAX_RANGE) return null;
    const v = jsonArg(args, ctx, 0);
    return Array.from({ length: n }, () => cloneJson(v));
  },
});

// --- sets -------------------------------------------------------------------------------------

function distinct(items: Json[]): Json[] {
  const seen = new Set<string>();
  const out: Json[] = [];
  for (const x of items) {
    const k = jsonKey(x);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  }
  return out;
}

defineScalar({
  name: "set_has_element",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const items = arr(args[0]);
    if (!items) return null;
    const key = jsonKey(jsonArg(args, ctx, 1));
    return items.some((x) => jsonKey(x) === key);
  },
});

function arrays(args: Value[]): Json[][] | null {
  const out: Json[][] = [];
  for (const a of args) {
    const items = arr(a);
    if (!items) return null;
    out.push(items);
  }
  return out;
}

defineScalar({
  name: "set_union",
  minArgs: 2,
  maxArgs: 64,
  impl: (args) => {
    const all = arrays(args);
    return all ? distinct(all.flat()) : null;
  },
});

defineScalar({
  name: "set_equals",
  minArgs: 2,
  maxArgs: 64,
  impl: (args) => {
    const all = arrays(args);
    if (!all) return null;
    const sets = all.map((a) => new Set(a.map(jsonKey)));
    const [first, ...rest] = sets;
    return rest.every((s) => s.size === first.size && [...s].every((k) => first.has(k)));
  },
});

defineScalar({
  name: "set_intersect",
  minArgs: 2,
  maxArgs: 64,
  impl: (args) => {
    const all = arrays(args);
    if (!all) return null;
    const others = all.slice(1).map((a) => new Set(a.map(jsonKey)));
    return distinct(all[0]).filter((x) => others.every((s) => s.has(jsonKey(x))));
  },
});

defineScalar({
  name: "set_difference",
  minArgs: 2,
  maxArgs: 64,
  impl: (args) => {
    const all = arrays(args);
    if (!all) return null;
    const others = new Set(all.slice(1).flat().map(jsonKey));
    return distinct(all[0]).filter((x) => !others.has(jsonKey(x)));
  },
});

defineScalar({
  name: "jaccard_index",
  minArgs: 2,
  maxArgs: 2,
  impl: ([a, b]) => {
    const x = arr(a);
    const y = arr(b);
    if (!x || !y) return null;
    const sx = new Set(x.map(jsonKey));
    const sy = new Set(y.map(jsonKey));
    const union = new Set([...sx, ...sy]).size;
    if (union === 0) return NaN;
    let inter = 0;
    for (const k of sx) if (sy.has(k)) inter++;
    return inter / union;
  },
});

// --- property bags ----------------------------------------------------------------------------

defineScalar({
  name: "bag_pack",
  aliases: ["pack", "pack_dictionary"],
  minArgs: 0,
  maxArgs: Infinity,
  impl: (args, ctx) => {
    const bag = newBag();
    for (let i = 0; i + 1 < args.length; i += 2) bag[str(args, ctx, i)] = jsonArg(args, ctx, i + 1);
    return bag;
  },
});

defineScalar({
  name: "pack_array",
  minArgs: 1,
  maxArgs: Infinity,
  impl: (args, ctx) => args.map((_, i) => jsonArg(args, ctx, i)),
});

defineScalar({
  name: "bag_keys",
  minArgs: 1,
  maxArgs: 1,
  impl: ([b]) => (isBag(b) ? Object.keys(b) : null),
});

defineScalar({
  name: "bag_merge",
  minArgs: 2,
  maxArgs: 64,
  impl: (args) => {
    const out = newBag();
    for (const b of args) {
      if (!isBag(b)) continue;
      // The first bag that has a key keeps it.
      for (const k of Object.keys(b)) if (!(k in out)) out[k] = b[k];
    }
    return out;
  },
});

/** One step of a JSONPath-like key: a property name or an array index. */
type PathStep = string | number;

/** Parses `$.a.b[0]['c d']`, `['a']`, or a plain key (taken whole). */
export function parseJsonPath(path: string): PathStep[] | null {
  const p = path.trim();
  if (!p.startsWith("$") && !p.startsWith("[")) return [p];
  const steps: PathStep[] = [];
  let i = p.startsWith("$") ? 1 : 0;
  while (i < p.length) {
    if (p[i] === ".") {
      const m = /^\.([^.[\]]+)/.exec(p.slice(i));
      if (!m) return null;
      steps.push(m[1]);
      i += m[0].length;
    } else if (p[i] === "[") {
      const m = /^\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+))\s*\]/.exec(p.slice(i));
      if (!m) return null;
      steps.push(m[3] !== undefined ? Number(m[3]) : (m[1] ?? m[2]));
      i += m[0].length;
    } else {
      return null;
    }
  }
  return steps;
}

export function getPath(root: Json, steps: PathStep[]): Json | undefined {
  let cur: Json | undefined = root;
  for (const s of steps) {
    if (typeof s === "number" && Array.isArray(cur)) cur = cur[s < 0 ? cur.length + s : s];
    else if (typeof s === "string" && isBag(cur))
      cur = Object.prototype.hasOwnProperty.call(cur, s) ? cur[s] : undefined;
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

defineScalar({
  name: "bag_has_key",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    if (!isBag(args[0])) return null;
    const steps = parseJsonPath(str(args, ctx, 1));
    return steps !== null && getPath(args[0], steps) !== undefined;
  },
});

defineScalar({
  name: "bag_remove_keys",
  minArgs: 2,
  maxArgs: 2,
  impl: ([b, keys]) => {
    if (!isBag(b) || !Array.isArray(keys)) return null;
    const out = cloneJson(b) as { [key: string]: Json };
    for (const k of keys) {
      const steps = typeof k === "string" ? parseJsonPath(k) : null;
      if (!steps || steps.length === 0) continue;
      const parent = getPath(out, steps.slice(0, -1));
      const last = steps[steps.length - 1];
      if (isBag(parent) && typeof last === "string") delete parent[last];
    }
    return out;
  },
});

defineScalar({
  name: "bag_set_key",
  minArgs: 3,
  maxArgs: 3,
  impl: (args, ctx) => {
    if (!isBag(args[0])) return null;
    const steps = parseJsonPath(str(args, ctx, 1));
    if (!steps || steps.length === 0 || steps.some((s) => typeof s !== "string")) return null;
    const out = cloneJson(args[0]) as { [key: string]: Json };
    let cur = out;
    for (const s of steps.slice(0, -1) as string[]) {
      const next = cur[s];
      if (!isBag(next)) cur[s] = newBag();
      cur = cur[s] as { [key: string]: Json };
    }
    cur[steps[steps.length - 1] as string] = jsonArg(args, ctx, 2);
    return out;
  },
});

defineScalar({
  name: "bag_zip",
  minArgs: 2,
  maxArgs: 2,
  impl: ([k, v]) => {
    const keys = arr(k);
    const values = arr(v);
    if (!keys || !values) return null;
    const out = newBag();
    keys.forEach((key, i) => {
      if (typeof key === "string") out[key] = i < values.length ? values[i] : null;
    });
    return out;
  },
});

defineScalar({
  name: "zip",
  minArgs: 2,
  maxArgs: 16,
  impl: (args) => {
    const all = arrays(args);
    if (!all) return null;
    const len = Math.max(...all.map((a) => a.length));
    return Array.from({ length: len }, (_, i) => all.map((a) => (i < a.length ? a[i] : null)));
  },
});

/** Every path into a dynamic value, as Kusto lists them: `['a']`, `['a'][0]`. */
function treePaths(v: Json, prefix: string, out: string[]): void {
  if (Array.isArray(v)) {
    const p = `${prefix}[0]`;
    if (v.length > 0) {
      out.push(p);
      // Kusto merges the element shapes of an array under one `[0]` path.
      const merged = new Set<string>();
      for (const el of v) {
        const sub: string[] = [];
        treePaths(el, p, sub);
        for (const s of sub) if (!merged.has(s)) merged.add(s);
      }
      out.push(...merged);
    }
  } else if (isBag(v)) {
    for (const k of Object.keys(v)) {
      const p = `${prefix}['${k}']`;
      out.push(p);
      treePaths(v[k], p, out);
    }
  }
}

defineScalar({
  name: "treepath",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => {
    if (!Array.isArray(v) && !isBag(v)) return [];
    const out: string[] = [];
    treePaths(v as Json, "", out);
    return out;
  },
});

// --- building arrays --------------------------------------------------------------------------

defineScalar({
  name: "range",
  minArgs: 2,
  maxArgs: 3,
  impl: (args, ctx) => {
    const t: KustoType = ctx.argTypes[0];
    const start = toNumber(args[0]);
    const stop = toNumber(args[1]);
    const defaultStep = t === "datetime" || t === "timespan" ? TICKS_PER_DAY : 1;
    const step = args.length > 2 ? toNumber(args[2]) : defaultStep;
    if (start === null || stop === null || step === null || step === 0) return null;
    const out: Json[] = [];
    for (let x = start; step > 0 ? x <= stop : x >= stop; x += step) {
      if (out.length >= MAX_RANGE) break;
      out.push(toJson(x, t));
    }
    return out;
  },
});

// --- JSON text --------------------------------------------------------------------------------

function typedJson(v: Json | undefined, t: KustoType): Value {
  if (v === undefined) return t === "string" ? "" : null;
  if (t === "dynamic") return v;
  if (t === "string") return toKustoString(v as Value, "dynamic");
  if (t === "long" || t === "int") {
    const n = toNumber(v as Value);
    return n === null ? null : Math.trunc(n);
  }
  if (t === "real" || t === "decimal") return toNumber(v as Value);
  if (t === "bool") return typeof v === "boolean" ? v : null;
  return typeof v === "string" ? typedText(v, t) : null;
}

defineScalar({
  name: "extract_json",
  aliases: ["extractjson"],
  minArgs: 2,
  maxArgs: 3,
  impl: (args, ctx) => {
    const text = str(args, ctx, 1);
    const root = parseJsonText(text);
    const steps = parseJsonPath(str(args, ctx, 0));
    const found = root === undefined || steps === null ? undefined : getPath(root, steps);
    return typedJson(found, ctx.resultType);
  },
});

/** JSON text with keys sorted, as `dynamic_to_json` writes it. */
function sortedJson(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(",")}]`;
  if (isBag(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(v[k])}`)
      .join(",")}}`;
  return jsonText(v);
}

defineScalar({
  name: "dynamic_to_json",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => sortedJson((v ?? null) as Json),
});
