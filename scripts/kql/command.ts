// `sentinel-dac kql run|batch`: run KQL in the local engine.
//
//   kql run [--query-file F | stdin] [--tables DIR] [--now ISO] [--format table|json]
//   kql batch CASES.jsonl [--tables DIR] [--now ISO] [--max-millis N] [--max-rows N]
//
// DIR holds `<Table>.json` files: an array of row objects, or a Log Analytics query API
// response `{tables: [{name, columns: [{name, type}], rows}]}` (its first table is used).
// Batch reads lines `{id, query}` and writes one line per case: `{id, columns, rows}` or
// `{id, error}`. Each case has its own time budget, and one failure never stops the others.

import * as fs from "node:fs";
import * as path from "node:path";
import { parseCommandArgs, UsageError, type CommandIo } from "../cli/io";
import { runExact, type RunOptions, type TableInput } from "./engine/index";
import type { OutputCell } from "./engine/values";

const USAGE = `Usage:
  sentinel-dac kql run [--query-file F] [--tables DIR] [--now ISO] [--format table|json]
  sentinel-dac kql batch CASES.jsonl [--tables DIR] [--now ISO] [--max-millis N] [--max-rows N]

Runs KQL in the local engine. The query comes from --query-file or standard input.
--tables DIR  <Table>.json files: an array of row objects, or a Log Analytics API response.
--now ISO     pins now()/ago() (default: the current time).
--format      table (default) or json ({columns, rows}).
batch reads JSON lines {id, query} and writes one line per case: {id, columns, rows} or {id, error}.
`;

interface LogAnalyticsResponse {
  tables: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] }[];
}

/** Reads every `<Table>.json` of a directory as engine input tables. */
export function readTablesDir(dir: string): Record<string, TableInput> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`--tables: '${dir}' is not a directory`);
  }
  const out: Record<string, TableInput> = {};
  for (const f of fs.readdirSync(dir).sort()) {
    if (!f.endsWith(".json")) continue;
    const file = path.join(dir, f);
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
      throw new UsageError(
        `${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`,
      );
    }
    const name = f.slice(0, -".json".length);
    if (Array.isArray(data)) out[name] = data as Record<string, unknown>[];
    else if (
      data &&
      typeof data === "object" &&
      Array.isArray((data as LogAnalyticsResponse).tables)
    ) {
      const t = (data as LogAnalyticsResponse).tables[0];
      if (!t) throw new UsageError(`${file}: the response holds no table`);
      out[name] = { columns: t.columns, rows: t.rows };
    } else {
      throw new UsageError(`${file}: expected an array of row objects or {tables: [...]}`);
    }
  }
  return out;
}

const CELL_WIDTH = 60;

function formatTable(columns: { name: string }[], rows: OutputCell[][]): string {
  let cut = false;
  // One line per row: line breaks inside a value show as \n, and a value wider than a column
  // ends in "…" (said below the table), never silently clipped.
  const text = (v: OutputCell) => {
    const s = (v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v)).replace(
      /\r?\n/g,
      "\\n",
    );
    if (s.length <= CELL_WIDTH) return s;
    cut = true;
    return s.slice(0, CELL_WIDTH - 1) + "…";
  };
  const cells = rows.map((r) => r.map(text));
  const widths = columns.map((c, i) => Math.max(c.name.length, ...cells.map((r) => r[i].length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]))
      .join(" | ")
      .trimEnd();
  const note = cut
    ? [
        `(values longer than ${CELL_WIDTH} characters are cut short; --format json shows them whole)`,
      ]
    : [];
  return (
    [
      line(columns.map((c) => c.name)),
      widths.map((w) => "-".repeat(w)).join("-+-"),
      ...cells.map(line),
      ...note,
    ].join("\n") + "\n"
  );
}

/**
 * JSON with NaN/Infinity kept as the bare literals Kusto's tools accept, and 64-bit longs
 * (bigints) as exact bare digits, which JSON.stringify cannot write.
 */
function toJsonLine(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : `"${value}"`;
  if (Array.isArray(value)) return `[${value.map(toJsonLine).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const fields: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) fields.push(`${JSON.stringify(k)}:${toJsonLine(v)}`);
    }
    return `{${fields.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function budgetFrom(values: { "max-millis"?: string; "max-rows"?: string }): RunOptions["budget"] {
  const budget: RunOptions["budget"] = {};
  if (values["max-millis"] !== undefined) {
    const n = Number(values["max-millis"]);
    if (!(n > 0)) throw new UsageError("--max-millis must be a positive number");
    budget.maxMillis = n;
  }
  if (values["max-rows"] !== undefined) {
    const n = Number(values["max-rows"]);
    if (!(n > 0)) throw new UsageError("--max-rows must be a positive number");
    budget.maxRows = n;
  }
  return budget;
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === "--help" || sub === "-h") {
    io.stdout.write(USAGE);
    return sub ? 0 : 2;
  }
  const { values, positionals } = parseCommandArgs(rest, {
    "query-file": { type: "string" },
    tables: { type: "string" },
    now: { type: "string" },
    format: { type: "string" },
    "max-millis": { type: "string" },
    "max-rows": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const tables = values.tables ? readTablesDir(path.resolve(io.cwd, values.tables)) : {};
  const base: RunOptions = { tables, now: values.now, budget: budgetFrom(values) };
  if (sub === "run") {
    let query: string;
    if (values["query-file"]) {
      const file = path.resolve(io.cwd, values["query-file"]);
      if (!fs.existsSync(file)) throw new UsageError(`--query-file: no file '${file}'`);
      query = fs.readFileSync(file, "utf8");
    } else if (io.readStdin) query = await io.readStdin();
    else throw new UsageError("give the query with --query-file or on standard input");
    if (!query.trim()) throw new UsageError("the query is empty");
    const format = values.format ?? "table";
    if (format !== "table" && format !== "json")
      throw new UsageError("--format must be table or json");
    try {
      const result = runExact(query, base);
      io.stdout.write(
        format === "json" ? toJsonLine(result) + "\n" : formatTable(result.columns, result.rows),
      );
      return 0;
    } catch (err) {
      const where = values["query-file"] ? `${values["query-file"]}: ` : "";
      io.stderr.write(`${where}${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
  }
  if (sub === "batch") {
    const file = positionals[0];
    if (!file) throw new UsageError("batch needs a CASES.jsonl file");
    const full = path.resolve(io.cwd, file);
    if (!fs.existsSync(full)) throw new UsageError(`no file '${full}'`);
    const lines = fs.readFileSync(full, "utf8").split("\n");
    let failed = 0;
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      let id: unknown = `line${i + 1}`;
      try {
        const c = JSON.parse(line) as { id?: unknown; query?: unknown };
        id = c.id ?? id;
        if (typeof c.query !== "string") throw new Error("the case has no 'query' string");
        const result = runExact(c.query, {
          ...base,
          budget: { maxMillis: 10_000, ...base.budget },
        });
        io.stdout.write(toJsonLine({ id, columns: result.columns, rows: result.rows }) + "\n");
      } catch (err) {
        failed++;
        const message = err instanceof Error ? err.message : String(err);
        io.stdout.write(toJsonLine({ id, error: message || "error" }) + "\n");
      }
    });
    if (failed) io.stderr.write(`${failed} case(s) failed\n`);
    return 0;
  }
  throw new UsageError(`unknown subcommand '${sub}' (run or batch)`);
}
