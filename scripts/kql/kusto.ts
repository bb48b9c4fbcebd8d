// The one adapter to Microsoft's Kusto.Language (package @kusto/language-service-next).
//
// The package is a Bridge.NET build: two scripts that install globals (`Bridge`, `Kusto`).
// Nothing else in the project touches those globals; everything goes through this module,
// which loads them once, lazily, and exposes small typed views of what we use.
// Its d.ts differs from the runtime (lists are `Count`/`getItem(i)`, enums are Bridge
// enums), so the interfaces below describe the runtime as observed.

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A .NET IReadOnlyList as Bridge exposes it at run time. */
export interface KList<T> {
  Count: number;
  getItem(index: number): T;
}

/** Kusto.Language.Symbols.TypeSymbol (and its subclasses), the parts we read. */
export interface KTypeSymbol {
  Name: string;
  Kind: number;
  Display?: string;
  Columns?: KList<KColumnSymbol>;
  IsTabular?: boolean;
  IsScalar?: boolean;
  /** Tables only: true when the table may have columns beyond `Columns` (fuzzy unions). */
  IsOpen?: boolean;
}

export interface KColumnSymbol extends KTypeSymbol {
  Type: KTypeSymbol;
}

/** A node or token of the syntax tree. */
export interface SyntaxElement {
  Kind: number;
  IsToken: boolean;
  IsMissing: boolean;
  Parent: SyntaxElement | null;
  ChildCount: number;
  GetChild(index: number): SyntaxElement | null;
  NameInParent: string | null;
  /** Offset of the first character of the element's text (after leading trivia). */
  TextStart: number;
  /** Offset just past the element's text. */
  End: number;
  Width: number;
  TriviaStart: number;
  FullWidth: number;
  /** Tokens only: the token's text. */
  Text?: string;
  /** Tokens only: the text a literal stands for (strings unquoted and unescaped). */
  ValueText?: string;
  /** Expressions only, after analysis. */
  ResultType?: KTypeSymbol | null;
  ReferencedSymbol?: (KTypeSymbol & { Type?: KTypeSymbol }) | null;
  /** Literal expressions: the literal's value (strings unquoted, numbers parsed). */
  LiteralValue?: unknown;
  /** Any other member Kusto.Language defines on the concrete node class. */
  [member: string]: unknown;
}

export interface KDiagnostic {
  Code: string;
  Severity: string;
  Category: string;
  Message: string;
  Start: number;
  Length: number;
  End: number;
  HasLocation: boolean;
}

export interface KustoCode {
  Text: string;
  Syntax: SyntaxElement;
  ResultType: KTypeSymbol | null;
  HasSemantics: boolean;
  GetDiagnostics(): KList<KDiagnostic>;
  GetSyntaxDiagnostics?(): KList<KDiagnostic>;
}

/** A diagnostic in plain data, offsets into the query text. */
export interface Diagnostic {
  code: string;
  severity: "error" | "warning" | "suggestion" | "information";
  category: string;
  message: string;
  start: number;
  length: number;
}

/** A column as our table schema files write it (Azure-Sentinel format). */
export interface ColumnSchema {
  Name: string;
  Type: string;
}

/** `schemas/tables/<Name>.json`: `{"Name": …, "Properties": [{"Name", "Type"}]}`. */
export interface TableSchema {
  Name: string;
  Properties: ColumnSchema[];
}

/**
 * `schemas/functions/<Name>.json`: a saved function or parser (ASIM, watchlist helper).
 * `Parameters` are its arguments; `Properties` its output columns; `Body` (optional) the
 * real KQL body, used instead of an empty table of `Properties` when given.
 */
export interface FunctionSchema {
  Name: string;
  Parameters?: { Name: string; Type: string; Default?: string }[];
  Properties?: ColumnSchema[];
  Body?: string;
}

type KustoNamespace = any;

let loaded: KustoNamespace | undefined;
let kindNames: string[] | undefined;

/** Loads Kusto.Language once (about 0.2 s) and returns its namespace. */
export function kusto(): KustoNamespace {
  if (loaded) return loaded;
  const g = globalThis as any;
  if (!g.Kusto || !g.Kusto.Language) {
    // Order matters: the bridge runtime first, then the library that uses it.
    require("@kusto/language-service-next/bridge.min.js");
    require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
  }
  loaded = g.Kusto.Language;
  return loaded;
}

/** The name of a SyntaxKind value (`"FilterOperator"`, `"StringLiteralToken"`, …). */
export function syntaxKindName(kind: number): string {
  if (!kindNames) {
    const SK = kusto().Syntax.SyntaxKind;
    kindNames = [];
    for (const key of Object.keys(SK)) {
      if (key.startsWith("$")) continue;
      const value = SK[key];
      if (typeof value === "number") kindNames[value] = key;
    }
  }
  return kindNames[kind] ?? `Kind${kind}`;
}

/** The kind name of an element, shorthand for `syntaxKindName(e.Kind)`. */
export function kindOf(e: SyntaxElement): string {
  return syntaxKindName(e.Kind);
}

/** The element's children, skipping absent optional slots. */
export function childrenOf(e: SyntaxElement): SyntaxElement[] {
  const out: SyntaxElement[] = [];
  for (let i = 0; i < e.ChildCount; i++) {
    const c = e.GetChild(i);
    if (c) out.push(c);
  }
  return out;
}

/** The child in the named slot (`"Expression"`, `"Operator"`, `"Condition"`…), if present. */
export function childNamed(e: SyntaxElement, name: string): SyntaxElement | undefined {
  for (let i = 0; i < e.ChildCount; i++) {
    const c = e.GetChild(i);
    if (c && c.NameInParent === name) return c;
  }
  return undefined;
}

/** Depth-first walk; return `false` from `visit` to skip an element's children. */
export function walk(root: SyntaxElement, visit: (e: SyntaxElement) => boolean | void): void {
  const stack: SyntaxElement[] = [root];
  while (stack.length) {
    const e = stack.pop() as SyntaxElement;
    if (visit(e) === false) continue;
    for (let i = e.ChildCount - 1; i >= 0; i--) {
      const c = e.GetChild(i);
      if (c) stack.push(c);
    }
  }
}

/**
 * The body of a called function as Kusto.Language bound it for this call's arguments (its
 * "expansion"): `table(name)` with `name = "SigninLogs"` is typed as SigninLogs there, where the
 * declared body only knows an unknown table. Undefined when there is none. The expansion is a
 * tree of its own: its offsets count from its own start, not the query's.
 */
export function expansionOf(call: SyntaxElement): SyntaxElement | undefined {
  const expand = (call as { GetExpansion?: () => SyntaxElement | null }).GetExpansion;
  if (typeof expand !== "function") return undefined;
  try {
    return expand.call(call) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The root of the tree an element belongs to. */
export function rootOf(e: SyntaxElement): SyntaxElement {
  let r = e;
  while (r.Parent) r = r.Parent;
  return r;
}

/** Converts a .NET list to an array. */
export function toArray<T>(list: KList<T> | null | undefined): T[] {
  const out: T[] = [];
  if (!list) return out;
  for (let i = 0; i < list.Count; i++) out.push(list.getItem(i));
  return out;
}

/** Parses without semantic analysis (about 2 ms a query). */
export function parse(query: string): KustoCode {
  return kusto().KustoCode.Parse(query) as KustoCode;
}

/** Parses and analyses against a global state from `globalsFor` (about 8 ms a query warm). */
export function analyze(query: string, globals: unknown): KustoCode {
  return kusto().KustoCode.ParseAndAnalyze(query, globals) as KustoCode;
}

/** Kusto.Language's diagnostics as plain data. */
export function diagnosticsOf(code: KustoCode): Diagnostic[] {
  return toArray(code.GetDiagnostics()).map(plainDiagnostic);
}

function plainDiagnostic(d: KDiagnostic): Diagnostic {
  return {
    code: d.Code,
    severity: normaliseSeverity(d.Severity),
    category: d.Category,
    message: d.Message,
    start: d.Start,
    length: d.Length,
  };
}

function normaliseSeverity(s: string): Diagnostic["severity"] {
  switch ((s ?? "").toLowerCase()) {
    case "error":
      return "error";
    case "warning":
      return "warning";
    case "suggestion":
      return "suggestion";
    default:
      return "information";
  }
}

const scalarTypeNames: Record<string, string> = {
  bool: "Bool",
  boolean: "Bool",
  int: "Int",
  long: "Long",
  real: "Real",
  double: "Real",
  decimal: "Decimal",
  string: "String",
  datetime: "DateTime",
  date: "DateTime",
  timespan: "TimeSpan",
  time: "TimeSpan",
  guid: "Guid",
  uniqueid: "Guid",
  dynamic: "Dynamic",
};

/** The Kusto.Language scalar type symbol for one of Kusto's type names (`"datetime"`). */
export function scalarType(name: string): KTypeSymbol {
  const K = kusto();
  const key = scalarTypeNames[name.toLowerCase()];
  if (!key) throw new Error(`unknown Kusto type '${name}'`);
  return K.Symbols.ScalarTypes[key] as KTypeSymbol;
}

/** A `(a:string, b:long)` schema text for table and function declarations. */
export function schemaText(columns: ColumnSchema[]): string {
  return `(${columns.map((c) => `${quoteName(c.Name)}:${c.Type.toLowerCase()}`).join(", ")})`;
}

/** Brackets a column or table name when it is not a plain identifier. */
export function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `['${name.replace(/'/g, "\\'")}']`;
}

/**
 * A GlobalState whose default database holds these tables and functions, so analysis knows
 * their columns. Build it once per schema set and reuse it: building is the slow part.
 */
export function globalsFor(tables: TableSchema[], functions: FunctionSchema[] = []): unknown {
  return kusto().GlobalState.Default.WithDatabase(databaseSymbol("default", tables, functions));
}

// --- Additions for the KQL lint checks (scripts/kql/analysis). ---

/** A database symbol from our schema files (shared by `globalsFor` and below). */
function databaseSymbol(
  name: string,
  tables: TableSchema[],
  functions: FunctionSchema[] = [],
): unknown {
  const S = kusto().Symbols;
  const members: unknown[] = [];
  for (const t of tables) {
    const cols = t.Properties.map((c) => new S.ColumnSymbol(c.Name, scalarType(c.Type)));
    members.push(new S.TableSymbol.$ctor4(t.Name, cols));
  }
  for (const f of functions) {
    const params = (f.Parameters ?? [])
      .map(
        (p) =>
          `${p.Name}:${p.Type.toLowerCase()}${p.Default !== undefined ? ` = ${p.Default}` : ""}`,
      )
      .join(", ");
    const body = f.Body ?? `datatable${schemaText(f.Properties ?? [])}[]`;
    members.push(new S.FunctionSymbol.$ctor16(f.Name, `(${params})`, `{ ${body} }`, null));
  }
  return new S.DatabaseSymbol.ctor(name, members);
}

/**
 * Like `globalsFor`, plus other databases of the same cluster that function bodies can reach
 * with `database('name')` (the watchlists behind `_GetWatchlist`). Queries still see the
 * default database's tables and functions unqualified.
 */
export function globalsForDatabases(
  tables: TableSchema[],
  functions: FunctionSchema[],
  others: { name: string; tables: TableSchema[] }[],
): unknown {
  const K = kusto();
  const db = databaseSymbol("default", tables, functions);
  const dbs = [db, ...others.map((o) => databaseSymbol(o.name, o.tables))];
  const cluster = new K.Symbols.ClusterSymbol.ctor("sentinel", dbs);
  return K.GlobalState.Default.WithCluster(cluster).WithDatabase(db);
}

/**
 * Diagnostics of Kusto.Language's own analyzers (Kusto.Language.Editor.KustoAnalyzers: join
 * without kind, isnull on strings, contains, has with IPv4…), which `GetDiagnostics` does not
 * run. About as slow as analysis itself.
 */
export function analyzerDiagnosticsOf(code: KustoCode): Diagnostic[] {
  const K = kusto();
  const service = new K.Editor.KustoCodeService.ctor(code);
  // Bridge's CancellationToken spells its members in camelCase; the analyzers call the .NET
  // names, so a small stand-in that is never cancelled does.
  const never = {
    ThrowIfCancellationRequested: () => undefined,
    IsCancellationRequested: false,
    CanBeCanceled: false,
  };
  const list = service.GetAnalyzerDiagnostics(true, never) as KList<KDiagnostic>;
  return toArray(list).map(plainDiagnostic);
}

/** Syntax-only diagnostics of analysed code (a subset of `diagnosticsOf`). */
export function syntaxDiagnosticsOf(code: KustoCode): Diagnostic[] {
  const list = code.GetSyntaxDiagnostics ? code.GetSyntaxDiagnostics() : undefined;
  return toArray(list).map(plainDiagnostic);
}
