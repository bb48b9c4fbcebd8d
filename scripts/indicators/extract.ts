// Finds indicator lists in a query through Kusto.Language's syntax tree, never by regex over
// the text: the lists of `in`/`in~`/`!in`/`!in~`/`has_any`/`has_all`, `dynamic([...])` and
// `pack_array(...)` literals (also when bound by `let` and used later), the indicator-like
// columns of `datatable`, and single comparisons (`==`, `=~`, `has`, `endswith`) of a column
// with a string literal. Everything is in query offsets; callers map them to the file.

import {
  childNamed,
  childrenOf,
  kindOf,
  KustoCode,
  parse,
  SyntaxElement,
  walk,
} from "../kql/kusto";
import { classify, isIndicatorLike } from "./classify";
import { refang } from "./normalise";

export type ListKind = "operator" | "dynamic" | "pack_array" | "datatable" | "comparison";

/** One slot of a list, whatever it holds: needed to remove a neighbour cleanly. */
export interface ListElement {
  /** Query offsets of the element's expression. */
  start: number;
  end: number;
  /** The comma after it, if any. */
  commaStart?: number;
  commaEnd?: number;
}

/** One string literal token (a missing comma makes an item of several). */
export interface LiteralToken {
  start: number;
  end: number;
  /** The token as written, quotes and prefix included. */
  text: string;
  /** What it stands for: unquoted, unescaped. */
  value: string;
}

export interface IndicatorItem {
  /** The string the query compares with (adjacent literals joined, as KQL joins them). */
  value: string;
  tokens: LiteralToken[];
  /** Query offsets of the whole expression. */
  start: number;
  end: number;
  /** Index into the list's `elements`. */
  element: number;
  /** The datatable column, for datatable lists. */
  column?: string;
  /** The datatable row (all values as written), to tell a repeated row from a repeated value. */
  row?: string;
}

export interface IndicatorList {
  kind: ListKind;
  /** The operator the list is used with (`in`, `has_any`, `==`…), when known. */
  operator?: string;
  /** True/false when every use is case-sensitive/insensitive; undefined when unknown. */
  caseSensitive?: boolean;
  /** The column compared against (for datatables: the datatable's column). */
  column?: string;
  /** The `let` name the list is bound to. */
  letName?: string;
  /** Query offsets of the list (opening to closing bracket; the literal for comparisons). */
  start: number;
  end: number;
  elements: ListElement[];
  items: IndicatorItem[];
  /** False for lists `--fix` must leave alone (datatables of several columns). */
  editable: boolean;
}

export interface Extraction {
  lists: IndicatorList[];
  /** Offsets of Kusto syntax errors, so a fix can prove it added none. */
  syntaxErrors: number;
}

const LIST_OPERATORS = new Set(["in", "in~", "!in", "!in~", "has_any", "has_all"]);
const COMPARISON_OPERATORS = new Set(["==", "=~", "has", "endswith", "has_cs", "endswith_cs"]);
const COMPARISON_KINDS = new Set([
  "EqualExpression",
  "EqualTildeExpression",
  "HasExpression",
  "HasCsExpression",
  "EndsWithExpression",
  "EndsWithCsExpression",
]);
const LITERAL_KINDS = new Set([
  "StringLiteralExpression",
  "CompoundStringLiteralExpression",
  "LongLiteralExpression",
  "IntLiteralExpression",
  "RealLiteralExpression",
  "BooleanLiteralExpression",
  "DateTimeLiteralExpression",
  "TimespanLiteralExpression",
  "GuidLiteralExpression",
]);
const CASE_SENSITIVE_OPERATORS = new Set(["in", "!in", "==", "has_cs", "endswith_cs"]);

export function isCaseSensitive(operator: string): boolean {
  return CASE_SENSITIVE_OPERATORS.has(operator);
}

function tokenText(e: SyntaxElement): string {
  return e.Text ?? "";
}

/** The name of a column reference (`RemoteUrl`, `['Remote Url']`), if `e` is one. */
function columnName(e: SyntaxElement | undefined): string | undefined {
  if (!e || kindOf(e) !== "NameReference") return undefined;
  const name = childNamed(e, "Name");
  if (!name) return undefined;
  if (kindOf(name) === "TokenName") return tokenText(childNamed(name, "Name") ?? name);
  if (kindOf(name) === "BracketedName") {
    const literal = childNamed(name, "Name");
    const token = literal ? childrenOf(literal)[0] : undefined;
    return token?.ValueText;
  }
  return undefined;
}

function operatorOf(e: SyntaxElement): string | undefined {
  const op = childNamed(e, "Operator");
  return op?.IsToken ? tokenText(op) : undefined;
}

/** What a string literal token stands for. */
function tokenValue(t: SyntaxElement, text: string): string {
  // Kusto.Language unescapes on every ValueText read (about 2 µs); a plain quoted literal
  // without a backslash is its text minus the quotes.
  const q = text[0];
  if ((q === '"' || q === "'") && text.length >= 2 && text[text.length - 1] === q) {
    if (!text.includes("\\")) return text.slice(1, -1);
  }
  return t.ValueText ?? "";
}

/** The literal tokens of a string literal expression at [start, end) of the query. */
function literalTokens(
  expr: SyntaxElement,
  start: number,
  end: number,
): LiteralToken[] | undefined {
  const kind = kindOf(expr);
  if (kind === "StringLiteralExpression") {
    const t = expr.GetChild(0);
    if (!t || !t.IsToken || t.IsMissing) return undefined;
    const text = tokenText(t);
    return [{ start, end, text, value: tokenValue(t, text) }];
  }
  if (kind !== "CompoundStringLiteralExpression") return undefined;
  const list = childNamed(expr, "Tokens");
  const tokens = list ? childrenOf(list) : [];
  if (!tokens.length || tokens.some((t) => !t.IsToken || t.IsMissing)) return undefined;
  return tokens.map((t) => {
    const text = tokenText(t);
    return { start: t.TextStart, end: t.End, text, value: tokenValue(t, text) };
  });
}

function elementsOf(list: SyntaxElement | undefined): {
  elements: ListElement[];
  exprs: SyntaxElement[];
} {
  const elements: ListElement[] = [];
  const exprs: SyntaxElement[] = [];
  if (!list) return { elements, exprs };
  for (let i = 0; i < list.ChildCount; i++) {
    const sep = list.GetChild(i);
    const expr = sep?.GetChild(0);
    if (!sep || !expr) continue;
    const comma = sep.ChildCount > 1 ? sep.GetChild(1) : null;
    const start = expr.TextStart;
    const el: ListElement = { start, end: start + expr.Width };
    if (comma && comma.IsToken && !comma.IsMissing && tokenText(comma) === ",") {
      el.commaStart = comma.TextStart;
      el.commaEnd = el.commaStart + 1;
    }
    elements.push(el);
    exprs.push(expr);
  }
  return { elements, exprs };
}

function itemsOf(exprs: SyntaxElement[], elements: ListElement[]): IndicatorItem[] {
  const items: IndicatorItem[] = [];
  exprs.forEach((expr, i) => {
    const { start, end } = elements[i];
    const tokens = literalTokens(expr, start, end);
    if (!tokens) return;
    items.push({
      value: tokens.length === 1 ? tokens[0].value : tokens.map((t) => t.value).join(""),
      tokens,
      start,
      end,
      element: i,
    });
  });
  return items;
}

interface UseContext {
  operator?: string;
  column?: string;
}

/** The operator and column of the `in`/`has_any` whose list `exprList` is, if it is one. */
function listOperatorContext(exprList: SyntaxElement | null): UseContext | undefined {
  if (!exprList || kindOf(exprList) !== "ExpressionList" || exprList.NameInParent !== "Right") {
    return undefined;
  }
  const owner = exprList.Parent;
  if (!owner) return undefined;
  const operator = operatorOf(owner);
  if (!operator || !LIST_OPERATORS.has(operator)) return undefined;
  return { operator, column: columnName(childNamed(owner, "Left")) };
}

/** The `in`/`has_any` list an expression is an element of (`x in (dynamic([...]))`). */
function enclosingListContext(expr: SyntaxElement): UseContext | undefined {
  const sep = expr.Parent;
  const list = sep?.Parent;
  if (!sep || !list || kindOf(sep) !== "SeparatedElement") return undefined;
  return listOperatorContext(list.Parent);
}

/** The `let` name an expression is bound to (`let Domains = dynamic([...])`). */
function letNameOf(expr: SyntaxElement): string | undefined {
  let e = expr;
  // `let x = (dynamic([...]));`
  while (e.Parent && kindOf(e.Parent) === "ParenthesizedExpression") e = e.Parent;
  const owner = e.Parent;
  if (!owner || kindOf(owner) !== "LetStatement" || e.NameInParent !== "Expression") {
    return undefined;
  }
  const decl = childNamed(owner, "Name");
  const name = decl ? childNamed(decl, "Name") : undefined;
  const id = name ? childNamed(name, "Name") : undefined;
  return id ? tokenText(id) : undefined;
}

interface Host {
  kind: ListKind;
  node: SyntaxElement;
  /** The expression that stands for the whole list (for `let` and enclosing lists). */
  value: SyntaxElement;
  elements: ListElement[];
  exprs: SyntaxElement[];
  start: number;
  end: number;
  columns?: string[];
}

function listHost(e: SyntaxElement, kind: string): Host | undefined {
  switch (kind) {
    case "ExpressionList": {
      if (!listOperatorContext(e)) return undefined;
      const { elements, exprs } = elementsOf(childNamed(e, "Expressions"));
      return {
        kind: "operator",
        node: e,
        value: e,
        elements,
        exprs,
        start: e.TextStart,
        end: e.End,
      };
    }
    case "JsonArrayExpression": {
      const dyn = e.Parent;
      if (!dyn || kindOf(dyn) !== "DynamicExpression") return undefined;
      const { elements, exprs } = elementsOf(childNamed(e, "Values"));
      return {
        kind: "dynamic",
        node: e,
        value: dyn,
        elements,
        exprs,
        start: e.TextStart,
        end: e.End,
      };
    }
    case "FunctionCallExpression": {
      const name = childNamed(e, "Name");
      const id = name ? childNamed(name, "Name") : undefined;
      if (!id || tokenText(childNamed(id, "Name") ?? id).toLowerCase() !== "pack_array") {
        return undefined;
      }
      const args = childNamed(e, "ArgumentList");
      if (!args) return undefined;
      const { elements, exprs } = elementsOf(childNamed(args, "Expressions"));
      return {
        kind: "pack_array",
        node: e,
        value: e,
        elements,
        exprs,
        start: args.TextStart,
        end: args.End,
      };
    }
    case "DataTableExpression": {
      const schema = childNamed(e, "Schema");
      const columnList = schema ? childNamed(schema, "Columns") : undefined;
      const columns: string[] = [];
      for (const sep of columnList ? childrenOf(columnList) : []) {
        const decl = childrenOf(sep)[0];
        const nameDecl = decl ? childNamed(decl, "Name") : undefined;
        const tokenName = nameDecl ? childNamed(nameDecl, "Name") : undefined;
        const id = tokenName ? childNamed(tokenName, "Name") : undefined;
        columns.push(id ? tokenText(id) : `column${columns.length + 1}`);
      }
      const values = childNamed(e, "Values");
      const open = childNamed(e, "OpenBracket");
      const { elements, exprs } = elementsOf(values);
      return {
        kind: "datatable",
        node: e,
        value: e,
        elements,
        exprs,
        start: open?.TextStart ?? e.TextStart,
        end: e.End,
        columns,
      };
    }
  }
  return undefined;
}

/** Every use of a `let` name, with the `in`/`has_any` it is the list of, if any. */
function usesOf(references: SyntaxElement[], names: Set<string>): Map<string, UseContext[]> {
  const uses = new Map<string, UseContext[]>();
  if (!names.size) return uses;
  for (const e of references) {
    const name = columnName(e);
    if (!name || !names.has(name)) continue;
    const list = uses.get(name) ?? [];
    list.push(enclosingListContext(e) ?? {});
    uses.set(name, list);
  }
  return uses;
}

function sensitivity(contexts: UseContext[]): boolean | undefined {
  const ops = contexts.map((c) => c.operator);
  if (!ops.length || ops.some((o) => o === undefined)) return undefined;
  const sensitive = ops.map((o) => isCaseSensitive(o as string));
  if (sensitive.every(Boolean)) return true;
  if (sensitive.every((s) => !s)) return false;
  return undefined;
}

/** True when most of a datatable column's strings look like indicators. */
function indicatorLikeColumn(values: string[], column: string): boolean {
  if (!values.length) return false;
  let hits = 0;
  for (const v of values) {
    const type = classify(refang(v), { column });
    if (isIndicatorLike(type)) hits++;
  }
  return hits * 2 >= values.length;
}

function comparisonList(e: SyntaxElement, operator: string): IndicatorList | undefined {
  const left = childNamed(e, "Left");
  const right = childNamed(e, "Right");
  if (!left || !right) return undefined;
  let column = columnName(left);
  let literal = right;
  // `"x" == Column` and `"x" =~ Column` are as common as the other way round.
  if (!column && (operator === "==" || operator === "=~")) {
    column = columnName(right);
    literal = left;
  }
  if (!column) return undefined;
  const tokens = literalTokens(literal, literal.TextStart, literal.End);
  if (!tokens) return undefined;
  const value = tokens.map((t) => t.value).join("");
  const type = classify(refang(value), { column });
  // A single comparison is an indicator only when it looks like one; `ActionType ==
  // "LogonSuccess"` is not.
  if (!isIndicatorLike(type)) return undefined;
  return {
    kind: "comparison",
    operator,
    caseSensitive: isCaseSensitive(operator),
    column,
    start: literal.TextStart,
    end: literal.End,
    elements: [{ start: literal.TextStart, end: literal.End }],
    items: [{ value, tokens, start: literal.TextStart, end: literal.End, element: 0 }],
    // One value: nothing to remove, but a defanged one is refanged.
    editable: true,
  };
}

/** Extracts the indicator lists of a parsed query. */
export function extractFromCode(code: KustoCode): Extraction {
  const hosts: Host[] = [];
  const comparisons: IndicatorList[] = [];
  const references: SyntaxElement[] = [];
  const visit = (e: SyntaxElement): boolean => {
    if (e.IsToken) return false;
    const kind = kindOf(e);
    // Literals hold no lists; most of a long indicator list is literals.
    if (LITERAL_KINDS.has(kind)) return false;
    if (kind === "NameReference") {
      references.push(e);
      return false;
    }
    const host = listHost(e, kind);
    if (host) {
      hosts.push(host);
      // Only the list's non-literal elements can hold more (`in (dynamic([...]), "x")`).
      for (const expr of host.exprs) {
        if (!LITERAL_KINDS.has(kindOf(expr))) walk(expr, visit);
      }
      return false;
    }
    if (COMPARISON_KINDS.has(kind)) {
      const op = operatorOf(e);
      if (op && COMPARISON_OPERATORS.has(op)) {
        const c = comparisonList(e, op);
        if (c) comparisons.push(c);
      }
    }
    return true;
  };
  walk(code.Syntax, visit);

  const letNames = new Map<Host, string>();
  for (const h of hosts) {
    if (h.kind === "operator") continue;
    const name = letNameOf(h.value);
    if (name) letNames.set(h, name);
  }
  const uses = usesOf(references, new Set(letNames.values()));

  const lists: IndicatorList[] = [];
  for (const h of hosts) {
    let ctx: UseContext[] = [];
    const letName = letNames.get(h);
    if (h.kind === "operator") ctx = [listOperatorContext(h.node) ?? {}];
    else if (letName) ctx = uses.get(letName) ?? [];
    else {
      const enclosing = enclosingListContext(h.value);
      ctx = enclosing ? [enclosing] : [];
    }
    const base = {
      operator:
        ctx.length && ctx.every((c) => c.operator === ctx[0].operator)
          ? ctx[0].operator
          : undefined,
      caseSensitive: sensitivity(ctx),
      column: ctx.find((c) => c.column)?.column,
      ...(letName ? { letName } : {}),
      start: h.start,
      end: h.end,
      elements: h.elements,
    };
    if (h.kind !== "datatable") {
      const items = itemsOf(h.exprs, h.elements);
      if (items.length) lists.push({ ...base, kind: h.kind, items, editable: true });
      continue;
    }
    const columns = h.columns ?? [];
    const width = Math.max(columns.length, 1);
    const all = itemsOf(h.exprs, h.elements);
    for (let c = 0; c < width; c++) {
      const column = columns[c];
      const items = all
        .filter((it) => it.element % width === c)
        .map((it) => ({
          ...it,
          column,
          row: rowValues(code.Text, h.exprs, it.element - (it.element % width), width),
        }));
      if (
        !items.length ||
        !indicatorLikeColumn(
          items.map((i) => i.value),
          column,
        )
      )
        continue;
      lists.push({
        ...base,
        kind: "datatable",
        column,
        items,
        // Removing a row of a wider table means removing every cell of it.
        editable: width === 1,
      });
    }
  }
  lists.push(...comparisons);
  lists.sort((a, b) => a.start - b.start || a.end - b.end);
  return { lists, syntaxErrors: syntaxErrorCount(code) };
}

function rowValues(text: string, exprs: SyntaxElement[], first: number, width: number): string {
  return exprs
    .slice(first, first + width)
    .map((x) => {
      const tokens = literalTokens(x, x.TextStart, x.End);
      return tokens
        ? JSON.stringify(tokens.map((t) => t.value).join(""))
        : text.slice(x.TextStart, x.End);
    })
    .join(",");
}

function syntaxErrorCount(code: KustoCode): number {
  const list = code.GetSyntaxDiagnostics ? code.GetSyntaxDiagnostics() : code.GetDiagnostics();
  let n = 0;
  for (let i = 0; i < list.Count; i++) if (list.getItem(i).Severity === "Error") n++;
  return n;
}

/** Parses a query and extracts its indicator lists. */
export function extractIndicators(query: string): Extraction {
  return extractFromCode(parse(query));
}
