// `sentinel-dac dedupe [paths…]`: repeated, equivalent, defanged and comma-less indicators in
// and across rules; `--fix` removes exact repeats and refangs; `--report` writes the index.

import * as fs from "node:fs";
import * as path from "node:path";
import type { CommandIo } from "../cli/io";
import { parseCommandArgs, progress, UsageError } from "../cli/io";
import type { Finding, Severity } from "../lint/finding";
import { FORMAT_NAMES } from "../lint/formatters";
import { checkFormat, exitCodeFor, printFindings } from "../report/findings";
import { findRuleFiles, loadRuleFile, queryRange } from "../rules/load";
import { encodeSource } from "../rules/source";
import { changedFiles, GitError } from "../git/changed";
import { ConfigError, defaultConfig, loadConfig, LintConfig, severityFor } from "../lint/config";
import { suppressionsOf } from "../lint/suppressions";
import {
  analyse,
  FINDING_IDS,
  FINDING_RULES,
  FixEdits,
  IndexEntry,
  RuleIndicators,
  sortIndex,
} from "./dedupe";
import { extractIndicators } from "./extract";
import { fixRule, FixKinds } from "./fix";

const USAGE = `Usage: sentinel-dac dedupe [paths…] [options]

Finds repeated, equivalent, defanged, malformed and comma-less indicators (domains, URLs,
IPs, hashes, emails, file names) in the indicator lists of rule queries (default path:
detections/), the same indicator in two lists of a rule, and indicators shared by rules.

Options:
  --format <name>   ${FORMAT_NAMES.join(" | ")} (default: stylish)
  --fix             remove exact repeats (keeping the first) and refang defanged values in
                    place; every other byte stays; a file is only written after the fix is
                    verified (it loads, parses, and a second run changes nothing)
  --report <dest>   write the repo-wide indicator index as JSON: \`--report json\` (or \`-\`)
                    to stdout instead of the findings; any other value is a file path
  --changed-since <ref>
                    report and fix only files changed since the git ref; indicators
                    shared with unchanged rules are still found
  -h, --help        show this help

Findings: duplicate-indicator and missing-comma are errors; equivalent-, defanged-,
redundant- and malformed-indicator are warnings; shared-indicator is info.
Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.
`;

export interface DedupeOptions {
  paths: string[];
  fix: boolean;
  /** Report files that do not load (YAML errors) as findings; `validate` turns this off. */
  loadErrors?: boolean;
  /** Repository-relative paths to report and fix; undefined: every file. */
  onlyFiles?: Set<string>;
  /** `checks:` severities of sentinel-dac.config.yaml apply to dedupe's finding ids too. */
  config?: LintConfig;
}

export interface DedupeRun {
  findings: Finding[];
  index: IndexEntry[];
  filesChecked: number;
  fixed: { file: string; removed: number; refanged: number }[];
  refused: { file: string; reason: string }[];
}

function loadAll(io: CommandIo, paths: string[], loadErrors: boolean) {
  const files = findRuleFiles(paths, io.cwd);
  const bar = progress(io.stderr, "dedupe", files.length);
  const rules: RuleIndicators[] = [];
  const problems: Finding[] = [];
  files.forEach((abs, i) => {
    const loaded = loadRuleFile(abs, io.cwd);
    if (loaded.rule?.query !== undefined) {
      try {
        rules.push({ rule: loaded.rule, extraction: extractIndicators(loaded.rule.query) });
      } catch (err) {
        // Kusto.Language parses anything; should it ever throw, one rule must not stop the run.
        const range = queryRange(loaded.rule, 0, 0);
        problems.push({
          file: loaded.rule.file.path,
          line: range.line,
          column: range.column,
          endLine: range.endLine,
          endColumn: range.endColumn,
          ruleId: "kql-syntax",
          severity: "error",
          message: `the query could not be parsed to look for indicators: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    } else if (!loaded.rule && loadErrors) {
      // The file could not be checked at all: say so rather than pass it silently.
      problems.push(...loaded.findings.filter((f) => f.severity === "error"));
    }
    bar.tick(i + 1, loaded.rule?.file.path ?? "");
  });
  bar.done();
  return { rules, problems, filesChecked: files.length };
}

/** Dedupe (and optionally fix) — shared by `dedupe` and `validate`. */
export function runDedupe(io: CommandIo, options: DedupeOptions): DedupeRun {
  const loadErrors = options.loadErrors ?? true;
  let loaded = loadAll(io, options.paths, loadErrors);
  const fixed: DedupeRun["fixed"] = [];
  const refused: DedupeRun["refused"] = [];
  const inScope = (file: string) => !options.onlyFiles || options.onlyFiles.has(file);
  const config = options.config ?? defaultConfig();
  // A rule's `suppress: [{check, reason}]` silences a dedupe finding as it does a lint one
  // (lint reports suppressions without a reason), and what is silenced is not fixed either.
  const silenced = (ri: RuleIndicators, id: string, severity: Severity) =>
    severityFor(config, id, severity) === "off" ||
    suppressionsOf(ri.rule).entries.some((e) => e.check === id);
  const kindsFor = (ri: RuleIndicators): FixKinds => ({
    remove: !silenced(ri, FINDING_IDS.duplicate, "error"),
    refang: !silenced(ri, FINDING_IDS.defanged, "warning"),
  });
  if (options.fix) {
    for (const ri of loaded.rules.filter((r) => inScope(r.rule.file.path))) {
      const result = fixRule(ri, kindsFor(ri));
      const file = ri.rule.file.path;
      if (result.refusal) refused.push({ file, reason: result.refusal });
      if (result.text !== undefined && result.text !== ri.rule.file.text) {
        try {
          fs.writeFileSync(ri.rule.file.absPath, encodeSource(ri.rule.file, result.text));
          fixed.push({ file, removed: result.removed, refanged: result.refanged });
        } catch (err) {
          const e = err as NodeJS.ErrnoException;
          refused.push({ file, reason: `cannot write the file (${e.code ?? e.message})` });
        }
      }
    }
    // Report what is left, as a second run would.
    if (fixed.length) loaded = loadAll(io, options.paths, loadErrors);
  }
  const editsFor = (ri: RuleIndicators): FixEdits => fixRule(ri, kindsFor(ri)).edits;
  const analysis = analyse(loaded.rules, options.fix ? editsFor : undefined);
  const suppressed = new Map<string, Set<string>>();
  for (const ri of loaded.rules) {
    const entries = suppressionsOf(ri.rule).entries;
    if (entries.length) suppressed.set(ri.rule.file.path, new Set(entries.map((e) => e.check)));
  }
  const findings: Finding[] = [];
  for (const f of [...loaded.problems, ...analysis.findings]) {
    if (!inScope(f.file) || suppressed.get(f.file)?.has(f.ruleId)) continue;
    const severity = severityFor(config, f.ruleId, f.severity);
    if (severity !== "off") findings.push(severity === f.severity ? f : { ...f, severity });
  }
  return {
    findings,
    index: analysis.index,
    filesChecked: loaded.filesChecked,
    fixed,
    refused,
  };
}

export function indexJson(run: DedupeRun): string {
  const indicators = sortIndex(run.index);
  return `${JSON.stringify({ filesChecked: run.filesChecked, indicators }, null, 2)}\n`;
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  return dedupeCommand(argv, io, true);
}

/**
 * `dedupe` as `validate` runs it: files that do not load are lint's to report, so they are not
 * reported twice.
 */
export async function mainWithoutLoadErrors(argv: string[], io: CommandIo): Promise<number> {
  return dedupeCommand(argv, io, false);
}

async function dedupeCommand(argv: string[], io: CommandIo, loadErrors: boolean): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    format: { type: "string", default: "stylish" },
    fix: { type: "boolean", default: false },
    report: { type: "string" },
    "changed-since": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const format = values.format as string;
  checkFormat(format);
  const report = values.report as string | undefined;
  if (report === "") throw new UsageError("--report needs `json`, `-` or a file path");
  const paths = positionals.length ? positionals : ["detections"];
  for (const p of paths) {
    if (!fs.existsSync(path.resolve(io.cwd, p))) {
      throw new UsageError(`no such file or directory: ${p}`);
    }
  }

  let onlyFiles: Set<string> | undefined;
  const since = values["changed-since"] as string | undefined;
  if (since !== undefined) {
    try {
      onlyFiles = changedFiles(since, io.cwd);
    } catch (err) {
      if (err instanceof GitError) throw new UsageError(err.message);
      throw err;
    }
  }
  let config: LintConfig;
  try {
    config = loadConfig(io.cwd);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const run = runDedupe(io, { paths, fix: values.fix as boolean, onlyFiles, config, loadErrors });
  for (const f of run.fixed) {
    io.stderr.write(
      `fixed ${f.file} (${f.removed} repeat${f.removed === 1 ? "" : "s"} removed, ${f.refanged} refanged)\n`,
    );
  }
  for (const r of run.refused) io.stderr.write(`not fixing ${r.file}: ${r.reason}\n`);

  if (report === "json" || report === "-") {
    io.stdout.write(indexJson(run));
    return exitCodeFor(run.findings);
  }
  if (report !== undefined) {
    const dest = path.resolve(io.cwd, report);
    try {
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, indexJson(run));
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new UsageError(`cannot write the report to ${report}: ${e.code ?? e.message}`);
    }
  }
  return printFindings(run.findings, io, {
    format,
    filesChecked: run.filesChecked,
    rules: FINDING_RULES,
  });
}
