// Turns a schema set into Kusto.Language's global state, once per schema fingerprint (building
// it is the slow part: about 0.2 s), and analyses queries against it.

import { globalsForDatabases, FunctionSchema, TableSchema } from "../kusto";
import { analyseQuery, AnalysisContext, QueryFacts } from "./facts";
import { WATCHLIST_DATABASE, WATCHLIST_FUNCTION } from "./schemas";

/** The parts of a SchemaSet the analyser needs; plain data, so it can be sent to workers. */
export interface EngineSchemas {
  tables: TableSchema[];
  functions: FunctionSchema[];
  /** Full watchlist tables: standard `_GetWatchlist` columns plus the watchlist's own. */
  watchlists: TableSchema[];
  fingerprint: string;
}

/** Kusto.Language's name of a schema type (`boolean` → `bool`, `double` → `real`). */
function normaliseType(t: string): string {
  const map: Record<string, string> = {
    boolean: "bool",
    double: "real",
    date: "datetime",
    time: "timespan",
    uniqueid: "guid",
  };
  const l = t.toLowerCase();
  return map[l] ?? l;
}

let current: { fingerprint: string; ctx: AnalysisContext } | undefined;

export function contextFor(schemas: EngineSchemas): AnalysisContext {
  if (current?.fingerprint === schemas.fingerprint) return current.ctx;
  const functions = schemas.functions.map((f) =>
    // `_GetWatchlist('alias')` returns the columns of that alias's watchlist when the
    // repository describes it, and an open schema (any column allowed) when it does not.
    f.Name === WATCHLIST_FUNCTION && f.Body === undefined
      ? {
          ...f,
          Body: `database('${WATCHLIST_DATABASE}').table(${f.Parameters?.[0]?.Name ?? "watchlistAlias"})`,
        }
      : f,
  );
  const globals = globalsForDatabases(schemas.tables, functions, [
    { name: WATCHLIST_DATABASE, tables: schemas.watchlists },
  ]);
  const columnTypes = new Map<string, Set<string>>();
  for (const t of schemas.tables) {
    for (const c of t.Properties) {
      const set = columnTypes.get(c.Name) ?? new Set<string>();
      set.add(normaliseType(c.Type));
      columnTypes.set(c.Name, set);
    }
  }
  const ctx: AnalysisContext = {
    columnTypes,
    globals,
    tableNames: new Set(schemas.tables.map((t) => t.Name)),
    functionNames: new Set(functions.map((f) => f.Name)),
  };
  current = { fingerprint: schemas.fingerprint, ctx };
  return ctx;
}

/** Analyses one query; an internal failure of the analyser becomes a diagnostic, not a crash. */
export function analyseWith(schemas: EngineSchemas, query: string): QueryFacts {
  const ctx = contextFor(schemas);
  try {
    return analyseQuery(query, ctx);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return {
      diagnostics: [
        {
          code: "SD000",
          severity: "error",
          category: "Internal",
          message: `Kusto.Language failed on this query (${message}); please report it`,
          start: 0,
          length: 0,
          syntax: true,
        },
      ],
      analyzer: [],
      output: null,
      outputOpen: false,
      tables: [],
      tableNameLiterals: [],
      functions: [],
      wildcards: [],
      lookbacks: [],
      hints: [],
    };
  }
}
