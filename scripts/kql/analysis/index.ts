// The KQL analysis every KQL check reads: each rule's query analysed once per lint run, by
// Kusto.Language, through the on-disk cache, on worker threads when there are many.
//
// Every KQL check's `prepare` calls `prepareAnalysis`; the first does the work and the others
// find it done. `analysisOf(rule)` then gives a check the facts of the rule's query.

import * as os from "node:os";
import * as path from "node:path";
import type { Rule } from "../../rules/load";
import type { LintConfig } from "../../lint/config";
import { progress as progressLine, type Output } from "../../cli/io";
import { AnalysisCache, cacheKey, DEFAULT_CACHE_DIR } from "./cache";
import { analyseWith, EngineSchemas } from "./engine";
import type { QueryFacts } from "./facts";
import { analyseInWorkers } from "./pool";
import { loadSchemaSet, SchemaProblem, SchemaSet, watchlistColumns } from "./schemas";

export type { QueryFacts } from "./facts";

/** Below this many queries to analyse, starting workers costs more than it saves. */
export const WORKER_THRESHOLD = 50;

export interface AnalysisOptions {
  /** Worker threads: a number, or "auto" (one per core when there are enough queries). */
  workers?: number | "auto";
  /** Cache directory (relative to the root), or false to disable the cache. */
  cache?: string | false;
}

export interface AnalysisRun {
  schemas: SchemaSet;
  /** Facts per query text. */
  facts: Map<string, QueryFacts>;
  stats: { queries: number; cached: number; analysed: number; workers: number; ms: number };
}

/** Options from `kql:` in sentinel-dac.config.yaml (`workers`, `cache`), validated loosely. */
export function optionsFromConfig(config: LintConfig): AnalysisOptions {
  const kql = (config.raw.kql ?? {}) as Record<string, unknown>;
  const opts: AnalysisOptions = {};
  if (typeof kql.workers === "number" && kql.workers >= 0) opts.workers = Math.floor(kql.workers);
  if (kql.cache === false) opts.cache = false;
  else if (typeof kql.cache === "string") opts.cache = kql.cache;
  const env = process.env.SENTINEL_DAC_KQL_WORKERS;
  if (env && /^\d+$/.test(env)) opts.workers = Number(env);
  return opts;
}

export function engineSchemas(set: SchemaSet): EngineSchemas {
  return {
    tables: set.tables,
    functions: set.functions,
    watchlists: set.watchlists.map((w) => ({ Name: w.Name, Properties: watchlistColumns(set, w) })),
    fingerprint: set.fingerprint,
  };
}

/** Analyses the distinct queries; uses and fills the cache. */
export async function analyseQueries(
  queries: string[],
  root: string,
  options: AnalysisOptions = {},
  schemas: SchemaSet = loadSchemaSet(root),
  progress?: Output,
): Promise<AnalysisRun> {
  const t0 = Date.now();
  const engine = engineSchemas(schemas);
  const distinct = [...new Set(queries)];
  const cache =
    options.cache === false
      ? undefined
      : new AnalysisCache(path.resolve(root, options.cache ?? DEFAULT_CACHE_DIR));
  const facts = new Map<string, QueryFacts>();
  const todo: string[] = [];
  for (const q of distinct) {
    const hit = cache?.get(cacheKey(q, schemas.fingerprint));
    if (hit) facts.set(q, hit);
    else todo.push(q);
  }
  const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const workers =
    options.workers === undefined || options.workers === "auto"
      ? todo.length > WORKER_THRESHOLD
        ? Math.min(cores, Math.ceil(todo.length / WORKER_THRESHOLD))
        : 0
      : options.workers;
  let results: QueryFacts[] | undefined;
  let used = workers;
  const bar = progressLine(progress ?? { write: () => undefined }, "analysing KQL", todo.length);
  if (workers > 0 && todo.length > 0) {
    try {
      results = await analyseInWorkers(todo, engine, workers, (done) => bar.tick(done));
    } catch {
      // A worker that cannot start (an odd install, a sandbox without threads) must not stop
      // lint: the main thread does the work instead, only slower.
      used = 0;
    }
  }
  results ??= todo.map((q, i) => {
    bar.tick(i + 1);
    return analyseWith(engine, q);
  });
  bar.done();
  todo.forEach((q, i) => {
    facts.set(q, results[i]);
    cache?.set(cacheKey(q, schemas.fingerprint), results[i]);
  });
  return {
    schemas,
    facts,
    stats: {
      queries: distinct.length,
      cached: distinct.length - todo.length,
      analysed: todo.length,
      workers: todo.length ? used : 0,
      ms: Date.now() - t0,
    },
  };
}

// --- the per-lint-run state the checks share ---

interface RunState {
  rules: WeakSet<Rule>;
  run?: AnalysisRun;
  /** Schema files that could not be used: reported once per run. */
  problems: SchemaProblem[];
  problemsReported: boolean;
  pending?: Promise<void>;
  /** Why the analysis failed as a whole (a bug, or a schema Kusto.Language rejects). */
  failure?: string;
}

let state: RunState | undefined;

/**
 * Analyses the queries of these rules unless this lint run already did. A lint run is
 * recognised by its rule objects: the runner loads fresh ones each run.
 */
export async function prepareAnalysis(
  rules: Rule[],
  ctx: { root: string; config: LintConfig; progress?: Output },
): Promise<void> {
  const withQuery = rules.filter((r) => typeof r.query === "string" && r.query.trim());
  if (state && withQuery.every((r) => state!.rules.has(r))) {
    await state.pending;
    return;
  }
  const fresh = !state || !rules.some((r) => state!.rules.has(r));
  if (fresh) {
    state = { rules: new WeakSet(), problems: [], problemsReported: false };
  }
  const s = state!;
  for (const r of withQuery) s.rules.add(r);
  const job = (async () => {
    try {
      const schemas = s.run?.schemas ?? loadSchemaSet(ctx.root);
      s.problems = schemas.problems;
      const queries = withQuery.map((r) => r.query as string).filter((q) => !s.run?.facts.has(q));
      const run = await analyseQueries(
        queries,
        ctx.root,
        optionsFromConfig(ctx.config),
        schemas,
        ctx.progress,
      );
      if (s.run) for (const [q, f] of run.facts) s.run.facts.set(q, f);
      else s.run = run;
    } catch (err) {
      // Lint goes on with its other checks; kql-syntax reports this on each rule.
      s.failure = err instanceof Error ? err.message : String(err);
    }
  })();
  s.pending = job;
  await job;
}

/** The facts of a rule's query (undefined for rules without a query or not prepared). */
export function analysisOf(rule: Rule): QueryFacts | undefined {
  if (!rule.query || !state?.rules.has(rule)) return undefined;
  return state.run?.facts.get(rule.query);
}

/** Why the KQL analysis of this lint run failed as a whole, if it did. */
export function analysisFailure(rule: Rule): string | undefined {
  return state?.rules.has(rule) ? state.failure : undefined;
}

/** Schema files that could not be used, once per lint run (the first caller gets them). */
export function takeSchemaProblems(): SchemaProblem[] {
  if (!state || state.problemsReported) return [];
  state.problemsReported = true;
  return state.problems;
}
