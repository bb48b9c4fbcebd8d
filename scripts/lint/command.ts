// `sentinel-dac lint [paths…]`: check rule files.

import * as fs from "node:fs";
import * as path from "node:path";
import type { CommandIo } from "../cli/io";
import { parseCommandArgs, UsageError } from "../cli/io";
import { ConfigError, loadConfig, LintConfig } from "./config";
import { lint, LintResult } from "./runner";
import { allChecks } from "./checks";
import { checkFormat, printFindings } from "../report/findings";
import { FORMAT_NAMES } from "./formatters";
import { applyEdits, EditConflict } from "./fix";
import { changedFiles, GitError } from "../git/changed";
import type { Finding } from "./finding";
import { sortFindings } from "./finding";
import { baseRefFindings } from "./base-ref";
import { encodeSource } from "../rules/source";

const USAGE = `Usage: sentinel-dac lint [paths…] [options]

Checks rule files (default: detections/) against the JSON Schemas, ATT&CK and connector
reference data, repository-wide rules (unique ids and names) and the KQL analyser.

Options:
  --format <name>        ${FORMAT_NAMES.join(" | ")} (default: stylish)
  --fix                  apply safe mechanical fixes (tactic spelling…) in place
  --changed-since <ref>  per-file checks only for files changed since the git ref;
                         repository-wide checks still see every file
  --quiet                report errors only
  -h, --help             show this help

Exit codes: 0 no errors, 1 errors found, 2 usage or internal error.
`;

export interface LintRun {
  result: LintResult;
  fixed: string[];
}

/** Lint (and optionally fix) — shared by `lint` and `validate`. */
export async function runLint(
  io: CommandIo,
  opts: { paths: string[]; fix: boolean; changedSince?: string; config: LintConfig },
): Promise<LintRun> {
  const onlyFiles = opts.changedSince ? changedFiles(opts.changedSince, io.cwd) : undefined;
  let result = await lint({
    root: io.cwd,
    paths: opts.paths,
    config: opts.config,
    onlyFiles,
    progress: io.stderr,
  });
  const fixed: string[] = [];
  if (opts.fix) {
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) {
      if (!f.edits?.length) continue;
      byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    }
    for (const [file, findings] of byFile) {
      const rule = result.rules.find((r) => r.file.path === file);
      if (!rule) continue;
      try {
        const text = applyEdits(
          rule.file.text,
          findings.flatMap((f) => f.edits ?? []),
        );
        if (text !== rule.file.text) {
          fs.writeFileSync(rule.file.absPath, encodeSource(rule.file, text));
          fixed.push(file);
        }
      } catch (err) {
        if (!(err instanceof EditConflict)) throw err;
        io.stderr.write(`sentinel-dac lint: not fixing ${file}: ${err.message}\n`);
      }
    }
    if (fixed.length) {
      // Report what is left after fixing, as a second run would.
      result = await lint({ root: io.cwd, paths: opts.paths, config: opts.config, onlyFiles });
    }
  }
  if (opts.changedSince) {
    // What the change does to deployed rules (id changes, version bumps, deletions).
    const againstBase = baseRefFindings({
      ref: opts.changedSince,
      cwd: io.cwd,
      paths: opts.paths,
      config: opts.config,
      current: result.rules,
    });
    result = { ...result, findings: sortFindings([...result.findings, ...againstBase]) };
  }
  return { result, fixed };
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    format: { type: "string", default: "stylish" },
    fix: { type: "boolean", default: false },
    "changed-since": { type: "string" },
    quiet: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  checkFormat(values.format as string);
  const paths = positionals.length ? positionals : ["detections"];
  for (const p of paths) {
    if (!fs.existsSync(path.resolve(io.cwd, p))) {
      throw new UsageError(`no such file or directory: ${p}`);
    }
  }
  let config: LintConfig;
  try {
    config = loadConfig(io.cwd);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  let run: LintRun;
  try {
    run = await runLint(io, {
      paths,
      fix: values.fix as boolean,
      changedSince: values["changed-since"] as string | undefined,
      config,
    });
  } catch (err) {
    if (err instanceof GitError) throw new UsageError(err.message);
    throw err;
  }
  for (const file of run.fixed) io.stderr.write(`fixed ${file}\n`);
  const findings = values.quiet
    ? run.result.findings.filter((f) => f.severity === "error")
    : run.result.findings;
  return printFindings(findings, io, {
    format: values.format as string,
    filesChecked: run.result.filesChecked,
    rules: allChecks().map((c) => ({
      id: c.meta.id,
      description: c.meta.description,
      docs: c.meta.docs,
    })),
  });
}
