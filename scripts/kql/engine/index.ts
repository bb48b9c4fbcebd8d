// The in-process KQL engine: `run(query, options)` parses and analyses the query with
// Kusto.Language (through ../kusto.ts), then evaluates the syntax tree over in-memory tables.
//
// Inputs:
//   tables     name → `{columns: [{name, type}] | [name], rows: [[…]]}` or an array of row
//              objects. Row objects are typed by the known Sentinel schema of that table
//              (schemas/tables/<Name>.json) or, for other tables, inferred from the values.
//   functions  name → a table, for saved functions and parsers the query calls
//              (`imAuthentication`, `MyParser`). Watchlists: key `_GetWatchlist('alias')`,
//              or use the `watchlists` option: alias → table.
//   engineTables  name → a table already in engine values (values.ts), used without conversion.
//   now        the pinned clock for now()/ago(): ISO string or Date (default: the real time).
//   externaldata  url → table: contents of `externaldata(…)[url]`; unsupplied sources are
//              empty tables with the declared schema (the engine never fetches URLs).
//   parameters name → value for `declare query_parameters(…)` (else the declared defaults).
//   budget     {maxRows, maxMillis, maxHeapBytes}: stop with an error instead of exhausting
//              memory or time (defaults: 5,000,000 rows, 30 s, 80% of the heap limit).
// A known Sentinel table the caller does not supply is an empty table with its schema. A known
// function (schemas/functions/) the caller does not supply runs its shipped body (the ASIM
// parsers, over the tables given) or, without a body (`_GetWatchlist`), is an empty table with
// its columns.
//
// Output: `{columns: [{name, type}], rows}` with JSON-friendly cells: datetimes as ISO strings
// with 7 fractional digits (`2026-05-06T10:00:00.0000000Z`), timespans as `[-][d.]hh:mm:ss[.f]`,
// dynamic values as JSON, reals NaN/±Infinity as the strings "NaN", "Infinity", "-Infinity".
// Longs beyond ±2^53 come out rounded to numbers; `runExact` keeps them as exact bigints (the
// `kql` command prints those as bare digits). `runToTable` returns engine values instead;
// `tableFromInput`, `valueFromInput` and `valueToOutput` convert single tables and cells the
// same way `run` does.

import * as fs from "node:fs";
import * as path from "node:path";
import {
  analyze,
  toArray,
  globalsFor,
  kindOf,
  type ColumnSchema,
  type FunctionSchema,
  type SyntaxElement,
  type TableSchema,
} from "../kusto";
import { child } from "./syntax";
import { DEFAULT_BUDGET, type Budget, type Env, type RunContext } from "./context";
import { BudgetError, KqlError, queryPosition, setQueryText, unsupported } from "./errors";
import { bindLet, compileExpr, listItems, nameOf, scopeFor } from "./expressions/compile";
import "./functions/index";
import { evalTabular } from "./tabular";
import {
  datetimeFromUnixMs,
  inferType,
  kustoType,
  parseDatetime,
  valueFromInput,
  valueToOutput,
  valueToExactOutput,
  type Column,
  type OutputCell,
  type Json,
  type KustoType,
  type Table,
  type Value,
} from "./values";

export { KqlError } from "./errors";
export { BudgetError } from "./errors";
export { valueFromInput, valueToOutput, valueToExactOutput, kustoType } from "./values";
export type { OutputCell } from "./values";
export type { Budget } from "./context";

/** A table as a caller supplies it. */
export type TableInput =
  | { columns: ({ name: string; type?: string } | string)[]; rows: unknown[][] }
  | Record<string, unknown>[];

export interface RunOptions {
  tables?: Record<string, TableInput>;
  functions?: Record<string, TableInput>;
  /** Watchlists by alias, for `_GetWatchlist('alias')`. */
  watchlists?: Record<string, TableInput>;
  /** Values of `declare query_parameters(…)`, by name (JSON, converted to the declared type). */
  parameters?: Record<string, unknown>;
  /** Tables already in engine form (values per values.ts), used as they are: no conversion. */
  engineTables?: Record<string, Table>;
  /** Contents of `externaldata(…)[url]` sources, by URL (the engine never fetches them). */
  externaldata?: Record<string, TableInput>;
  now?: string | Date | number;
  budget?: Partial<Budget>;
}

export interface RunResult {
  columns: Column[];
  rows: Json[][];
}

let knownSchemas: Map<string, TableSchema> | undefined;
let knownFunctionSchemas: Map<string, FunctionSchema> | undefined;

/**
 * The saved functions and parsers shipped in schemas/functions/ (ASIM parsers with their KQL
 * body, `_GetWatchlist` with its columns), by name.
 */
export function knownFunctions(): Map<string, FunctionSchema> {
  if (knownFunctionSchemas) return knownFunctionSchemas;
  knownFunctionSchemas = new Map();
  const dir = path.resolve(__dirname, "../../../schemas/functions");
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir)) {
      if (!f.endsWith(".json")) continue;
      const s = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as FunctionSchema;
      if (s && typeof s.Name === "string") knownFunctionSchemas.set(s.Name, s);
    }
  }
  return knownFunctionSchemas;
}

/** The Sentinel table schemas shipped in schemas/tables/, by table name. */
export function knownTableSchemas(): Map<string, TableSchema> {
  if (knownSchemas) return knownSchemas;
  knownSchemas = new Map();
  const dir = path.resolve(__dirname, "../../../schemas/tables");
  if (fs.existsSync(dir)) {
    for (const f of fs.readdirSync(dir)) {
      if (!f.endsWith(".json")) continue;
      const s = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as TableSchema;
      if (s && s.Name && Array.isArray(s.Properties)) knownSchemas.set(s.Name, s);
    }
  }
  return knownSchemas;
}

function schemaColumns(schema: TableSchema): Column[] {
  return schema.Properties.map((p) => ({ name: p.Name, type: kustoType(p.Type) ?? "dynamic" }));
}

/**
 * Converts a caller's table to an engine table. Columns come from the input's own column list,
 * else from `schema` (a known table), else are inferred from the row objects' values.
 */
export function tableFromInput(input: TableInput, schema?: Column[], label = "table"): Table {
  if (!Array.isArray(input)) {
    if (!input || !Array.isArray(input.columns) || !Array.isArray(input.rows)) {
      throw new KqlError(`${label}: expected {columns, rows} or an array of row objects`);
    }
    const columns: Column[] = input.columns.map((c, i) => {
      const name = typeof c === "string" ? c : c.name;
      const declared = typeof c === "string" ? undefined : c.type;
      const fromSchema = schema?.find((s) => s.name === name)?.type;
      const type = declared ? kustoType(declared) : fromSchema;
      return { name, type: type ?? inferColumn(input.rows.map((r) => r[i])) };
    });
    const rows = input.rows.map((r, ri) =>
      columns.map((c, i) => convertCell(r[i], c.type, label, ri, c.name)),
    );
    return { columns, rows };
  }
  const columns: Column[] = schema ? schema.map((c) => ({ ...c })) : [];
  const known = new Set(columns.map((c) => c.name));
  for (const row of input) {
    if (!row || typeof row !== "object") throw new KqlError(`${label}: rows must be objects`);
    for (const k of Object.keys(row)) {
      if (known.has(k)) continue;
      known.add(k);
      columns.push({ name: k, type: inferColumn(input.map((r) => r[k])) });
    }
  }
  const rows = input.map((r, ri) =>
    columns.map((c) => convertCell(r[c.name], c.type, label, ri, c.name)),
  );
  return { columns, rows };
}

function inferColumn(values: unknown[]): KustoType {
  let t: KustoType | undefined;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const vt = inferType(v);
    if (t === undefined) t = vt;
    else if (t !== vt) {
      if ((t === "long" && vt === "real") || (t === "real" && vt === "long")) t = "real";
      else return t === "dynamic" || vt === "dynamic" ? "dynamic" : "string";
    }
  }
  return t ?? "string";
}

function convertCell(
  v: unknown,
  type: KustoType,
  label: string,
  row: number,
  column: string,
): Value {
  try {
    return valueFromInput(v, type);
  } catch (err) {
    throw new KqlError(
      `${label}: row ${row + 1}, column '${column}': ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

const globalsCache = new Map<string, unknown>();

function globalsForTables(tables: Map<string, Column[]>, functions: FunctionSchema[]): unknown {
  const schemas: TableSchema[] = [...tables].map(([name, cols]) => ({
    Name: name,
    Properties: cols.map((c): ColumnSchema => ({ Name: c.name, Type: c.type })),
  }));
  const key = JSON.stringify([schemas, functions]);
  let g = globalsCache.get(key);
  if (!g) {
    if (globalsCache.size > 50) globalsCache.clear();
    g = globalsFor(schemas, functions);
    globalsCache.set(key, g);
  }
  return g;
}

function nowTicks(now: RunOptions["now"]): number {
  if (now === undefined) return datetimeFromUnixMs(Date.now());
  if (now instanceof Date) return datetimeFromUnixMs(now.getTime());
  if (typeof now === "number") return datetimeFromUnixMs(now);
  const t = parseDatetime(now);
  if (t === null) throw new KqlError(`now: cannot read '${now}' as a datetime (use ISO 8601)`);
  return t;
}

/** Runs a KQL query over in-memory tables. Throws KqlError on bad queries and budget overruns. */
export function run(query: string, options: RunOptions = {}): RunResult {
  const table = runToTable(query, options);
  return {
    columns: table.columns,
    rows: table.rows.map((r) => table.columns.map((c, i) => valueToOutput(r[i], c.type))),
  };
}

/**
 * Like `run`, but longs beyond ±2^53 stay exact as bigints (for writers that print them as
 * bare JSON digits; `JSON.stringify` cannot). `run` rounds them to numbers.
 */
export function runExact(
  query: string,
  options: RunOptions = {},
): { columns: Column[]; rows: OutputCell[][] } {
  const table = runToTable(query, options);
  return {
    columns: table.columns,
    rows: table.rows.map((r) => table.columns.map((c, i) => valueToExactOutput(r[i], c.type))),
  };
}

/** Like `run`, but returns engine values (datetimes as ticks) instead of output JSON. */
export function runToTable(query: string, options: RunOptions = {}): Table {
  try {
    return runUnguarded(query, options);
  } catch (err) {
    // Deeply nested dynamic values or expressions exhaust the stack: a budget, not a crash.
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      throw new BudgetError(
        "nesting budget exceeded: the query or a dynamic value is nested too deeply",
      );
    }
    throw err;
  }
}

function runUnguarded(query: string, options: RunOptions): Table {
  const budget: Budget = { ...DEFAULT_BUDGET, ...(options.budget ?? {}) };
  const started = Date.now();
  const known = knownTableSchemas();
  const tables = new Map<string, () => Table>();
  const shapes = new Map<string, Column[]>();
  // Kusto.Language only needs the tables the query can name: building its global state for all
  // known schemas costs seconds, for the few a query mentions milliseconds.
  const prefixes = [...query.matchAll(/([A-Za-z_]\w*)\*/g)].map((m) => m[1]);
  for (const [name, schema] of known) {
    const cols = schemaColumns(schema);
    if (query.includes(name) || prefixes.some((p) => name.startsWith(p))) shapes.set(name, cols);
    tables.set(name, () => ({ columns: cols, rows: [] }));
  }
  const supplied = new Set<string>();
  for (const [name, input] of Object.entries(options.tables ?? {})) {
    const schema = known.get(name);
    const t = tableFromInput(input, schema ? schemaColumns(schema) : undefined, `table ${name}`);
    supplied.add(name);
    shapes.set(name, t.columns);
    tables.set(name, () => t);
  }
  for (const [name, t] of Object.entries(options.engineTables ?? {})) {
    supplied.add(name);
    shapes.set(name, t.columns);
    tables.set(name, () => t);
  }
  const functions = new Map<string, () => Table>();
  const functionSchemas: FunctionSchema[] = [];
  const declared = new Set<string>();
  const addFunction = (key: string, input: TableInput) => {
    const t = tableFromInput(input, undefined, `function ${key}`);
    functions.set(key, () => t);
    const m = /^([A-Za-z_][\w]*)\s*(?:\((.*)\))?$/.exec(key.trim());
    if (!m) return;
    const [, fname, argText] = m;
    if (declared.has(fname)) return;
    declared.add(fname);
    const argc = argText ? argText.split(",").filter((s) => s.trim()).length : 0;
    functionSchemas.push({
      Name: fname,
      Parameters: Array.from({ length: argc }, (_, i) => ({ Name: `arg${i}`, Type: "dynamic" })),
      Properties: t.columns.map((c) => ({ Name: c.name, Type: c.type })),
    });
  };
  for (const [key, input] of Object.entries(options.functions ?? {})) addFunction(key, input);
  for (const [alias, input] of Object.entries(options.watchlists ?? {})) {
    addFunction(`_GetWatchlist('${alias}')`, input);
    functions.set(
      `_GetWatchlist:${alias}`,
      functions.get(`_GetWatchlist('${alias}')`) as () => Table,
    );
  }
  for (const [url, input] of Object.entries(options.externaldata ?? {})) {
    functions.set(`externaldata:${url}`, () =>
      tableFromInput(input, undefined, `externaldata ${url}`),
    );
  }
  // Known functions the query names and the caller does not supply: those with a body (ASIM
  // parsers) are defined before the query as let-functions, so they really run over the
  // tables; those without one are empty tables with their columns.
  let prelude = "";
  for (const [name, f] of knownFunctions()) {
    if (declared.has(name) || !new RegExp(`\\b${name}\\b`).test(query)) continue;
    if (f.Body) {
      const params = (f.Parameters ?? [])
        .map(
          (p) =>
            `${p.Name}:${p.Type.toLowerCase()}${p.Default !== undefined ? ` = ${p.Default}` : ""}`,
        )
        .join(", ");
      prelude += `let ${name} = (${params}) {\n${f.Body}\n};\n`;
      continue;
    }
    functionSchemas.push(f);
    const columns: Column[] = (f.Properties ?? []).map((p) => ({
      name: p.Name,
      type: kustoType(p.Type) ?? "dynamic",
    }));
    functions.set(`known:${name}`, () => ({ columns, rows: [] }));
  }
  if (prelude) {
    // The parsers read tables the query itself may not name.
    for (const [name, schema] of known) {
      if (!shapes.has(name) && prelude.includes(name)) shapes.set(name, schemaColumns(schema));
    }
  }
  const ctx: RunContext = {
    now: nowTicks(options.now),
    budget,
    deadline: started + budget.maxMillis,
    tables,
    functions,
    suppliedTables: supplied,
    asTables: new Map(),
    tick: 0,
  };
  const text = prelude + query;
  const preludeLines = prelude ? prelude.split("\n").length - 1 : 0;
  const code = analyze(text, globalsForTables(shapes, functionSchemas));
  setQueryText(text, preludeLines);
  // Syntax errors stop the query; semantic diagnostics do not (the engine resolves names
  // itself, and the caller's schemas may be partial).
  const syntaxErrors = code.GetSyntaxDiagnostics
    ? toArray(code.GetSyntaxDiagnostics()).filter((d) => /error/i.test(d.Severity))
    : [];
  if (syntaxErrors.length > 0) {
    const d = syntaxErrors[0];
    const { line, column } = queryPosition(d.Start);
    throw new KqlError(`syntax error at line ${line}:${column}: ${d.Message}`, line, column);
  }
  try {
    return evalQuery(code.Syntax, ctx, options.parameters ?? {});
  } catch (err) {
    // A query Kusto itself rejects (an unknown column, a wrong type) fails here too; say what
    // Kusto.Language found, which is usually the real cause.
    if (
      err instanceof KqlError &&
      !(err instanceof BudgetError) &&
      !/unsupported/.test(err.message)
    ) {
      const semantic = toArray(code.GetDiagnostics()).find((d) => /error/i.test(d.Severity));
      if (semantic) {
        const at = queryPosition(semantic.Start);
        throw new KqlError(
          `${err.message} (Kusto.Language reports: ${semantic.Message} at line ${at.line}:${at.column})`,
          err.line,
          err.column,
        );
      }
    }
    throw err;
  }
}

function evalQuery(
  root: SyntaxElement,
  ctx: RunContext,
  parameters: Record<string, unknown>,
): Table {
  const env: Env = { vars: new Map() };
  const scope = scopeFor([], env, ctx);
  let result: Table | undefined;
  for (const st of listItems(child(root, "Statements"))) {
    switch (kindOf(st)) {
      case "LetStatement":
        bindLet(st, scope);
        break;
      case "ExpressionStatement":
        result = evalTabular(child(st, "Expression") as SyntaxElement, env, ctx);
        break;
      case "QueryParametersStatement":
        bindQueryParameters(st, env, ctx, parameters);
        break;
      case "SetOptionStatement":
      case "AliasStatement":
      case "RestrictStatement":
        break;
      default:
        throw unsupported(`statement '${kindOf(st)}'`, st);
    }
  }
  if (!result) throw new KqlError("the query has no tabular expression to return");
  return result;
}

/** `declare query_parameters(name:type = default, …)`: the caller's value, else the default. */
function bindQueryParameters(
  st: SyntaxElement,
  env: Env,
  ctx: RunContext,
  parameters: Record<string, unknown>,
): void {
  const scope = scopeFor([], env, ctx);
  for (const p of listItems(child(st, "Parameters"))) {
    const decl = child(p, "NameAndType");
    const name = nameOf(child(decl, "Name"));
    const typeName = textOf(child(decl, "Type")).trim();
    const type = kustoType(typeName);
    if (!type) throw unsupported(`query parameter type '${typeName}'`, p);
    if (Object.prototype.hasOwnProperty.call(parameters, name)) {
      let value: Value;
      try {
        value = valueFromInput(parameters[name], type);
      } catch (err) {
        throw new KqlError(
          `query parameter '${name}': ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      env.vars.set(name, { kind: "scalar", value, type });
      continue;
    }
    const def = child(child(p, "DefaultValue"), "Value");
    if (!def) {
      throw new KqlError(
        `query parameter '${name}' has no default: supply it in the parameters option`,
      );
    }
    const c = compileExpr(def, scope);
    env.vars.set(name, { kind: "scalar", value: c.fn([], 0, []), type: c.type });
  }
}

function textOf(e: SyntaxElement | undefined): string {
  if (!e) return "";
  if (e.IsToken) return e.Text ?? "";
  let out = "";
  for (let i = 0; i < e.ChildCount; i++) {
    const c = e.GetChild(i);
    if (c) out += textOf(c);
  }
  return out;
}
