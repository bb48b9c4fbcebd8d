// Writes a CI job summary (markdown) to stdout, for `>> "$GITHUB_STEP_SUMMARY"`:
//
//   node bin/run-ts.js scripts/github/summary.ts --title "…" \
//     [--findings lint.json]… [--tests tests.json] [--plan plan.txt]
//
// An input that is missing or unreadable (its step failed before writing it) is said in the
// summary and on stderr; the summary still shows the rest, and the exit code stays 0 because
// the step that failed already failed the job. Bad arguments exit 2.

import * as fs from "node:fs";
import * as path from "node:path";
import { CommandIo, parseCommandArgs, processIo, UsageError } from "../cli/io";
import type { Finding } from "../lint/finding";
import {
  parseReport,
  parseTestResults,
  SummaryInput,
  SummaryInputError,
  summaryMarkdown,
} from "../report/summary";

const USAGE = `Usage: node bin/run-ts.js scripts/github/summary.ts --title TEXT [options]

Prints a job summary in markdown: findings by rule file and check, test results, a plan.

Options:
  --title TEXT       the summary's heading
  --findings FILE    \`lint|dedupe|validate --format json\` output (repeatable); test results
                     in it (validate's) are shown too
  --tests FILE       results from \`test --format json\`
  --plan FILE        plain text to show as it is (plan or deploy output)
  -h, --help         show this help
`;

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    title: { type: "string", default: "sentinel-dac" },
    findings: { type: "string", multiple: true },
    tests: { type: "string" },
    plan: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const findingsFiles = (values.findings as string[] | undefined) ?? [];
  if (!findingsFiles.length && !values.tests && !values.plan) {
    throw new UsageError("give at least one of --findings, --tests or --plan");
  }

  const problems: string[] = [];
  const read = (file: string): string | undefined => {
    try {
      const text = fs.readFileSync(path.resolve(io.cwd, file), "utf8");
      if (!text.trim()) {
        problems.push(`${file} is empty: the step that writes it produced no output`);
        return undefined;
      }
      return text;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      problems.push(
        code === "ENOENT"
          ? `${file} is missing: the step that writes it did not run or failed early`
          : `${file} cannot be read (${code ?? String(err)})`,
      );
      return undefined;
    }
  };
  const parse = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof SummaryInputError)) throw err;
      problems.push(err.message);
      return undefined;
    }
  };

  const input: SummaryInput = { title: values.title as string, problems };
  if (findingsFiles.length) {
    const all: Finding[] = [];
    for (const file of findingsFiles) {
      const text = read(file);
      const found = text === undefined ? undefined : parse(() => parseReport(text, file));
      if (found) all.push(...found.findings);
      // `validate --format json` carries the test results too.
      if (found?.tests && !values.tests) input.tests = found.tests;
    }
    input.findings = all;
  }
  if (values.tests) {
    const file = values.tests as string;
    const text = read(file);
    if (text !== undefined) input.tests = parse(() => parseTestResults(text, file));
  }
  if (values.plan) {
    const text = read(values.plan as string);
    if (text !== undefined) input.text = text;
  }
  for (const p of problems) io.stderr.write(`summary: ${p}\n`);
  io.stdout.write(summaryMarkdown(input));
  return 0;
}

// Run when executed (node bin/run-ts.js scripts/github/summary.ts), not when imported by tests.
if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  const io = processIo();
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      io.stderr.write(`summary: ${err instanceof Error ? err.message : String(err)}\n`);
      if (err instanceof UsageError) io.stderr.write(USAGE);
      process.exitCode = 2;
    },
  );
}
