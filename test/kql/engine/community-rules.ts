// Runs every community rule's query on empty tables (or on seeded random rows) and sorts the
// outcomes: ran, invalid KQL (Kusto.Language's syntax diagnostics), unsupported feature, or
// another error. Used by the community-rules test and runnable alone:
// `node bin/run-ts.js test/kql/engine/community-rules.ts [DIR] [--random SEED]`.

import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import {
  knownFunctions,
  knownTableSchemas,
  kustoType,
  run,
  type TableInput,
} from "../../../scripts/kql/engine/index";
import { analyze, childNamed, globalsFor, kindOf, parse, walk } from "../../../scripts/kql/kusto";

const NOW = "2026-05-06T10:00:00Z";

export interface RuleOutcome {
  file: string;
  outcome: "ran" | "invalid" | "unsupported" | "error" | "bad-yaml";
  message?: string;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

export interface RunOptions {
  /** Tables to run on (default: none, so every known table is empty). */
  tables?: Record<string, TableInput>;
  /** Remove every `| where …` stage, so random rows reach the rest of the pipeline. */
  stripFilters?: boolean;
}

/** The query without its `| where …` stages. */
export function stripFilters(query: string): string {
  const cuts: [number, number][] = [];
  walk(parse(query).Syntax, (e) => {
    if (kindOf(e) !== "PipeExpression") return;
    const op = childNamed(e, "Operator");
    const bar = childNamed(e, "Bar");
    if (op && bar && kindOf(op) === "FilterOperator") cuts.push([bar.TextStart, op.End]);
  });
  let out = query;
  for (const [from, to] of cuts.sort((a, b) => b[0] - a[0]))
    out = out.slice(0, from) + out.slice(to);
  return out;
}

// Values that real rules compare, parse and join on, so random rows exercise more than nulls.
const STRINGS = [
  "",
  "admin",
  "alice@contoso.com",
  "10.0.0.5",
  "8.8.8.8",
  "evil.example.com",
  "powershell.exe",
  "cmd.exe /c whoami",
  "C:\\Windows\\System32\\cmd.exe",
  "Success",
  "Failure",
  "4624",
  "0",
  "true",
  '{"a":1,"b":"x"}',
  "[1,2,3]",
  "https://evil.example.com/a?b=c",
  "Add member to role",
  "S-1-5-21-1",
  "00000000-0000-0000-0000-000000000001",
  "High",
  "443",
  "a,b,c",
  "key=value;k2=v2",
];
const DYNAMICS = [
  [],
  ["a", "b"],
  [1, 2],
  { a: 1, b: "x" },
  [{ name: "displayName", newValue: '"x"', oldValue: null }],
  { ip: "10.0.0.5", city: "Paris" },
  "x",
];

/** Every known table with `rows` seeded random rows (nulls included). */
export function randomTables(seed: number, rows: number): Record<string, TableInput> {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(a: T[]): T => a[Math.floor(random() * a.length)];
  const now = Date.parse(NOW);
  const value = (type: string): unknown => {
    if (random() < 0.08) return null;
    switch (type) {
      case "string":
        return pick(STRINGS);
      case "datetime":
        return new Date(now - Math.floor(random() * 20 * 86_400_000)).toISOString();
      case "long":
      case "int":
        return pick([0, 1, 3, 443, 4624, 100_000]);
      case "real":
      case "decimal":
        return pick([0, 0.5, 100.25, -3]);
      case "bool":
        return random() < 0.5;
      case "timespan":
        return pick(["00:00:01", "01:00:00", "1.00:00:00"]);
      case "guid":
        return pick([
          "00000000-0000-0000-0000-000000000001",
          "11111111-2222-3333-4444-555555555555",
        ]);
      default:
        return pick(DYNAMICS);
    }
  };
  const tables: Record<string, TableInput> = {};
  for (const [name, schema] of knownTableSchemas()) {
    const columns = schema.Properties.map((p) => ({
      name: p.Name,
      type: kustoType(p.Type) ?? "dynamic",
    }));
    tables[name] = {
      columns,
      rows: Array.from({ length: rows }, () => columns.map((c) => value(c.type))),
    };
  }
  return tables;
}

/**
 * Rules whose result schema from the engine (run on empty tables) differs from the one
 * Kusto.Language computes statically: `name:type` lists of both. A difference means the engine
 * shapes a table unlike Kusto, or names columns over the wrong values.
 */
export function schemaDifferences(dir: string): { file: string; engine: string; kusto: string }[] {
  const globals = globalsFor([...knownTableSchemas().values()], [...knownFunctions().values()]);
  const out: { file: string; engine: string; kusto: string }[] = [];
  for (const file of yamlFiles(dir)) {
    let query: unknown;
    try {
      query = (parseYaml(fs.readFileSync(file, "utf8")) as { query?: unknown } | null)?.query;
    } catch {
      continue;
    }
    if (typeof query !== "string") continue;
    let engine: string;
    try {
      engine = run(query, { now: NOW })
        .columns.map((c) => `${c.name}:${c.type}`)
        .join(", ");
    } catch {
      continue;
    }
    const result = analyze(query, globals).ResultType;
    if (!result?.Columns) continue;
    const kusto: string[] = [];
    for (let i = 0; i < result.Columns.Count; i++) {
      const c = result.Columns.getItem(i);
      kusto.push(`${c.Name}:${kustoType(c.Type.Name) ?? c.Type.Name}`);
    }
    if (engine !== kusto.join(", "))
      out.push({ file: path.relative(dir, file), engine, kusto: kusto.join(", ") });
  }
  return out;
}

export function runCommunityRules(dir: string, options: RunOptions = {}): RuleOutcome[] {
  return yamlFiles(dir).flatMap((file): RuleOutcome[] => {
    let doc: { query?: unknown } | null;
    try {
      doc = parseYaml(fs.readFileSync(file, "utf8")) as { query?: unknown } | null;
    } catch (err) {
      return [
        {
          file,
          outcome: "bad-yaml",
          message: err instanceof Error ? err.message.split("\n")[0] : String(err),
        },
      ];
    }
    if (!doc || typeof doc.query !== "string") return [];
    try {
      const query = options.stripFilters ? stripFilters(doc.query) : doc.query;
      run(query, { now: NOW, tables: options.tables, budget: { maxMillis: 10_000 } });
      return [{ file, outcome: "ran" }];
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const outcome = /^syntax error|Kusto\.Language reports/.test(message)
        ? "invalid"
        : /unsupported/.test(message)
          ? "unsupported"
          : "error";
      return [{ file, outcome, message }];
    }
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--random");
  const seed = at >= 0 ? Number(args.splice(at, 2)[1]) : undefined;
  const dir = args[0] ?? path.resolve(__dirname, "../../../../shared/community-rules");
  const results = runCommunityRules(
    dir,
    seed === undefined ? {} : { tables: randomTables(seed, 60), stripFilters: true },
  );
  const count = (o: RuleOutcome["outcome"]) => results.filter((r) => r.outcome === o).length;
  for (const r of results)
    if (r.outcome !== "ran")
      console.log(`${r.outcome}: ${path.relative(dir, r.file)}: ${r.message}`);
  const valid = results.length - count("invalid") - count("bad-yaml");
  console.log(
    `rules: ${results.length}, ran: ${count("ran")}, invalid KQL: ${count("invalid")}, unsupported: ${count("unsupported")}, other errors: ${count("error")}, unreadable YAML: ${count("bad-yaml")}`,
  );
  console.log(
    `ran without 'unsupported' among valid queries: ${(((valid - count("unsupported")) / valid) * 100).toFixed(1)}%`,
  );
}
