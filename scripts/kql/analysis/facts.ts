// Everything the KQL checks need to know about one query, computed in one pass of
// Kusto.Language and returned as plain data: it crosses worker threads and is stored in the
// on-disk cache, so no syntax node survives this module.
//
// Offsets are into the query text; the checks map them to file positions.

import {
  analyze,
  analyzerDiagnosticsOf,
  childNamed,
  childrenOf,
  Diagnostic,
  kindOf,
  KustoCode,
  SyntaxElement,
  syntaxDiagnosticsOf,
  diagnosticsOf,
  toArray,
  walk,
} from "../kusto";

export interface Span {
  start: number;
  end: number;
}

export interface QueryDiagnostic extends Diagnostic {
  /** A syntax error (the query does not parse) rather than a semantic one. */
  syntax: boolean;
}

/** A finding a check reports as it is; computed here because it needs the syntax tree. */
export interface Hint {
  check: HintCheck;
  span: Span;
  message: string;
  fix?: string;
}

export type HintCheck =
  | "kql-threat-intel"
  | "kql-type-mismatch"
  | "kql-time-filter"
  | "kql-wildcard-scan"
  | "kql-contains";

export interface QueryFacts {
  /** Kusto.Language's own diagnostics (syntax and semantic). */
  diagnostics: QueryDiagnostic[];
  /** Diagnostics of Kusto.Language's analyzers (KustoAnalyzers). */
  analyzer: Diagnostic[];
  /** The result's columns, when the query ends in a table whose schema is known. */
  output: { name: string; type: string }[] | null;
  /** The result may hold more columns than `output` (a fuzzy union over an unknown table). */
  outputOpen: boolean;
  /** Each reference in the query text to a table of the schemas. */
  tables: { name: string; span: Span }[];
  /** String literals naming a known table (`table("SigninLogs")`, a table-name parameter). */
  tableNameLiterals: string[];
  /** Each call of a database function of the schemas (ASIM parsers, `_GetWatchlist`…). */
  functions: { name: string; span: Span }[];
  /** `union *`, `union Device*`, `search` / `find` without a table list. */
  wildcards: { text: string; span: Span }[];
  /** `ago(X)` / `now(-X)` whose X is a constant, in milliseconds. */
  lookbacks: { span: Span; ms: number; text: string }[];
  hints: Hint[];
}

// --- small helpers over the syntax tree ---

const SYMBOL_VARIABLE = 2;
const SYMBOL_FUNCTION = 3;
const SYMBOL_COLUMN = 9;
const SYMBOL_TABLE = 10;

function spanOf(e: SyntaxElement): Span {
  return { start: e.TextStart, end: e.End };
}

function nameOf(e: SyntaxElement): string {
  const name = childNamed(e, "Name");
  let text = "";
  walk(name ?? e, (x) => {
    if (x.IsToken && kindOf(x) !== "OpenBracketToken" && kindOf(x) !== "CloseBracketToken")
      text += x.ValueText ?? x.Text ?? "";
  });
  return text;
}

function typeName(e: SyntaxElement | undefined): string {
  return (e?.ResultType?.Name ?? "").toLowerCase();
}

function isColumnRef(e: SyntaxElement | undefined): boolean {
  return !!e && kindOf(e) === "NameReference" && e.ReferencedSymbol?.Kind === SYMBOL_COLUMN;
}

function stringLiteral(e: SyntaxElement | undefined): string | undefined {
  if (!e || kindOf(e) !== "StringLiteralExpression") return undefined;
  return typeof e.LiteralValue === "string" ? e.LiteralValue : undefined;
}

function unwrap(e: SyntaxElement | undefined): SyntaxElement | undefined {
  let x = e;
  while (x && kindOf(x) === "ParenthesizedExpression") x = childNamed(x, "Expression");
  return x;
}

/** The expressions of an `in (…)` / `has_any (…)` list. */
function listItems(list: SyntaxElement | undefined): SyntaxElement[] {
  if (!list) return [];
  const exprs = childNamed(list, "Expressions");
  return exprs ? childrenOf(exprs).map((sep) => childrenOf(sep)[0] ?? sep) : [];
}

const NUMERIC = new Set(["int", "long", "real", "decimal"]);

const TIMESPAN_UNITS: Record<string, number> = {
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
};

/** Milliseconds of a KQL timespan literal (`14d`, `1.5h`, `time(2d)`), if it is one. */
export function timespanMs(text: string): number | undefined {
  const t = text
    .trim()
    .replace(/^time\((.*)\)$/i, "$1")
    .trim();
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(t);
  if (!m) return undefined;
  const unit = TIMESPAN_UNITS[m[2].toLowerCase()];
  return unit === undefined ? undefined : Number(m[1]) * unit;
}

// --- the analysis ---

export interface AnalysisContext {
  globals: unknown;
  /** Names of the tables and database functions in the globals. */
  tableNames: Set<string>;
  functionNames: Set<string>;
  /** Column name → the types it has in the table schemas. */
  columnTypes: Map<string, Set<string>>;
}

export function analyseQuery(query: string, ctx: AnalysisContext): QueryFacts {
  const code = analyze(query, ctx.globals);
  const syntax = syntaxDiagnosticsOf(code);
  const syntaxKeys = new Set(syntax.map((d) => `${d.code}@${d.start}`));
  const diagnostics = diagnosticsOf(code).map((d) => ({
    ...d,
    syntax: syntaxKeys.has(`${d.code}@${d.start}`),
  }));
  let analyzer: Diagnostic[] = [];
  try {
    // KS512 "the function has errors in its definition" on `_GetWatchlist('alias')` only means
    // the repository did not describe that watchlist: its columns are then left open.
    analyzer = analyzerDiagnosticsOf(code).filter(
      (d) => !(d.code === "KS512" && query.startsWith("_GetWatchlist", d.start)),
    );
  } catch {
    // An analyzer that crashes on an odd query must not stop the others' findings.
    analyzer = [];
  }
  const facts: QueryFacts = {
    diagnostics,
    analyzer,
    output: outputOf(code),
    outputOpen: code.ResultType?.IsOpen === true,
    tables: [],
    tableNameLiterals: [],
    functions: [],
    wildcards: [],
    lookbacks: [],
    hints: [],
  };
  collect(code, ctx, facts);
  return facts;
}

function outputOf(code: KustoCode): QueryFacts["output"] {
  const rt = code.ResultType;
  if (!rt || rt.Kind !== SYMBOL_TABLE || !rt.Columns) return null;
  return toArray(rt.Columns).map((c) => ({
    name: c.Name,
    type: (c.Type?.Name ?? "").toLowerCase(),
  }));
}

interface LetInfo {
  statement: SyntaxElement;
  value: SyntaxElement | undefined;
}

function collect(code: KustoCode, ctx: AnalysisContext, facts: QueryFacts): void {
  const root = code.Syntax;
  const lets = new Map<string, LetInfo>();
  const variableRefs = new Map<string, SyntaxElement[]>();
  const tableRefs: SyntaxElement[] = [];

  walk(root, (e) => {
    const kind = kindOf(e);
    if (kind === "LetStatement") {
      const name = nameOf(childNamed(e, "Name") ?? e);
      lets.set(name, { statement: e, value: childNamed(e, "Expression") });
    }
    if (kind === "NameReference") {
      const sym = e.ReferencedSymbol;
      const name = nameOf(e);
      if (sym?.Kind === SYMBOL_TABLE && ctx.tableNames.has(name)) {
        tableRefs.push(e);
        facts.tables.push({ name, span: spanOf(e) });
      } else if (sym?.Kind === SYMBOL_FUNCTION && ctx.functionNames.has(name)) {
        facts.functions.push({ name, span: spanOf(e) });
      } else if (sym?.Kind === SYMBOL_VARIABLE) {
        variableRefs.set(name, [...(variableRefs.get(name) ?? []), e]);
      }
    }
    if (kind === "NameReference" && kindOf(childNamed(e, "Name") ?? e) === "WildcardedName") {
      // A table wildcard (`union Device*`, `find in (*)`), not a column one (`project-away *1`).
      const operator = e.Parent?.Parent?.Parent;
      const okind = operator ? kindOf(operator) : "";
      if (okind === "UnionOperator" || okind === "FindInClause") {
        const keyword = okind === "UnionOperator" ? "union" : "find in";
        facts.wildcards.push({ text: `${keyword} ${tokensText(e)}`, span: spanOf(e) });
      }
    }
    if ((kind === "SearchOperator" || kind === "FindOperator") && !childNamed(e, "InClause")) {
      // `T | search "x"` searches its input; only a pipeline-starting search reads everything.
      const piped =
        e.NameInParent === "Operator" && e.Parent && kindOf(e.Parent) === "PipeExpression";
      if (!piped) {
        facts.wildcards.push({
          text: kind === "SearchOperator" ? "search" : "find",
          span: spanOf(childrenOf(e)[0] ?? e),
        });
      }
    }
    if (
      kind === "StringLiteralExpression" &&
      typeof e.LiteralValue === "string" &&
      ctx.tableNames.has(e.LiteralValue)
    ) {
      facts.tableNameLiterals.push(e.LiteralValue);
    }
    if (kind === "FunctionCallExpression") lookback(e, lets, facts);
    typeMismatchesAt(e, kind, lets, ctx, facts);
    containsAt(e, kind, facts);
    return true;
  });

  for (const w of facts.wildcards) {
    facts.hints.push({
      check: "kql-wildcard-scan",
      span: w.span,
      message: `\`${w.text}\` scans every table of the workspace: slow, costly, and its result changes whenever a table is added`,
      fix: "name the tables the query needs",
    });
  }
  threatIntel(root, tableRefs, facts);
  timeFilters(tableRefs, lets, variableRefs, facts);
}

function tokensText(e: SyntaxElement): string {
  const parts: string[] = [];
  walk(e, (x) => {
    if (x.IsToken && x.Text) parts.push(x.Text);
  });
  return parts
    .join(" ")
    .replace(/\s*\*\s*/g, "*")
    .trim();
}

// --- lookback: ago(X) and now(-X) ---

function constantTimespan(
  arg: SyntaxElement | undefined,
  lets: Map<string, LetInfo>,
  depth = 0,
): { ms: number; text: string } | undefined {
  const e = unwrap(arg);
  if (!e || depth > 5) return undefined;
  const kind = kindOf(e);
  if (kind === "TimespanLiteralExpression") {
    const text = tokensText(e);
    const ms = timespanMs(text);
    return ms === undefined ? undefined : { ms, text };
  }
  if (kind === "NameReference" && e.ReferencedSymbol?.Kind === SYMBOL_VARIABLE) {
    const info = lets.get(nameOf(e));
    return info ? constantTimespan(info.value, lets, depth + 1) : undefined;
  }
  if (kind === "UnaryMinusExpression") {
    return constantTimespan(childNamed(e, "Expression"), lets, depth + 1);
  }
  return undefined;
}

function lookback(call: SyntaxElement, lets: Map<string, LetInfo>, facts: QueryFacts): void {
  const fn = nameOf(childNamed(call, "Name") ?? call);
  if (fn !== "ago" && fn !== "now") return;
  const args = listItems(childNamed(call, "ArgumentList"));
  if (args.length !== 1) return;
  if (fn === "now" && kindOf(unwrap(args[0]) ?? args[0]) !== "UnaryMinusExpression") return;
  const value = constantTimespan(args[0], lets);
  if (value && value.ms > 0) facts.lookbacks.push({ span: spanOf(call), ...value });
}

// --- type mismatches Kusto.Language lets through ---

const COMPARISONS = new Set([
  "EqualExpression",
  "NotEqualExpression",
  "LessThanExpression",
  "LessThanOrEqualExpression",
  "GreaterThanExpression",
  "GreaterThanOrEqualExpression",
]);
const LISTS = new Set(["InExpression", "NotInExpression"]);
const HASH_COMPARISONS = new Set([
  "EqualExpression",
  "NotEqualExpression",
  "EqualTildeExpression",
  "BangTildeExpression",
  "InExpression",
  "NotInExpression",
  "InCsExpression",
  "NotInCsExpression",
  "HasAnyExpression",
  "HasExpression",
  "HasCsExpression",
]);

const HASH_LENGTHS: Record<string, number> = { md5: 32, sha1: 40, sha256: 64 };
const LENGTH_NAMES: Record<number, string> = { 32: "MD5", 40: "SHA1", 64: "SHA256" };

function hashKind(column: string): string | undefined {
  const m = /(sha256|sha1|md5)/i.exec(column);
  return m ? m[1].toLowerCase() : undefined;
}

/** String literals of an operand: a literal, a list, or a let-bound `dynamic([…])`. */
function literalStrings(
  e: SyntaxElement | undefined,
  lets: Map<string, LetInfo>,
  depth = 0,
): { value: string; span: Span }[] {
  const x = unwrap(e);
  if (!x || depth > 5) return [];
  const single = stringLiteral(x);
  if (single !== undefined) return [{ value: single, span: spanOf(x) }];
  const kind = kindOf(x);
  if (kind === "NameReference" && x.ReferencedSymbol?.Kind === SYMBOL_VARIABLE) {
    const info = lets.get(nameOf(x));
    return info ? literalStrings(info.value, lets, depth + 1) : [];
  }
  if (kind === "ExpressionList") {
    return listItems(x).flatMap((item) => literalStrings(item, lets, depth + 1));
  }
  if (kind === "DynamicExpression" || kind === "JsonArrayExpression") {
    const out: { value: string; span: Span }[] = [];
    walk(x, (y) => {
      if (kindOf(y) === "StringLiteralExpression" || kindOf(y) === "StringLiteralToken") {
        const v = typeof y.LiteralValue === "string" ? y.LiteralValue : y.ValueText;
        if (typeof v === "string") out.push({ value: v, span: spanOf(y) });
        return false;
      }
      return true;
    });
    return out;
  }
  return [];
}

/** One node's type mismatches (called from the single walk in `collect`). */
function typeMismatchesAt(
  e: SyntaxElement,
  kind: string,
  lets: Map<string, LetInfo>,
  ctx: AnalysisContext,
  facts: QueryFacts,
): void {
  const isComparison = COMPARISONS.has(kind);
  const isList = LISTS.has(kind);
  const isHash = HASH_COMPARISONS.has(kind);
  if (!isComparison && !isList && !isHash) return;
  const left = unwrap(childNamed(e, "Left"));
  const right = childNamed(e, "Right");
  if (isComparison || isList) {
    const items = isList ? listItems(right) : [unwrap(right)];
    numberVersusString(left, items, ctx, facts);
    // Written the other way round: '4688' == EventID.
    if (isComparison) numberVersusString(unwrap(right), [left], ctx, facts);
    dayOfWeek(e, left, items, facts);
  }
  if (isHash && isColumnRef(left)) hashLength(e, left!, right, lets, facts);
}

function numberVersusString(
  column: SyntaxElement | undefined,
  others: (SyntaxElement | undefined)[],
  ctx: AnalysisContext,
  facts: QueryFacts,
): void {
  if (!isColumnRef(column)) return;
  const colType = typeName(column);
  const name = nameOf(column!);
  // Only columns the schemas vouch for: a column computed by a function (`column_ifexists`
  // in a library function, say) may have another type at run time than the analyser infers.
  if (!ctx.columnTypes.get(name)?.has(colType)) return;
  for (const other of others) {
    const o = unwrap(other);
    if (!o) continue;
    const okind = kindOf(o);
    if (NUMERIC.has(colType) && okind === "StringLiteralExpression") {
      const text = stringLiteral(o) ?? "";
      const asNumber = /^-?\d+(\.\d+)?$/.test(text.trim()) ? text.trim() : undefined;
      facts.hints.push({
        check: "kql-type-mismatch",
        span: spanOf(o),
        message: `${name} is ${colType} but is compared with the string ${tokensText(o)}: the comparison never matches (or fails in the workspace)`,
        fix: asNumber ? `compare with the number ${asNumber}` : `compare with a ${colType} value`,
      });
    } else if (
      colType === "string" &&
      (okind === "LongLiteralExpression" ||
        okind === "IntLiteralExpression" ||
        okind === "RealLiteralExpression")
    ) {
      facts.hints.push({
        check: "kql-type-mismatch",
        span: spanOf(o),
        message: `${name} is a string but is compared with the number ${tokensText(o)}: the comparison never matches (or fails in the workspace)`,
        fix: `compare with the string '${tokensText(o)}', or convert the column first`,
      });
    }
  }
}

function dayOfWeek(
  cmp: SyntaxElement,
  left: SyntaxElement | undefined,
  items: (SyntaxElement | undefined)[],
  facts: QueryFacts,
): void {
  const isCall = (x: SyntaxElement | undefined) =>
    !!x &&
    kindOf(x) === "FunctionCallExpression" &&
    nameOf(childNamed(x, "Name") ?? x) === "dayofweek";
  const right = unwrap(childNamed(cmp, "Right"));
  let call: SyntaxElement | undefined;
  let others: (SyntaxElement | undefined)[] = [];
  if (isCall(left)) {
    call = left;
    others = items;
  } else if (isCall(right)) {
    call = right;
    others = [left];
  }
  if (!call) return;
  for (const o of others.map(unwrap)) {
    if (!o) continue;
    const k = kindOf(o);
    if (
      k === "LongLiteralExpression" ||
      k === "IntLiteralExpression" ||
      k === "RealLiteralExpression"
    ) {
      const n = tokensText(o);
      facts.hints.push({
        check: "kql-type-mismatch",
        span: spanOf(o),
        message: `dayofweek() returns a timespan (0d = Sunday … 6d = Saturday), not a number: comparing it with ${n} never matches`,
        fix: `compare with ${n}d`,
      });
    }
  }
}

function hashLength(
  cmp: SyntaxElement,
  column: SyntaxElement,
  right: SyntaxElement | undefined,
  lets: Map<string, LetInfo>,
  facts: QueryFacts,
): void {
  const name = nameOf(column);
  const hash = hashKind(name);
  if (!hash) return;
  const expected = HASH_LENGTHS[hash];
  const values = literalStrings(right, lets).filter((v) => {
    const t = v.value.trim();
    return /^[0-9a-fA-F]+$/.test(t) && t.length in LENGTH_NAMES && t.length !== expected;
  });
  if (!values.length) return;
  const lengths = [...new Set(values.map((v) => v.value.trim().length))];
  const what = lengths.map((l) => `${l} hex digits (${LENGTH_NAMES[l]})`).join(" and ");
  const inline = values.every((v) => v.span.start >= cmp.TextStart && v.span.end <= cmp.End);
  facts.hints.push({
    check: "kql-type-mismatch",
    span: inline && values.length === 1 ? values[0].span : spanOf(cmp),
    message: `${name} holds ${hash.toUpperCase()} hashes (${expected} hex digits) but is compared with ${values.length === 1 ? "a value" : `${values.length} values`} of ${what}: ${values.length === 1 ? "it" : "they"} can never match`,
    fix: `compare ${LENGTH_NAMES[lengths[0]]} values with the ${LENGTH_NAMES[lengths[0]]} column, or ${hash.toUpperCase()} values with ${name}`,
  });
}

// --- contains where has would do ---

const CONTAINS = new Set([
  "ContainsExpression",
  "NotContainsExpression",
  "ContainsCsExpression",
  "NotContainsCsExpression",
]);

/**
 * True when `has` finds what `contains` finds for this needle in the values people search:
 * a needle that is itself delimited at both ends by non-term characters (`\\cmd.exe`,
 * `-enc `, `/c `) can only occur as whole terms. A bare word (`admin`) is not flagged:
 * `contains` also matches it inside longer words (`administrator`), and the author may mean
 * that.
 */
export function wholeTermNeedle(needle: string): boolean {
  if (needle.length < 3) return false;
  const termChar = /[A-Za-z0-9]/;
  const starts = !termChar.test(needle[0]);
  const ends = !termChar.test(needle[needle.length - 1]);
  const inner = needle.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  if (!starts || !ends || inner.length < 3) return false;
  // Every term in it must be long enough for the term index (3+ characters).
  return inner.split(/[^A-Za-z0-9]+/).every((t) => t.length >= 3);
}

function containsAt(e: SyntaxElement, kind: string, facts: QueryFacts): void {
  if (!CONTAINS.has(kind)) return;
  const needle = stringLiteral(unwrap(childNamed(e, "Right")));
  if (needle === undefined || !wholeTermNeedle(needle)) return;
  const op = childNamed(e, "Operator");
  const opText = op?.Text ?? "contains";
  const hasOp = opText.replace("contains", "has");
  facts.hints.push({
    check: "kql-contains",
    span: op ? spanOf(op) : spanOf(e),
    message: `\`${opText} ${JSON.stringify(needle)}\` scans every value; the needle is delimited on both sides, so \`${hasOp}\` finds the same rows through the term index`,
    fix: `use \`${hasOp}\``,
  });
}

// --- threat intelligence: latest, active, unexpired indicators ---

function threatIntel(root: SyntaxElement, tableRefs: SyntaxElement[], facts: QueryFacts): void {
  const ti = tableRefs.filter((t) => nameOf(t) === "ThreatIntelligenceIndicator");
  if (!ti.length) return;
  let latest = false;
  let active = false;
  let unexpired = false;
  walk(root, (e) => {
    const kind = kindOf(e);
    if (kind === "SummarizeOperator") {
      const text = tokensText(e).replace(/\s+/g, "");
      if (/arg_max\(TimeGenerated,/i.test(text) && /\bby.*IndicatorId/i.test(text)) latest = true;
    }
    if (kind === "FilterOperator") {
      const cond = childNamed(e, "Condition");
      walk(cond ?? e, (x) => {
        const k = kindOf(x);
        if (k === "NameReference" && nameOf(x) === "Active") {
          const parent = x.Parent;
          const pk = parent ? kindOf(parent) : "";
          if (pk === "EqualExpression") {
            const other = childNamed(parent!, x.NameInParent === "Left" ? "Right" : "Left");
            if (other && /^(true|1)$/i.test(tokensText(other))) active = true;
          } else if (pk !== "NotEqualExpression" && pk !== "FunctionCallExpression") active = true;
        }
        if (
          (k === "GreaterThanExpression" || k === "GreaterThanOrEqualExpression") &&
          nameOf(unwrap(childNamed(x, "Left")) ?? x) === "ExpirationDateTime" &&
          /\bnow\s*\(/.test(tokensText(childNamed(x, "Right") ?? x))
        )
          unexpired = true;
        if (
          (k === "LessThanExpression" || k === "LessThanOrEqualExpression") &&
          nameOf(unwrap(childNamed(x, "Right")) ?? x) === "ExpirationDateTime" &&
          /\bnow\s*\(/.test(tokensText(childNamed(x, "Left") ?? x))
        )
          unexpired = true;
        return true;
      });
    }
    return true;
  });
  const missing: string[] = [];
  const fixes: string[] = [];
  if (!latest) {
    missing.push("takes every version of each indicator, not the latest");
    fixes.push("`| summarize arg_max(TimeGenerated, *) by IndicatorId`");
  }
  if (!active) {
    missing.push("keeps deactivated indicators");
    fixes.push("`| where Active == true`");
  }
  if (!unexpired) {
    missing.push("keeps expired indicators");
    fixes.push("`| where ExpirationDateTime > now()`");
  }
  if (!missing.length) return;
  facts.hints.push({
    check: "kql-threat-intel",
    span: spanOf(ti[0]),
    message: `the query reads ThreatIntelligenceIndicator but ${missing.length > 1 ? `${missing.slice(0, -1).join(", ")} and ${missing[missing.length - 1]}` : missing[0]}: revoked and stale indicators raise false alerts`,
    fix: `add ${fixes.join(" and ")}`,
  });
}

// --- hunting: a time filter on each table read ---

/** True when a filter condition compares a datetime column (TimeGenerated > ago(1d), between…). */
function isTimePredicate(cond: SyntaxElement | undefined): boolean {
  if (!cond) return false;
  let found = false;
  walk(cond, (x) => {
    if (found) return false;
    const k = kindOf(x);
    const ordering =
      k.startsWith("GreaterThan") ||
      k.startsWith("LessThan") ||
      k === "BetweenExpression" ||
      k === "NotBetweenExpression";
    if (ordering) {
      const left = unwrap(childNamed(x, "Left"));
      const right = unwrap(childNamed(x, "Right"));
      const datetimeSide = [left, right].some(
        (s) =>
          !!s &&
          typeName(s) === "datetime" &&
          (isColumnRef(s) ||
            kindOf(s) === "FunctionCallExpression" ||
            kindOf(s) === "PathExpression"),
      );
      if (datetimeSide) found = true;
    }
    return true;
  });
  return found;
}

/** The pipe stages a table's rows flow through, innermost first. */
function isFiltered(
  ref: SyntaxElement,
  lets: Map<string, LetInfo>,
  variableRefs: Map<string, SyntaxElement[]>,
  depth = 0,
): boolean {
  if (depth > 8) return true;
  let node = ref;
  for (;;) {
    const parent = node.Parent;
    if (!parent) return false;
    const pk = kindOf(parent);
    if (pk === "PipeExpression") {
      if (node.NameInParent === "Expression") {
        const op = childNamed(parent, "Operator");
        if (op && kindOf(op) === "FilterOperator" && isTimePredicate(childNamed(op, "Condition")))
          return true;
        node = parent;
        continue;
      }
      // Inside the operator: only a union passes its operands' rows on as they are.
      if (kindOf(node) === "UnionOperator") {
        node = parent;
        continue;
      }
      return false;
    }
    if (
      pk === "ParenthesizedExpression" ||
      pk === "SeparatedElement" ||
      pk === "List" ||
      pk === "UnionOperator" ||
      pk === "ExpressionList"
    ) {
      node = parent;
      continue;
    }
    if (pk === "FunctionCallExpression") {
      const fn = nameOf(childNamed(parent, "Name") ?? parent);
      if (fn === "materialize") {
        node = parent;
        continue;
      }
      return false;
    }
    if (pk === "LetStatement") {
      const name = nameOf(childNamed(parent, "Name") ?? parent);
      const uses = variableRefs.get(name) ?? [];
      // A table bound to a name is filtered when every use of the name is.
      return uses.length > 0 && uses.every((u) => isFiltered(u, lets, variableRefs, depth + 1));
    }
    return false;
  }
}

function timeFilters(
  tableRefs: SyntaxElement[],
  lets: Map<string, LetInfo>,
  variableRefs: Map<string, SyntaxElement[]>,
  facts: QueryFacts,
): void {
  for (const ref of tableRefs) {
    if (isFiltered(ref, lets, variableRefs)) continue;
    const name = nameOf(ref);
    facts.hints.push({
      check: "kql-time-filter",
      span: spanOf(ref),
      message: `${name} is read without a time filter: the query scans the table's whole retention`,
      fix: `add \`| where TimeGenerated > ago(…)\` (or Timestamp for Defender tables) right after ${name}`,
    });
  }
}
