// The scalar expression compiler: turns an analysed Kusto.Language expression into a closure
// over a row array. Column references become array indexes resolved once at compile time,
// constant sub-expressions are folded (so `Timestamp > ago(30d)` compares against a number),
// and constant `in` lists become a Set. Types come from Kusto.Language's analysis.

import { childrenOf, kindOf, type SyntaxElement } from "../../kusto";
import { child, expandedBody } from "../syntax";
import { lookup, type Binding, type Env, type RunContext, checkTime } from "../context";
import { BudgetError, KqlError, queryError, unsupported } from "../errors";
import {
  aggregateFunction,
  scalarFunction,
  takesExactLongs,
  type CallContext,
} from "../functions/registry";
import {
  DOTNET_TICKS_AT_ENGINE_EPOCH,
  kustoType,
  newBag,
  parseDatetime,
  parseTimespan,
  toDynamic,
  valueToString,
  type Column,
  type Json,
  type KustoType,
  type Table,
  type Value,
  exactLong,
} from "../values";
import { compareValues, valuesEqual } from "./compare";
import * as S from "./strings";
import { compileSearchTerm, termMatcher } from "../operators/search";

/** A compiled scalar expression: evaluated per row; `i` and `rows` serve window functions. */
export type RowFn = (row: Value[], i: number, rows: Value[][]) => Value;

export interface Compiled {
  fn: RowFn;
  type: KustoType;
  /** Set when the expression does not depend on the row: its value. */
  constant?: { value: Value };
  /** Set for a plain column reference: its index. */
  column?: number;
}

/** What an expression can see: the input row's columns, let-bound names, the run context. */
export interface Scope {
  columns: Column[];
  index: Map<string, number>;
  env: Env;
  ctx: RunContext;
  /** In search, bare string terms test every column (see operators/search.ts). */
  searchTerms?: { caseSensitive: boolean };
  /** In scan, `s1.col` reads step s1's state: step name → accessor of a column. */
  stepRefs?: Map<string, (column: string, at: SyntaxElement) => Compiled>;
  /** In extend, how many leading columns are the operator's input (what pack_all() packs). */
  inputWidth?: number;
  /** In summarize, aggregate calls (by text offset) read their result from these row slots. */
  aggregateSlots?: Map<number, number>;
}

export function scopeFor(columns: Column[], env: Env, ctx: RunContext): Scope {
  const index = new Map<string, number>();
  columns.forEach((c, i) => index.set(c.name, i));
  return { columns, index, env, ctx };
}

/** Evaluates a tabular expression; installed by the tabular evaluator (breaks an import cycle). */
export type TabularEvaluator = (node: SyntaxElement, env: Env, ctx: RunContext) => Table;
let evalTabular: TabularEvaluator = () => {
  throw new Error("tabular evaluator not installed");
};
export function setTabularEvaluator(fn: TabularEvaluator): void {
  evalTabular = fn;
}
export function tabular(node: SyntaxElement, env: Env, ctx: RunContext): Table {
  return evalTabular(node, env, ctx);
}

const NON_DETERMINISTIC = new Set(["rand", "new_guid", "newguid"]);

/** The declared names of `(a, b) = …` (a CompoundNamedExpression), in order. */
export function compoundNames(item: SyntaxElement): string[] {
  return listItems(child(child(item, "Names"), "Names")).map((n) => nameOf(n));
}

export function nameOf(e: SyntaxElement | undefined): string {
  if (!e) return "";
  const simple = e.SimpleName;
  if (typeof simple === "string") return simple;
  const n = child(e, "Name");
  if (n && n !== e) return nameOf(n);
  if (e.IsToken) return e.ValueText ?? e.Text ?? "";
  for (const c of childrenOf(e)) {
    const t = nameOf(c);
    if (t) return t;
  }
  return "";
}

/** The engine type Kusto.Language computed for an expression, if it is a known scalar type. */
export function analysedType(node: SyntaxElement): KustoType | undefined {
  const rt = node.ResultType;
  if (!rt || rt.Columns) return undefined;
  return kustoType(rt.Name);
}

/**
 * The column names when Kusto.Language typed the expression as a tuple (a function with
 * several results, like `series_decompose_anomalies` or `array_sort_asc(a, b)`).
 */
export function tupleColumns(node: SyntaxElement): { name: string; type: KustoType }[] | undefined {
  const rt = node.ResultType;
  if (!rt || rt.Kind !== SYMBOL_TUPLE || !rt.Columns) return undefined;
  const out: { name: string; type: KustoType }[] = [];
  for (let i = 0; i < rt.Columns.Count; i++) {
    const c = rt.Columns.getItem(i);
    out.push({ name: c.Name, type: kustoType(c.Type?.Name ?? "") ?? "dynamic" });
  }
  return out;
}

/**
 * Splits a tuple-valued expression into one expression per result. A function with several
 * results returns them as one JS array (see functions/registry.ts).
 */
export function spreadTuple(c: Compiled, count: number, node: SyntaxElement): Compiled[] {
  return Array.from({ length: count }, (_, k) => {
    const f = c.fn;
    return {
      fn: (r: Value[], i: number, rs: Value[][]) => {
        const v = f(r, i, rs);
        if (!Array.isArray(v) || v.length < count) {
          throw queryError(`the function did not return its ${count} results as a list`, node);
        }
        return v[k] as Value;
      },
      type: "dynamic" as KustoType,
    };
  });
}

const SYMBOL_TUPLE = 6;

/** True when Kusto.Language typed this expression as a table. */
export function isTabularNode(node: SyntaxElement): boolean {
  const rt = node.ResultType;
  if (rt && (rt.Columns || rt.IsTabular)) return true;
  const k = kindOf(node);
  if (k === "ParenthesizedExpression") {
    const inner = child(node, "Expression");
    return inner ? isTabularNode(inner) : false;
  }
  return (
    k === "PipeExpression" ||
    k === "DataTableExpression" ||
    k === "PrintOperator" ||
    k === "RangeOperator" ||
    k === "UnionOperator" ||
    k === "MaterializeExpression"
  );
}

function constant(value: Value, type: KustoType): Compiled {
  return { fn: () => value, type, constant: { value } };
}

function literalNumber(text: string): Value {
  const inner = /^\w+\((.*)\)$/s.exec(text.trim());
  const t = (inner ? inner[1] : text).trim().toLowerCase();
  if (t === "null") return null;
  if (t === "nan") return NaN;
  if (t === "+inf" || t === "inf") return Infinity;
  if (t === "-inf") return -Infinity;
  if (/^0x[0-9a-f]+$/.test(t)) return exactLong(BigInt(t));
  // Longs beyond 2^53 stay exact as bigints (see values.ts).
  if (/^[+-]?\d{16,}$/.test(t)) return exactLong(BigInt(t));
  return Number(t);
}

function tokenText(node: SyntaxElement): string {
  const tok = child(node, "Token");
  return tok?.Text ?? "";
}

function innerOfCall(text: string): string {
  const m = /^\w+\((.*)\)$/s.exec(text.trim());
  return m ? m[1].trim() : text.trim();
}

/** Compiles the literal of a dynamic(...) expression to its JSON value. */
function jsonLiteral(node: SyntaxElement, scope: Scope): Json {
  const k = kindOf(node);
  switch (k) {
    case "JsonObjectExpression": {
      const bag = newBag();
      for (const c of childrenOf(node)) {
        for (const pair of flatten(c)) {
          if (kindOf(pair) !== "JsonPair") continue;
          const nameTok = child(pair, "Name");
          const key = nameTok?.ValueText ?? "";
          bag[key] = jsonLiteral(child(pair, "Value") as SyntaxElement, scope);
        }
      }
      return bag;
    }
    case "JsonArrayExpression": {
      const out: Json[] = [];
      for (const c of childrenOf(node)) {
        for (const v of flatten(c)) {
          if (v.IsToken) continue;
          out.push(jsonLiteral(v, scope));
        }
      }
      return out;
    }
    default: {
      const c = compileExpr(node, scope);
      if (!c.constant) throw unsupported("non-constant value inside dynamic()", node);
      return toDynamic(c.constant.value, c.type) as Json;
    }
  }
}

/** The elements of a List / SeparatedElement wrapper (or the node itself). */
export function flatten(node: SyntaxElement): SyntaxElement[] {
  const k = kindOf(node);
  if (k === "List" || k === "SeparatedElement") {
    const out: SyntaxElement[] = [];
    for (const c of childrenOf(node)) {
      if (c.IsToken && kindOf(c) === "CommaToken") continue;
      out.push(...flatten(c));
    }
    return out;
  }
  return [node];
}

/** The expressions of an `Expressions`-style list slot. */
export function listItems(node: SyntaxElement | undefined): SyntaxElement[] {
  if (!node) return [];
  return flatten(node).filter((e) => !e.IsToken);
}

function truthy(v: Value): boolean {
  return v === true;
}

function asString(v: Value, type: KustoType): string {
  if (typeof v === "string") return v;
  return valueToString(v, type);
}

/** Number value of a possibly dynamic operand. */
function num(v: Value): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v))) return Number(v);
  return null;
}

type BinaryFn = (a: Value, b: Value) => Value;

function arithmetic(kind: string, node: SyntaxElement, lt: KustoType, rt: KustoType): BinaryFn {
  const result = analysedType(node);
  const integral =
    (result === "long" || result === "int") &&
    (lt === "long" || lt === "int") &&
    (rt === "long" || rt === "int");
  const op = numberArithmetic(kind, node, result, integral);
  if (result !== "long") return op;
  // Long arithmetic stays on numbers while the operands and the result are safe integers;
  // beyond 2^53 it moves to 64-bit BigInt arithmetic that wraps like Kusto's longs.
  const big = bigArithmetic(kind);
  return (a, b) => {
    if (typeof a === "bigint" || typeof b === "bigint") return big(a, b);
    const r = op(a, b);
    return typeof r === "number" &&
      !Number.isSafeInteger(r) &&
      Number.isFinite(r) &&
      Number.isInteger(a) &&
      Number.isInteger(b)
      ? big(a, b)
      : r;
  };
}

function bigOperand(v: Value): bigint | null {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : null;
  const n = num(v);
  return n === null || !Number.isInteger(n) ? null : BigInt(n);
}

function bigArithmetic(kind: string): BinaryFn {
  return (a, b) => {
    const x = bigOperand(a);
    const y = bigOperand(b);
    if (x === null || y === null) return null;
    switch (kind) {
      case "AddExpression":
        return exactLong(x + y);
      case "SubtractExpression":
        return exactLong(x - y);
      case "MultiplyExpression":
        return exactLong(x * y);
      case "DivideExpression":
        return y === 0n ? null : exactLong(x / y);
      default: {
        if (y === 0n) return null;
        const m = y < 0n ? -y : y;
        return exactLong(((x % m) + m) % m);
      }
    }
  };
}

function numberArithmetic(
  kind: string,
  node: SyntaxElement,
  result: KustoType | undefined,
  integral: boolean,
): BinaryFn {
  switch (kind) {
    case "AddExpression":
      return (a, b) => {
        const x = num(a);
        const y = num(b);
        return x === null || y === null ? null : x + y;
      };
    case "SubtractExpression":
      return (a, b) => {
        const x = num(a);
        const y = num(b);
        return x === null || y === null ? null : x - y;
      };
    case "MultiplyExpression":
      return (a, b) => {
        const x = num(a);
        const y = num(b);
        if (x === null || y === null) return null;
        return result === "timespan" ? Math.round(x * y) : x * y;
      };
    case "DivideExpression":
      if (integral) {
        return (a, b) => {
          const x = num(a);
          const y = num(b);
          if (x === null || y === null || y === 0) return null;
          return Math.trunc(x / y);
        };
      }
      return (a, b) => {
        const x = num(a);
        const y = num(b);
        if (x === null || y === null) return null;
        return result === "timespan" ? Math.round(x / y) : x / y;
      };
    case "ModuloExpression":
      return (a, b) => {
        const x = num(a);
        const y = num(b);
        if (x === null || y === null || y === 0) return null;
        // Kusto's modulo is never negative: -14 % 12 = 10, -14 % -12 = 10.
        const m = Math.abs(y);
        return ((x % m) + m) % m;
      };
  }
  throw unsupported(`operator ${kind}`, node);
}

function comparison(kind: string): BinaryFn {
  switch (kind) {
    case "LessThanExpression":
      return (a, b) => (a === null || b === null ? null : compareValues(a, b) < 0);
    case "LessThanOrEqualExpression":
      return (a, b) => (a === null || b === null ? null : compareValues(a, b) <= 0);
    case "GreaterThanExpression":
      return (a, b) => (a === null || b === null ? null : compareValues(a, b) > 0);
    default:
      return (a, b) => (a === null || b === null ? null : compareValues(a, b) >= 0);
  }
}

/** Brings a dynamic operand to the type of the other side for comparisons. */
function coerceForCompare(c: Compiled, other: KustoType): Compiled {
  if (c.type !== "dynamic" || other === "dynamic") return c;
  const f = c.fn;
  if (other === "string" || other === "guid") {
    return {
      ...c,
      fn: (r, i, rs) => {
        const v = f(r, i, rs);
        return v === null ? null : typeof v === "string" ? v : valueToString(v, "dynamic");
      },
      type: other,
    };
  }
  if (other === "datetime") {
    return {
      ...c,
      fn: (r, i, rs) => {
        const v = f(r, i, rs);
        return typeof v === "string" ? parseDatetime(v) : v;
      },
      type: other,
    };
  }
  if (other === "timespan") {
    return {
      ...c,
      fn: (r, i, rs) => {
        const v = f(r, i, rs);
        return typeof v === "string" ? parseTimespan(v) : v;
      },
      type: other,
    };
  }
  return c;
}

const STRING_OPS: Record<string, { f: (h: string, n: string) => boolean; negate: boolean }> = {
  HasExpression: { f: S.has, negate: false },
  NotHasExpression: { f: S.has, negate: true },
  HasCsExpression: { f: S.hasCs, negate: false },
  NotHasCsExpression: { f: S.hasCs, negate: true },
  HasPrefixExpression: { f: S.hasPrefix, negate: false },
  NotHasPrefixExpression: { f: S.hasPrefix, negate: true },
  HasPrefixCsExpression: { f: S.hasPrefixCs, negate: false },
  NotHasPrefixCsExpression: { f: S.hasPrefixCs, negate: true },
  HasSuffixExpression: { f: S.hasSuffix, negate: false },
  NotHasSuffixExpression: { f: S.hasSuffix, negate: true },
  HasSuffixCsExpression: { f: S.hasSuffixCs, negate: false },
  NotHasSuffixCsExpression: { f: S.hasSuffixCs, negate: true },
  ContainsExpression: { f: S.contains, negate: false },
  NotContainsExpression: { f: S.contains, negate: true },
  ContainsCsExpression: { f: S.containsCs, negate: false },
  NotContainsCsExpression: { f: S.containsCs, negate: true },
  StartsWithExpression: { f: S.startsWith, negate: false },
  NotStartsWithExpression: { f: S.startsWith, negate: true },
  StartsWithCsExpression: { f: S.startsWithCs, negate: false },
  NotStartsWithCsExpression: { f: S.startsWithCs, negate: true },
  EndsWithExpression: { f: S.endsWith, negate: false },
  NotEndsWithExpression: { f: S.endsWith, negate: true },
  EndsWithCsExpression: { f: S.endsWithCs, negate: false },
  NotEndsWithCsExpression: { f: S.endsWithCs, negate: true },
  EqualTildeExpression: { f: S.equalsCi, negate: false },
  BangTildeExpression: { f: S.equalsCi, negate: true },
  MatchesRegexExpression: { f: S.matchesRegex, negate: false },
};

/** Makes a compiled expression constant when all its inputs are (evaluates it once). */
function maybeFold(result: Compiled, parts: Compiled[]): Compiled {
  if (parts.every((p) => p.constant)) {
    const value = result.fn([], 0, []);
    return constant(value, result.type);
  }
  return result;
}

/** The values a list operand (`in (…)`, `has_any (…)`) stands for, when constant. */
function listValues(
  items: SyntaxElement[],
  scope: Scope,
): { constants: Value[] | null; compiled: Compiled[] } {
  const compiled: Compiled[] = [];
  const constants: Value[] = [];
  let allConstant = true;
  for (const item of items) {
    if (isTabularNode(item)) {
      const t = tabular(item, scope.env, scope.ctx);
      for (const r of t.rows) constants.push(r[0]);
      continue;
    }
    const c = compileExpr(item, scope);
    compiled.push(c);
    if (c.constant) {
      const v = c.constant.value;
      if (Array.isArray(v)) for (const x of v as Value[]) constants.push(x);
      else constants.push(v);
    } else allConstant = false;
  }
  return { constants: allConstant ? constants : null, compiled };
}

function compileIn(node: SyntaxElement, scope: Scope, kind: string): Compiled {
  const left = compileExpr(child(node, "Left") as SyntaxElement, scope);
  const items = listItems(child(child(node, "Right") as SyntaxElement, "Expressions"));
  const negate = kind.startsWith("Not");
  const ci = kind === "InCsExpression" || kind === "NotInCsExpression"; // `in~` is "InCs" here
  const { constants, compiled } = listValues(items, scope);
  const lf = left.fn;
  const norm = (v: Value): Value =>
    ci && typeof v === "string"
      ? v.toLowerCase()
      : typeof v === "object" && v !== null
        ? JSON.stringify(v)
        : v;
  const normLeft = (v: Value): Value => {
    if (left.type === "dynamic" && typeof v === "string") return ci ? v.toLowerCase() : v;
    return norm(v);
  };
  if (constants) {
    const set = new Set<Value>(constants.map(norm));
    if (!ci && left.type !== "dynamic") {
      return maybeFold(
        {
          fn: negate
            ? (r, i, rs) => {
                const v = lf(r, i, rs);
                return v === null && left.type !== "string" ? !set.has(null) : !set.has(v);
              }
            : (r, i, rs) => set.has(lf(r, i, rs)),
          type: "bool",
        },
        [left],
      );
    }
    return maybeFold(
      {
        fn: (r, i, rs) => {
          const hit = set.has(normLeft(lf(r, i, rs)));
          return negate ? !hit : hit;
        },
        type: "bool",
      },
      [left],
    );
  }
  return {
    fn: (r, i, rs) => {
      const v = normLeft(lf(r, i, rs));
      let hit = false;
      for (const c of compiled) {
        const x = c.fn(r, i, rs);
        if (Array.isArray(x)) {
          if ((x as Value[]).some((e) => norm(e) === v)) hit = true;
        } else if (norm(x) === v) hit = true;
        if (hit) break;
      }
      return negate ? !hit : hit;
    },
    type: "bool",
  };
}

function compileHasAnyAll(node: SyntaxElement, scope: Scope, all: boolean): Compiled {
  const left = compileExpr(child(node, "Left") as SyntaxElement, scope);
  const items = listItems(child(child(node, "Right") as SyntaxElement, "Expressions"));
  const { constants, compiled } = listValues(items, scope);
  const lf = left.fn;
  const lt = left.type;
  const test = (hay: string, needles: Value[]): boolean => {
    if (all) {
      for (const n of needles) if (!S.has(hay, asString(n, "dynamic"))) return false;
      return true;
    }
    for (const n of needles) if (S.has(hay, asString(n, "dynamic"))) return true;
    return false;
  };
  if (constants) {
    const lowered = constants.map((n) => asString(n, "dynamic").toLowerCase());
    return maybeFold(
      {
        fn: (r, i, rs) => {
          const hay = asString(lf(r, i, rs), lt);
          if (all) {
            for (const n of lowered) if (!S.hasLowered(hay, n)) return false;
            return true;
          }
          for (const n of lowered) if (S.hasLowered(hay, n)) return true;
          return false;
        },
        type: "bool",
      },
      [left],
    );
  }
  return {
    fn: (r, i, rs) => {
      const needles: Value[] = [];
      for (const c of compiled) {
        const x = c.fn(r, i, rs);
        if (Array.isArray(x)) for (const e of x as Value[]) needles.push(e);
        else needles.push(x);
      }
      return test(asString(lf(r, i, rs), lt), needles);
    },
    type: "bool",
  };
}

function compileBetween(node: SyntaxElement, scope: Scope, negate: boolean): Compiled {
  const left = compileExpr(child(node, "Left") as SyntaxElement, scope);
  const couple = child(node, "Right") as SyntaxElement;
  const lo = compileExpr(child(couple, "First") as SyntaxElement, scope);
  const hi = compileExpr(child(couple, "Second") as SyntaxElement, scope);
  const relative = (left.type === "datetime" || lo.type === "datetime") && hi.type === "timespan";
  const lf = left.fn;
  const lof = lo.fn;
  const hif = hi.fn;
  return maybeFold(
    {
      fn: (r, i, rs) => {
        const v = lf(r, i, rs);
        const a = lof(r, i, rs);
        let b = hif(r, i, rs);
        if (v === null || a === null || b === null) return null;
        if (relative) b = (a as number) + (b as number);
        const inside = compareValues(v, a) >= 0 && compareValues(v, b) <= 0;
        return negate ? !inside : inside;
      },
      type: "bool",
    },
    [left, lo, hi],
  );
}

function compileStringOp(node: SyntaxElement, scope: Scope, kind: string): Compiled {
  const op = STRING_OPS[kind];
  const left = compileExpr(child(node, "Left") as SyntaxElement, scope);
  const right = compileExpr(child(node, "Right") as SyntaxElement, scope);
  const lf = left.fn;
  const lt = left.type;
  const rt = right.type;
  if (kind === "MatchesRegexExpression") {
    if (right.constant) {
      const re = compileRegex(asString(right.constant.value, rt), node);
      return maybeFold(
        { fn: (r, i, rs) => re.matcher(asString(lf(r, i, rs), lt)).find(), type: "bool" },
        [left],
      );
    }
  }
  if (right.constant) {
    const needle = asString(right.constant.value, rt);
    const lowered = needle.toLowerCase();
    const { f, negate } = op;
    if (kind === "HasExpression" || kind === "NotHasExpression") {
      return maybeFold(
        {
          fn: (r, i, rs) => S.hasLowered(asString(lf(r, i, rs), lt), lowered) !== negate,
          type: "bool",
        },
        [left],
      );
    }
    return maybeFold(
      { fn: (r, i, rs) => f(asString(lf(r, i, rs), lt), needle) !== negate, type: "bool" },
      [left],
    );
  }
  const rf = right.fn;
  const { f, negate } = op;
  return maybeFold(
    {
      fn: (r, i, rs) => f(asString(lf(r, i, rs), lt), asString(rf(r, i, rs), rt)) !== negate,
      type: "bool",
    },
    [left, right],
  );
}

function compileRegex(pattern: string, node: SyntaxElement) {
  try {
    return S.re2(pattern);
  } catch (err) {
    throw queryError(
      `invalid regular expression ${JSON.stringify(pattern)}: ${err instanceof Error ? err.message : String(err)}`,
      node,
    );
  }
}

/** Reads `obj.key` / `arr[i]` of a dynamic value (null when absent). */
export function member(v: Value, key: Value): Value {
  if (v === null || typeof v !== "object") {
    if (typeof v === "string" && (v.startsWith("{") || v.startsWith("["))) {
      try {
        return member(JSON.parse(v) as Value, key);
      } catch {
        return null;
      }
    }
    return null;
  }
  if (Array.isArray(v)) {
    if (typeof key !== "number") return null;
    const idx = key < 0 ? v.length + key : key;
    const x = v[idx];
    return x === undefined ? null : (x as Value);
  }
  const x = (v as Record<string, Json>)[String(key)];
  return x === undefined ? null : (x as Value);
}

function compileElement(node: SyntaxElement, scope: Scope): Compiled {
  const kind = kindOf(node);
  const target = child(node, "Expression") as SyntaxElement;
  const selector = child(node, "Selector") as SyntaxElement;
  if (scope.stepRefs && kind === "PathExpression" && kindOf(target) === "NameReference") {
    const ref = scope.stepRefs.get(nameOf(target));
    if (ref) return ref(nameOf(selector), node);
  }
  // A column whose name needs brackets (`['a b']`) is also an ElementExpression in some trees.
  const base = compileExpr(target, scope);
  const bf = base.fn;
  let key: Compiled;
  if (kind === "PathExpression") {
    const sk = kindOf(selector);
    if (sk === "BracketedExpression")
      key = compileExpr(child(selector, "Expression") as SyntaxElement, scope);
    else key = constant(nameOf(selector), "string");
  } else {
    key = compileExpr(child(selector, "Expression") as SyntaxElement, scope);
  }
  const kf = key.fn;
  const result = analysedType(node);
  const type: KustoType =
    result && result !== "dynamic" && base.type !== "dynamic" ? result : "dynamic";
  return maybeFold({ fn: (r, i, rs) => member(bf(r, i, rs), kf(r, i, rs)), type }, [base, key]);
}

function compileNameReference(node: SyntaxElement, scope: Scope): Compiled {
  const name = nameOf(node);
  const idx = scope.index.get(name);
  const binding = lookup(scope.env, name);
  // Kusto.Language knows whether the name binds to a column or to a let/parameter.
  const symbolKind = node.ReferencedSymbol?.Kind;
  const preferColumn = symbolKind === SYMBOL_COLUMN || !binding;
  if (idx !== undefined && preferColumn) {
    const type = scope.columns[idx].type;
    return { fn: (r) => r[idx], type, column: idx };
  }
  if (binding) return compileBinding(binding, node, scope);
  if (idx !== undefined) {
    const type = scope.columns[idx].type;
    return { fn: (r) => r[idx], type, column: idx };
  }
  const fn = zeroArgFunction(name, node, scope);
  if (fn) return fn;
  throw queryError(`unknown name '${name}'`, node);
}

const SYMBOL_COLUMN = 9;

function compileBinding(b: Binding, node: SyntaxElement, scope: Scope): Compiled {
  switch (b.kind) {
    case "scalar":
      return constant(b.value, b.type);
    case "lazyScalar": {
      const { value, type } = b.get();
      return constant(value, type);
    }
    case "expr":
      return b.compiled;
    case "table": {
      // A table used as a scalar: Kusto allows a single-cell table (like toscalar).
      const t = b.get();
      const v = t.rows.length ? t.rows[0][0] : null;
      return constant(v, t.columns[0]?.type ?? "dynamic");
    }
    case "function":
      return callUserFunction(b, [], node, scope);
  }
}

function zeroArgFunction(name: string, node: SyntaxElement, scope: Scope): Compiled | undefined {
  const fn = scalarFunction(name);
  if (fn && fn.minArgs === 0) {
    const ctx: CallContext = {
      now: scope.ctx.now,
      resultType: analysedType(node) ?? "dynamic",
      argTypes: [],
    };
    return constant(fn.impl([], ctx), ctx.resultType);
  }
  return undefined;
}

/** Inlines a call of a let-bound lambda: parameters become bindings of the argument closures. */
function callUserFunction(
  b: Extract<Binding, { kind: "function" }>,
  args: SyntaxElement[],
  node: SyntaxElement,
  scope: Scope,
): Compiled {
  const env = bindParameters(b, args, node, scope);
  const body = child(b.decl, "Body") as SyntaxElement;
  return compileFunctionBody(expandedBody(node, body), { ...scope, env });
}

/** Binds a lambda's parameters to the call's arguments, in a new environment over its closure. */
export function bindParameters(
  b: Extract<Binding, { kind: "function" }>,
  args: SyntaxElement[],
  node: SyntaxElement,
  scope: Scope,
  tableArgs: Table[] = [],
): Env {
  const params = listItems(child(child(b.decl, "Parameters") as SyntaxElement, "Parameters"));
  const env: Env = { vars: new Map(), parent: b.env };
  let tableIdx = 0;
  // Arguments may be positional or named (`f(c=7, a=12)`).
  const named = new Map<string, SyntaxElement>();
  const positional: (SyntaxElement | undefined)[] = [];
  for (const a of args) {
    if (a && kindOf(a) === "SimpleNamedExpression")
      named.set(nameOf(child(a, "Name")), child(a, "Expression") as SyntaxElement);
    else positional.push(a);
  }
  let nextPositional = 0;
  params.forEach((p) => {
    const decl = child(p, "NameAndType") as SyntaxElement;
    const pname = nameOf(child(decl, "Name"));
    const typeNode = child(decl, "Type");
    const isTable = typeNode ? kindOf(typeNode) === "SchemaTypeExpression" : false;
    const arg = named.has(pname) ? named.get(pname) : positional[nextPositional++];
    if (isTable) {
      const t =
        tableIdx < tableArgs.length && !arg
          ? tableArgs[tableIdx]
          : arg
            ? tabular(arg, scope.env, scope.ctx)
            : tableArgs[tableIdx];
      tableIdx++;
      if (!t) throw queryError(`missing table argument '${pname}'`, node);
      env.vars.set(pname, { kind: "table", get: () => t });
      return;
    }
    if (arg) {
      if (isTabularNode(arg)) {
        const t = tabular(arg, scope.env, scope.ctx);
        env.vars.set(pname, { kind: "table", get: () => t });
      } else {
        const compiled = compileExpr(arg, scope);
        env.vars.set(pname, { kind: "expr", compiled, shadowsColumns: true });
      }
      return;
    }
    const def = child(p, "DefaultValue");
    if (def) {
      const compiled = compileExpr(child(def, "Value") as SyntaxElement, scope);
      env.vars.set(pname, { kind: "expr", compiled, shadowsColumns: true });
      return;
    }
    throw queryError(`missing argument '${pname}' in call`, node);
  });
  return env;
}

/** Compiles a function body `{ let …; expr }` as a scalar expression. */
export function compileFunctionBody(body: SyntaxElement, scope: Scope): Compiled {
  const env: Env = { vars: new Map(), parent: scope.env };
  const inner: Scope = { ...scope, env };
  for (const st of listItems(child(body, "Statements"))) {
    if (kindOf(st) === "LetStatement") bindLet(st, inner);
  }
  return compileExpr(child(body, "Expression") as SyntaxElement, inner);
}

/** Adds one `let` to the scope's environment (scalars compile in the scope's row context). */
export function bindLet(st: SyntaxElement, scope: Scope): void {
  const name = nameOf(child(st, "Name"));
  const expr = child(st, "Expression") as SyntaxElement;
  const k = kindOf(expr);
  if (k === "FunctionDeclaration") {
    scope.env.vars.set(name, { kind: "function", decl: expr, env: scope.env });
    return;
  }
  if (isTabularNode(expr)) {
    let cached: Table | undefined;
    const env = scope.env;
    const ctx = scope.ctx;
    scope.env.vars.set(name, {
      kind: "table",
      get: () => (cached ??= tabular(expr, env, ctx)),
    });
    return;
  }
  const compiled = compileExpr(expr, scope);
  scope.env.vars.set(name, { kind: "expr", compiled, shadowsColumns: true });
}

function callContext(node: SyntaxElement, scope: Scope, args: Compiled[]): CallContext {
  return {
    now: scope.ctx.now,
    resultType: analysedType(node) ?? "dynamic",
    argTypes: args.map((a) => a.type),
  };
}

function compileCall(node: SyntaxElement, scope: Scope): Compiled {
  const name = nameOf(child(node, "Name"));
  const argNodes = listItems(child(child(node, "ArgumentList") as SyntaxElement, "Expressions"));
  const binding = lookup(scope.env, name);
  if (binding && binding.kind === "function")
    return callUserFunction(binding, argNodes, node, scope);
  const special = compileSpecialCall(name, argNodes, node, scope);
  if (special) return special;
  const fn = scalarFunction(name);
  if (!fn) {
    if (aggregateFunction(name))
      throw queryError(`aggregate '${name}()' used outside summarize`, node);
    throw unsupported(`function '${name}()'`, node);
  }
  if (argNodes.length < fn.minArgs || argNodes.length > fn.maxArgs) {
    throw queryError(`function '${name}()' called with ${argNodes.length} arguments`, node);
  }
  const args = argNodes.map((a) => compileArgument(a, scope));
  const ctx = callContext(node, scope, args);
  const impl = positioned(fn.impl, name, node);
  if (!takesExactLongs(fn)) for (let k = 0; k < args.length; k++) args[k] = roundedLongs(args[k]);
  const fns = args.map((a) => a.fn);
  let compiled: Compiled;
  switch (fns.length) {
    case 0:
      compiled = { fn: () => impl([], ctx), type: ctx.resultType };
      break;
    case 1: {
      const [a] = fns;
      compiled = { fn: (r, i, rs) => impl([a(r, i, rs)], ctx), type: ctx.resultType };
      break;
    }
    case 2: {
      const [a, b] = fns;
      compiled = { fn: (r, i, rs) => impl([a(r, i, rs), b(r, i, rs)], ctx), type: ctx.resultType };
      break;
    }
    default:
      compiled = {
        fn: (r, i, rs) =>
          impl(
            fns.map((f) => f(r, i, rs)),
            ctx,
          ),
        type: ctx.resultType,
      };
  }
  if (NON_DETERMINISTIC.has(name)) return compiled;
  return maybeFold(compiled, args);
}

/**
 * The function's implementation, with its errors placed at the call: a function reports what
 * went wrong ("invalid regular expression …"), the call site adds where.
 */
function positioned(
  impl: (args: Value[], ctx: CallContext) => Value,
  name: string,
  node: SyntaxElement,
): (args: Value[], ctx: CallContext) => Value {
  return (args, ctx) => {
    try {
      return impl(args, ctx);
    } catch (err) {
      if (err instanceof KqlError && err.line === undefined && !(err instanceof BudgetError))
        throw queryError(`${name}(): ${err.message}`, node);
      throw err;
    }
  };
}

/**
 * A long-typed argument for a function that works on numbers: a bigint (a long beyond 2^53)
 * becomes the nearest number. Other arguments are returned as they are.
 */
export function roundedLongs(c: Compiled): Compiled {
  if (c.type !== "long") return c;
  if (c.constant) {
    const v = c.constant.value;
    if (typeof v !== "bigint") return c;
    return { ...c, fn: () => Number(v), constant: { value: Number(v) } };
  }
  const f = c.fn;
  return {
    ...c,
    fn: (r, i, rs) => {
      const v = f(r, i, rs);
      return typeof v === "bigint" ? Number(v) : v;
    },
  };
}

/** An argument: scalar, or a tabular one turned into a constant dynamic array of its first column. */
function compileArgument(a: SyntaxElement, scope: Scope): Compiled {
  if (kindOf(a) === "StarExpression") throw unsupported("'*' argument here", a);
  // Named arguments (`make_set(x, maxSize=10)`) are passed by position.
  if (kindOf(a) === "SimpleNamedExpression")
    return compileExpr(child(a, "Expression") as SyntaxElement, scope);
  return compileExpr(a, scope);
}

function compileSpecialCall(
  name: string,
  args: SyntaxElement[],
  node: SyntaxElement,
  scope: Scope,
): Compiled | undefined {
  switch (name) {
    case "now": {
      if (args.length === 0) return constant(scope.ctx.now, "datetime");
      const off = compileExpr(args[0], scope);
      return maybeFold(
        { fn: (r, i, rs) => scope.ctx.now + ((off.fn(r, i, rs) as number) ?? 0), type: "datetime" },
        [off],
      );
    }
    case "ago": {
      const off = compileExpr(args[0], scope);
      return maybeFold(
        {
          fn: (r, i, rs) => {
            const v = off.fn(r, i, rs);
            return typeof v === "number" ? scope.ctx.now - v : null;
          },
          type: "datetime",
        },
        [off],
      );
    }
    case "iff":
    case "iif": {
      const [c, t, f] = args.map((a) => compileExpr(a, scope));
      const type = analysedType(node) ?? t.type;
      return maybeFold(
        { fn: (r, i, rs) => (truthy(c.fn(r, i, rs)) ? t.fn(r, i, rs) : f.fn(r, i, rs)), type },
        [c, t, f],
      );
    }
    case "case": {
      const parts = args.map((a) => compileExpr(a, scope));
      const type = analysedType(node) ?? parts[1]?.type ?? "dynamic";
      const n = parts.length;
      return maybeFold(
        {
          fn: (r, i, rs) => {
            for (let k = 0; k + 1 < n; k += 2)
              if (truthy(parts[k].fn(r, i, rs))) return parts[k + 1].fn(r, i, rs);
            return parts[n - 1].fn(r, i, rs);
          },
          type,
        },
        parts,
      );
    }
    case "iscolumnexists": {
      const col = compileExpr(args[0], scope);
      if (!col.constant) throw queryError("iscolumnexists() needs a constant column name", node);
      return constant(scope.index.has(String(col.constant.value)), "bool");
    }
    case "column_ifexists":
    case "columnifexists": {
      const col = compileExpr(args[0], scope);
      if (!col.constant) throw queryError("column_ifexists() needs a constant column name", node);
      const idx = scope.index.get(String(col.constant.value));
      if (idx !== undefined)
        return { fn: (r) => r[idx], type: scope.columns[idx].type, column: idx };
      return compileExpr(args[1], scope);
    }
    case "pack_all":
    case "bag_pack_all": {
      const cols = scope.columns.slice(0, scope.inputWidth ?? scope.columns.length);
      const skipNulls =
        args.length > 0 ? compileExpr(args[0], scope).constant?.value === true : false;
      return {
        fn: (r) => {
          const bag = newBag();
          for (let k = 0; k < cols.length; k++) {
            const v = r[k];
            if (skipNulls && (v === null || v === "")) continue;
            bag[cols[k].name] = toDynamic(v, cols[k].type);
          }
          return bag;
        },
        type: "dynamic",
      };
    }
    case "row_number": {
      const start = args[0] ? compileExpr(args[0], scope) : constant(1, "long");
      const restart = args[1] ? compileExpr(args[1], scope) : undefined;
      let counter = 0;
      return {
        fn: (r, i, rs) => {
          const s = (start.fn(r, i, rs) as number) ?? 1;
          if (i === 0 || (restart && truthy(restart.fn(r, i, rs)))) counter = s;
          else counter++;
          return counter;
        },
        type: "long",
      };
    }
    case "row_cumsum": {
      const term = compileExpr(args[0], scope);
      const restart = args[1] ? compileExpr(args[1], scope) : undefined;
      let sum = 0;
      return {
        fn: (r, i, rs) => {
          if (i === 0 || (restart && truthy(restart.fn(r, i, rs)))) sum = 0;
          const v = term.fn(r, i, rs);
          if (typeof v === "number") sum += v;
          return sum;
        },
        type: term.type,
      };
    }
    case "bin":
    case "floor": {
      // The hot path of `summarize … by bin(Timestamp, 1h)`: a constant bin size is applied
      // inline (same results as the registry's bin, without a call and array per row).
      if (args.length !== 2) return undefined;
      const value = compileExpr(args[0], scope);
      const size = compileExpr(args[1], scope);
      const s = size.constant?.value;
      if (typeof s !== "number" || !(s > 0) || value.constant) return undefined;
      const vf = value.fn;
      const t = value.type;
      if (t === "datetime") {
        // Kusto bins datetimes from 0001-01-01; the engine's epoch is 2020-01-01.
        const offset = Number(DOTNET_TICKS_AT_ENGINE_EPOCH % BigInt(Math.round(s)));
        return {
          fn: (r, i, rs) => {
            const v = vf(r, i, rs);
            if (typeof v !== "number") return null;
            const m = (v + offset) % s;
            return v - (m < 0 ? m + s : m);
          },
          type: "datetime",
        };
      }
      if (t === "timespan" || t === "real" || t === "long" || t === "int") {
        const integral = t === "long" || t === "int";
        const bigSize = integral && Number.isInteger(s) ? BigInt(s) : null;
        return {
          fn: (r, i, rs) => {
            const v = vf(r, i, rs);
            if (typeof v === "bigint") {
              // A long beyond 2^53: bin exactly.
              if (bigSize === null) return Math.floor(Number(v) / s) * s;
              const m = ((v % bigSize) + bigSize) % bigSize;
              return exactLong(v - m);
            }
            if (typeof v !== "number" || !Number.isFinite(v)) return null;
            const b = Math.floor(v / s) * s;
            return integral ? Math.round(b) : b;
          },
          type: analysedType(node) ?? t,
        };
      }
      return undefined;
    }
    case "ingestion_time":
      // In-memory tables have no ingestion-time policy; Kusto returns null then.
      return constant(null, "datetime");
    case "row_window_session": {
      const [term, maxFromFirst, maxBetween, restart] = args.map((a) => compileExpr(a, scope));
      let sessionStart: Value = null;
      let previous: Value = null;
      return {
        fn: (r, i, rs) => {
          const v = term.fn(r, i, rs);
          const first = maxFromFirst.fn(r, i, rs) as number;
          const between = maxBetween.fn(r, i, rs) as number;
          if (
            i === 0 ||
            v === null ||
            sessionStart === null ||
            (restart && truthy(restart.fn(r, i, rs))) ||
            Math.abs((v as number) - (sessionStart as number)) > first ||
            previous === null ||
            Math.abs((v as number) - (previous as number)) > between
          ) {
            sessionStart = v;
          }
          previous = v;
          return sessionStart;
        },
        type: term.type,
      };
    }
    case "row_rank":
    case "row_rank_dense":
    case "row_rank_min": {
      const term = compileExpr(args[0], scope);
      const restart = args[1] ? compileExpr(args[1], scope) : undefined;
      let rank = 0;
      let prev: Value = null;
      let rowInPartition = 0;
      return {
        fn: (r, i, rs) => {
          const v = term.fn(r, i, rs);
          if (i === 0 || (restart && truthy(restart.fn(r, i, rs)))) {
            rank = 1;
            rowInPartition = 1;
          } else {
            rowInPartition++;
            if (!valuesEqual(v, prev)) rank = name === "row_rank_dense" ? rank + 1 : rowInPartition;
          }
          prev = v;
          return rank;
        },
        type: "long",
      };
    }
    case "prev":
    case "next": {
      const term = compileExpr(args[0], scope);
      const off = args[1] ? compileExpr(args[1], scope) : constant(1, "long");
      const def = args[2] ? compileExpr(args[2], scope) : undefined;
      const dir = name === "prev" ? -1 : 1;
      return {
        fn: (r, i, rs) => {
          const j = i + dir * ((off.fn(r, i, rs) as number) ?? 1);
          if (j < 0 || j >= rs.length)
            return def ? def.fn(r, i, rs) : term.type === "string" ? "" : null;
          return term.fn(rs[j], j, rs);
        },
        type: term.type,
      };
    }
    case "bag_pack_columns": {
      // Packs columns under their own names, so it needs the columns, not just their values.
      const parts = args.map((a) => {
        const c = compileExpr(a, scope);
        if (c.column === undefined) throw queryError("bag_pack_columns() takes column names", a);
        return { name: scope.columns[c.column].name, c };
      });
      return {
        fn: (r, i, rs) => {
          const bag = newBag();
          for (const p of parts) bag[p.name] = toDynamic(p.c.fn(r, i, rs), p.c.type);
          return bag;
        },
        type: "dynamic",
      };
    }
    case "column_names_of": {
      const t = tabular(args[0], scope.env, scope.ctx);
      return constant(
        t.columns.map((c) => c.name),
        "dynamic",
      );
    }
    default:
      return undefined;
  }
}

function compileToScalar(node: SyntaxElement, scope: Scope): Compiled {
  const expr = child(node, "Expression") as SyntaxElement;
  if (!isTabularNode(expr)) return compileExpr(expr, scope);
  const t = tabular(expr, scope.env, scope.ctx);
  const v = t.rows.length ? t.rows[0][0] : null;
  const type = t.columns[0]?.type ?? analysedType(node) ?? "dynamic";
  return constant(v === null && type === "string" ? "" : v, type);
}

function and(a: Value, b: Value): Value {
  if (a === false || b === false) return false;
  if (a === null || b === null) return null;
  return true;
}

function or(a: Value, b: Value): Value {
  if (a === true || b === true) return true;
  if (a === null || b === null) return null;
  return false;
}

/** Compiles a scalar expression. */
export function compileExpr(node: SyntaxElement, scope: Scope): Compiled {
  checkTime(scope.ctx);
  const kind = kindOf(node);
  switch (kind) {
    case "BooleanLiteralExpression": {
      const t = innerOfCall(tokenText(node)).toLowerCase();
      return constant(t === "null" ? null : t === "true" || t === "1", "bool");
    }
    case "IntLiteralExpression":
      return constant(literalNumber(tokenText(node)), "int");
    case "LongLiteralExpression":
      return constant(literalNumber(tokenText(node)), "long");
    case "RealLiteralExpression":
      return constant(literalNumber(tokenText(node)), "real");
    case "DecimalLiteralExpression":
      return constant(literalNumber(tokenText(node)), "decimal");
    case "StringLiteralExpression":
    case "CompoundStringLiteralExpression":
      if (scope.searchTerms && analysedType(node) === "bool") {
        return compileSearchTerm(
          String(node.LiteralValue ?? stringTokens(node)),
          scope.columns,
          scope.searchTerms.caseSensitive,
        );
      }
      return constant(
        typeof node.LiteralValue === "string" ? node.LiteralValue : stringTokens(node),
        "string",
      );
    case "GuidLiteralExpression": {
      const t = innerOfCall(tokenText(node));
      return constant(t.toLowerCase() === "null" ? null : t.toLowerCase(), "guid");
    }
    case "DateTimeLiteralExpression": {
      const t = innerOfCall(tokenText(node)).replace(/^(['"])(.*)\1$/s, "$2");
      if (t.toLowerCase() === "null") return constant(null, "datetime");
      const v = parseDatetime(t);
      if (v === null) throw queryError(`cannot read datetime literal '${t}'`, node);
      return constant(v, "datetime");
    }
    case "TimespanLiteralExpression": {
      const text = tokenText(node);
      const t = /^(time|timespan)\(/i.test(text) ? innerOfCall(text) : text;
      if (t.toLowerCase() === "null") return constant(null, "timespan");
      const v = parseTimespan(t);
      if (v === null) throw queryError(`cannot read timespan literal '${text}'`, node);
      return constant(v, "timespan");
    }
    case "NullLiteralExpression":
      return constant(null, analysedType(node) ?? "dynamic");
    case "DynamicExpression": {
      const inner = child(node, "Expression") as SyntaxElement;
      return constant(jsonLiteral(inner, scope) as Value, "dynamic");
    }
    case "TokenLiteralExpression":
      return constant(tokenText(node), "string");
    case "TypeOfLiteralExpression": {
      // typeof(long) as an argument (extract(…, typeof(long))): the type's name.
      const text = stringTokens(node)
        .replace(/^typeof\(|\)$/gi, "")
        .trim();
      return constant(kustoType(text) ?? text, "string");
    }
    case "ParenthesizedExpression": {
      const inner = child(node, "Expression") as SyntaxElement;
      if (isTabularNode(inner)) return compileToScalar(node, scope);
      return compileExpr(inner, scope);
    }
    case "NameReference":
    case "BracketedName":
      return compileNameReference(node, scope);
    case "PathExpression":
    case "ElementExpression":
      return compileElement(node, scope);
    case "UnaryMinusExpression": {
      const e = compileExpr(child(node, "Expression") as SyntaxElement, scope);
      const f = e.fn;
      return maybeFold(
        {
          fn: (r, i, rs) => {
            const x = f(r, i, rs);
            if (typeof x === "bigint") return exactLong(-x);
            const v = num(x);
            return v === null ? null : -v;
          },
          type: e.type,
        },
        [e],
      );
    }
    case "UnaryPlusExpression":
      return compileExpr(child(node, "Expression") as SyntaxElement, scope);
    case "AddExpression":
    case "SubtractExpression":
    case "MultiplyExpression":
    case "DivideExpression":
    case "ModuloExpression": {
      const l = compileExpr(child(node, "Left") as SyntaxElement, scope);
      const r = compileExpr(child(node, "Right") as SyntaxElement, scope);
      const op = arithmetic(kind, node, l.type, r.type);
      const lf = l.fn;
      const rf = r.fn;
      const type = analysedType(node) ?? (l.type === "real" || r.type === "real" ? "real" : l.type);
      return maybeFold({ fn: (row, i, rs) => op(lf(row, i, rs), rf(row, i, rs)), type }, [l, r]);
    }
    case "EqualExpression":
    case "NotEqualExpression": {
      let l = compileExpr(child(node, "Left") as SyntaxElement, scope);
      let r = compileExpr(child(node, "Right") as SyntaxElement, scope);
      l = coerceForCompare(l, r.type);
      r = coerceForCompare(r, l.type);
      const lf = l.fn;
      const negate = kind === "NotEqualExpression";
      if (r.constant && r.constant.value !== null && typeof r.constant.value !== "object") {
        const c = r.constant.value;
        const stringy = l.type === "string";
        return maybeFold(
          {
            fn: (row, i, rs) => {
              const v = lf(row, i, rs);
              if (v === null) return stringy ? negate : negate;
              return (v === c || (typeof v === "object" && valuesEqual(v, c))) !== negate;
            },
            type: "bool",
          },
          [l],
        );
      }
      const rf = r.fn;
      return maybeFold(
        {
          fn: (row, i, rs) => {
            const a = lf(row, i, rs);
            const b = rf(row, i, rs);
            // null equals nothing (not even null, which gives null); a value is != null.
            if (a === null || b === null) return a === null && b === null ? null : negate;
            return valuesEqual(a, b) !== negate;
          },
          type: "bool",
        },
        [l, r],
      );
    }
    case "LessThanExpression":
    case "LessThanOrEqualExpression":
    case "GreaterThanExpression":
    case "GreaterThanOrEqualExpression": {
      let l = compileExpr(child(node, "Left") as SyntaxElement, scope);
      let r = compileExpr(child(node, "Right") as SyntaxElement, scope);
      l = coerceForCompare(l, r.type);
      r = coerceForCompare(r, l.type);
      const lf = l.fn;
      if (r.constant && typeof r.constant.value === "number" && l.type !== "dynamic") {
        const c = r.constant.value;
        let fn: RowFn;
        switch (kind) {
          case "LessThanExpression":
            fn = (row, i, rs) => {
              const v = lf(row, i, rs);
              return v === null ? null : (v as number) < c;
            };
            break;
          case "LessThanOrEqualExpression":
            fn = (row, i, rs) => {
              const v = lf(row, i, rs);
              return v === null ? null : (v as number) <= c;
            };
            break;
          case "GreaterThanExpression":
            fn = (row, i, rs) => {
              const v = lf(row, i, rs);
              return v === null ? null : (v as number) > c;
            };
            break;
          default:
            fn = (row, i, rs) => {
              const v = lf(row, i, rs);
              return v === null ? null : (v as number) >= c;
            };
        }
        return maybeFold({ fn, type: "bool" }, [l]);
      }
      const op = comparison(kind);
      const rf = r.fn;
      return maybeFold({ fn: (row, i, rs) => op(lf(row, i, rs), rf(row, i, rs)), type: "bool" }, [
        l,
        r,
      ]);
    }
    case "AndExpression":
    case "OrExpression": {
      const l = compileExpr(child(node, "Left") as SyntaxElement, scope);
      const r = compileExpr(child(node, "Right") as SyntaxElement, scope);
      const lf = l.fn;
      const rf = r.fn;
      const fn: RowFn =
        kind === "AndExpression"
          ? (row, i, rs) => {
              const a = lf(row, i, rs);
              if (a === false) return false;
              return and(a, rf(row, i, rs));
            }
          : (row, i, rs) => {
              const a = lf(row, i, rs);
              if (a === true) return true;
              return or(a, rf(row, i, rs));
            };
      return maybeFold({ fn, type: "bool" }, [l, r]);
    }
    case "InExpression":
    case "InCsExpression":
    case "NotInExpression":
    case "NotInCsExpression":
      return compileIn(node, scope, kind);
    case "HasAnyExpression":
      return compileHasAnyAll(node, scope, false);
    case "HasAllExpression":
      return compileHasAnyAll(node, scope, true);
    case "BetweenExpression":
    case "NotBetweenExpression":
      return compileBetween(node, scope, kind === "NotBetweenExpression");
    case "FunctionCallExpression": {
      const slot = scope.aggregateSlots?.get(node.TextStart);
      if (slot !== undefined)
        return { fn: (r) => r[slot], type: scope.columns[slot].type, column: slot };
      return compileCall(node, scope);
    }
    case "ToScalarExpression":
      return compileToScalar(node, scope);
    case "BracketedExpression":
      return compileExpr(child(node, "Expression") as SyntaxElement, scope);
    case "MaterializeExpression":
    case "PipeExpression":
      return compileToScalar(node, scope);
    case "SearchExpression": {
      // search's `Col:"term"`.
      const target = compileExpr(child(node, "Left") as SyntaxElement, scope);
      const term = compileExpr(child(node, "Right") as SyntaxElement, scope).constant?.value;
      const match = termMatcher(String(term ?? ""), scope.searchTerms?.caseSensitive ?? false);
      const tf = target.fn;
      return { fn: (r, i, rs) => match(asString(tf(r, i, rs), target.type)), type: "bool" };
    }
    default:
      if (STRING_OPS[kind]) return compileStringOp(node, scope, kind);
      throw unsupported(`expression '${kind}'`, node);
  }
}

function stringTokens(node: SyntaxElement): string {
  let out = "";
  for (const c of childrenOf(node)) {
    if (c.IsToken) out += c.ValueText ?? "";
    else out += stringTokens(c);
  }
  return out;
}
