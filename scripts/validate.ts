// `sentinel-dac validate [paths…]`: the main job. Runs lint (schemas, ATT&CK, KQL analysis),
// then dedupe, then the fixture tests, and exits with the worst of their exit codes.
//
// For people (stylish) and GitHub (github) each step prints as it goes. For tools, `json` and
// `sarif` print ONE document: `{"lint": [...], "dedupe": [...], "test": {...}}`, and one SARIF
// log with a run per step.

import type { CommandIo } from "./cli/io";
import { memoryIo, parseCommandArgs, UsageError } from "./cli/io";
import { main as lintMain } from "./lint/command";
import { mainWithoutLoadErrors as dedupeMain } from "./indicators/command";
import { main as testMain } from "./fixtures/command";

const USAGE = `Usage: sentinel-dac validate [paths…] [options]

Runs every check over the rules (default: detections/): lint, then dedupe, then the fixture
tests. Exits 0 when all are clean, 1 when any found a problem, 2 on a usage or internal error.

Options:
  --format <name>        stylish | json | github | sarif (default: stylish)
                         json: one object {"lint": [...], "dedupe": [...], "test": {...}}
                         sarif: one SARIF 2.1.0 log with a run per step
  --changed-since <ref>  per-file checks and tests only for files changed since the git ref;
                         repository-wide checks (unique ids and names, shared indicators)
                         still see every file
  -h, --help             show this help
`;

type Step = [string, (argv: string[], io: CommandIo) => Promise<number>];

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    format: { type: "string", default: "stylish" },
    "changed-since": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const format = values.format as string;
  if (!["stylish", "json", "github", "sarif"].includes(format)) {
    throw new UsageError(`unknown format '${format}'; use one of: stylish, json, github, sarif`);
  }
  const since = values["changed-since"] as string | undefined;
  const withSince = since ? ["--changed-since", since] : [];
  // Under --changed-since each step still reads every rule (ids, names and indicators repeat
  // across rules) and reports on the changed files.
  const steps: Step[] = [
    ["lint", lintMain],
    ["dedupe", dedupeMain],
    ["test", testMain],
  ];

  const combined = format === "json" || format === "sarif";
  const outputs: Record<string, unknown> = {};
  let worst = 0;
  for (const [name, step] of steps) {
    const args = [...positionals, "--format", format, ...withSince];
    if (!combined) {
      if (format === "stylish") io.stdout.write(`── ${name} ──\n`);
      worst = Math.max(worst, await step(args, io));
      continue;
    }
    const captured = memoryIo(io.cwd, io.env);
    captured.stderr = io.stderr;
    const code = await step(args, captured);
    worst = Math.max(worst, code);
    if (code === 2) {
      // The step already explained itself on stderr; keep the document well-formed.
      outputs[name] = { error: `${name} failed with exit code 2 (see stderr)` };
      continue;
    }
    try {
      outputs[name] = JSON.parse(captured.out);
    } catch {
      outputs[name] = { error: `${name} printed output that is not JSON` };
      worst = 2;
    }
  }
  if (format === "json") io.stdout.write(`${JSON.stringify(outputs, null, 2)}\n`);
  if (format === "sarif") io.stdout.write(`${JSON.stringify(mergeSarif(outputs), null, 2)}\n`);
  return worst;
}

interface SarifLog {
  $schema?: string;
  version?: string;
  runs?: unknown[];
}

/** One log holding every step's runs (SARIF allows several runs in one log). */
function mergeSarif(outputs: Record<string, unknown>): SarifLog {
  const runs: unknown[] = [];
  for (const value of Object.values(outputs)) {
    const log = value as SarifLog;
    if (Array.isArray(log?.runs)) runs.push(...log.runs);
  }
  return { $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs };
}
