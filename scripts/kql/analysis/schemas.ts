// The tables, functions and watchlists a query is analysed against.
//
// The tool ships schemas for common Sentinel and Defender tables (`schemas/tables/`) and for
// `_GetWatchlist` (`schemas/functions/`). A repository adds its own in the same folders under
// its root (custom `_CL` tables, ASIM parsers, saved functions) and describes its watchlists in
// `schemas/watchlists/<alias>.json`; a repository file with the same name as a shipped one
// replaces it. The same loaders give the fixture runner its column types.

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ColumnSchema, FunctionSchema, TableSchema } from "../kusto";

/** Where the shipped schemas live (the tool's own `schemas/`). */
export const BUILTIN_SCHEMA_DIR = path.resolve(__dirname, "../../../schemas");

/** The function whose output depends on its argument: each watchlist has its own columns. */
export const WATCHLIST_FUNCTION = "_GetWatchlist";

/** The database `_GetWatchlist` reads from in the analyser's global state. */
export const WATCHLIST_DATABASE = "__watchlists";

const KUSTO_TYPES = new Set([
  "bool",
  "boolean",
  "int",
  "long",
  "real",
  "double",
  "decimal",
  "string",
  "datetime",
  "date",
  "timespan",
  "time",
  "guid",
  "uniqueid",
  "dynamic",
]);

export interface SchemaProblem {
  /** Path of the schema file (as given: absolute or relative to the root). */
  file: string;
  line: number;
  column: number;
  message: string;
}

export class SchemaError extends Error {
  constructor(readonly problems: SchemaProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join("\n"));
  }
}

export interface SchemaSet {
  tables: TableSchema[];
  functions: FunctionSchema[];
  /** One entry per watchlist alias: its own columns (the standard ones are added on use). */
  watchlists: TableSchema[];
  /** Changes whenever any schema changes: part of the analysis cache key. */
  fingerprint: string;
  /** Files that were skipped because they are not valid schema files. */
  problems: SchemaProblem[];
}

type Kind = "tables" | "functions" | "watchlists";

function schemaDirs(root: string, kind: Kind): string[] {
  const dirs = [path.join(BUILTIN_SCHEMA_DIR, kind)];
  const own = path.resolve(root, "schemas", kind);
  if (path.resolve(dirs[0]) !== own) dirs.push(own);
  return dirs;
}

function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/** Where a string value sits in a JSON text, to point a problem at it (start of file if absent). */
function locate(text: string, needle: string | undefined): { line: number; column: number } {
  const at = needle === undefined ? -1 : text.indexOf(JSON.stringify(needle));
  return at < 0 ? { line: 1, column: 1 } : positionOf(text, at);
}

function validColumns(
  value: unknown,
  problem: (message: string, near?: string) => void,
  where: string,
): ColumnSchema[] | undefined {
  if (!Array.isArray(value)) {
    problem(`\`${where}\` must be a list of {"Name", "Type"}`, where);
    return undefined;
  }
  const out: ColumnSchema[] = [];
  const seen = new Set<string>();
  for (const item of value as unknown[]) {
    const col = (item ?? {}) as Record<string, unknown>;
    if (typeof col.Name !== "string" || !col.Name) {
      problem(`every entry of \`${where}\` needs a "Name"`, where);
      return undefined;
    }
    if (typeof col.Type !== "string" || !KUSTO_TYPES.has(col.Type.toLowerCase())) {
      problem(
        `the column '${col.Name}' has type ${JSON.stringify(col.Type)}; use one of bool, int, long, real, decimal, string, datetime, timespan, guid, dynamic`,
        col.Name,
      );
      return undefined;
    }
    if (seen.has(col.Name)) {
      problem(`the column '${col.Name}' is listed twice`, col.Name);
      return undefined;
    }
    seen.add(col.Name);
    out.push({ Name: col.Name, Type: col.Type.toLowerCase() });
  }
  return out;
}

function parseSchemaFile(
  file: string,
  kind: Kind,
): { table?: TableSchema; fn?: FunctionSchema; problems: SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    problems.push({
      file,
      line: 1,
      column: 1,
      message: `cannot read the file (${e.code ?? e.message})`,
    });
    return { problems };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    const pos = at ? positionOf(text, Number(at[1])) : { line: 1, column: 1 };
    problems.push({ file, ...pos, message: `not valid JSON: ${message}` });
    return { problems };
  }
  const problem = (message: string, near?: string) =>
    problems.push({ file, ...locate(text, near), message });
  if (!data || typeof data !== "object" || Array.isArray(data)) {
    problem('the file must hold one object: {"Name": …, "Properties": [{"Name", "Type"}]}');
    return { problems };
  }
  const obj = data as Record<string, unknown>;
  const expected = path.basename(file, ".json");
  if (typeof obj.Name !== "string" || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(obj.Name)) {
    problem(`"Name" must be the ${kind === "functions" ? "function" : "table"} name`, "Name");
    return { problems };
  }
  if (obj.Name !== expected) {
    problem(
      `"Name" is '${obj.Name}' but the file is named ${expected}.json; make them equal`,
      obj.Name,
    );
    return { problems };
  }
  if (kind !== "functions") {
    const columns = validColumns(obj.Properties, problem, "Properties");
    if (!columns) return { problems };
    return { table: { Name: obj.Name, Properties: columns }, problems };
  }
  const fn: FunctionSchema = { Name: obj.Name };
  if (obj.Parameters !== undefined) {
    if (!Array.isArray(obj.Parameters)) {
      problem('"Parameters" must be a list of {"Name", "Type", "Default"?}', "Parameters");
      return { problems };
    }
    fn.Parameters = [];
    for (const p of obj.Parameters as Record<string, unknown>[]) {
      const name = p?.Name;
      const type = p?.Type;
      if (typeof name !== "string" || typeof type !== "string") {
        problem('every parameter needs a "Name" and a "Type"', "Parameters");
        return { problems };
      }
      const isTabular = /^\(.*\)$/.test(type.trim());
      if (!isTabular && !KUSTO_TYPES.has(type.toLowerCase())) {
        problem(`the parameter '${name}' has an unknown type '${type}'`, name);
        return { problems };
      }
      fn.Parameters.push({
        Name: name,
        Type: type,
        ...(p.Default !== undefined ? { Default: String(p.Default) } : {}),
      });
    }
  }
  if (obj.Properties !== undefined) {
    const columns = validColumns(obj.Properties, problem, "Properties");
    if (!columns) return { problems };
    fn.Properties = columns;
  }
  if (obj.Body !== undefined) {
    if (typeof obj.Body !== "string" || !obj.Body.trim()) {
      problem('"Body" must be the function\'s KQL body as a string', "Body");
      return { problems };
    }
    fn.Body = obj.Body;
  }
  if (fn.Properties === undefined && fn.Body === undefined) {
    problem('a function needs "Properties" (its output columns) or a "Body"');
    return { problems };
  }
  return { fn, problems };
}

function readKind(
  root: string,
  kind: Kind,
): { tables: TableSchema[]; functions: FunctionSchema[]; problems: SchemaProblem[] } {
  const byName = new Map<string, TableSchema | FunctionSchema>();
  const problems: SchemaProblem[] = [];
  for (const dir of schemaDirs(root, kind)) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.toLowerCase().endsWith(".json"));
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const file = path.join(dir, name);
      const parsed = parseSchemaFile(file, kind);
      problems.push(
        ...parsed.problems.map((p) => ({ ...p, file: path.relative(root, p.file) || p.file })),
      );
      const item = parsed.table ?? parsed.fn;
      if (item) byName.set(item.Name, item);
    }
  }
  const items = [...byName.values()].sort((a, b) => a.Name.localeCompare(b.Name));
  return kind === "functions"
    ? { tables: [], functions: items as FunctionSchema[], problems }
    : { tables: items as TableSchema[], functions: [], problems };
}

function orThrow<T>(r: { problems: SchemaProblem[] }, value: T): T {
  if (r.problems.length) throw new SchemaError(r.problems);
  return value;
}

/** Table schemas: shipped ones plus the repository's `schemas/tables/*.json`. Throws SchemaError. */
export function loadTableSchemas(root: string): TableSchema[] {
  const r = readKind(root, "tables");
  return orThrow(r, r.tables);
}

/** Function schemas: shipped ones plus the repository's `schemas/functions/*.json`. */
export function loadFunctionSchemas(root: string): FunctionSchema[] {
  const r = readKind(root, "functions");
  return orThrow(r, r.functions);
}

/** Watchlist schemas (`schemas/watchlists/<alias>.json`): each watchlist's own columns. */
export function loadWatchlistSchemas(root: string): TableSchema[] {
  const r = readKind(root, "watchlists");
  return orThrow(r, r.tables);
}

/** Everything at once, keeping going past bad files (lint reports them). */
export function loadSchemaSet(root: string): SchemaSet {
  const t = readKind(root, "tables");
  const f = readKind(root, "functions");
  const w = readKind(root, "watchlists");
  const set = { tables: t.tables, functions: f.functions, watchlists: w.tables };
  const fingerprint = crypto.createHash("sha256").update(JSON.stringify(set)).digest("hex");
  return { ...set, fingerprint, problems: [...t.problems, ...f.problems, ...w.problems] };
}

/**
 * The standard columns every `_GetWatchlist` result has (from its function schema), then the
 * watchlist's own; a watchlist column with a standard name replaces it.
 */
export function watchlistColumns(set: SchemaSet, watchlist: TableSchema): ColumnSchema[] {
  const standard = set.functions.find((f) => f.Name === WATCHLIST_FUNCTION)?.Properties ?? [];
  const own = new Set(watchlist.Properties.map((c) => c.Name));
  return [...standard.filter((c) => !own.has(c.Name)), ...watchlist.Properties];
}
