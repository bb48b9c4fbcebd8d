// The job summary of a CI run, in GitHub-flavoured markdown (written to $GITHUB_STEP_SUMMARY
// by scripts/github/summary.ts): findings by rule file and check, the fixture test results,
// and a deploy plan. Inputs are the commands' own JSON output (`lint|dedupe --format json`,
// `test --format json`), so the summary never re-runs anything.

import type { Finding, Severity } from "../lint/finding";

/** A problem with an input file: its name, and where in it when known. */
export class SummaryInputError extends Error {}

/** GitHub rejects a step summary over 1 MiB; stay well under it. */
export const MAX_SUMMARY_CHARS = 900_000;
/** Findings listed one by one; the table by rule and check always counts all of them. */
export const MAX_LISTED_FINDINGS = 200;

const SEVERITIES: Severity[] = ["error", "warning", "info"];

/**
 * Text made safe for a markdown table cell: HTML and markdown punctuation are escaped (a
 * finding's message is data, never markup), `|` cannot end the cell, and line breaks become
 * `<br>` because a cell is one line.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|~#])/g, "\\$1")
    .replace(/\r\n?|\n/g, "<br>");
}

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/**
 * The top-level JSON values of a text, one after another: `validate --format json` prints one
 * findings array per step (lint, dedupe, test), concatenated.
 */
export function parseJsonSequence(text: string, source: string): unknown[] {
  const values: unknown[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /\s/.test(text[i])) i++;
    if (i >= n) break;
    const start = i;
    if (text[i] !== "[" && text[i] !== "{") {
      throw new SummaryInputError(
        `${source}:${lineCol(text, i)}: expected a JSON array or object, found '${text[i]}'`,
      );
    }
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = text[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === "[" || c === "{") depth++;
      else if (c === "]" || c === "}") {
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      }
    }
    if (depth !== 0) {
      throw new SummaryInputError(`${source}:${lineCol(text, start)}: the JSON value never ends`);
    }
    try {
      values.push(JSON.parse(text.slice(start, i)));
    } catch (err) {
      throw new SummaryInputError(
        `${source}:${lineCol(text, start)}: not valid JSON (${(err as Error).message})`,
      );
    }
  }
  return values;
}

function isFinding(x: unknown): x is Finding {
  if (!x || typeof x !== "object") return false;
  const f = x as Record<string, unknown>;
  return (
    typeof f.file === "string" &&
    typeof f.line === "number" &&
    typeof f.ruleId === "string" &&
    typeof f.message === "string" &&
    SEVERITIES.includes(f.severity as Severity)
  );
}

/** Findings from `--format json` output (one or more arrays). */
export function parseFindings(text: string, source: string): Finding[] {
  const report = parseReport(text, source);
  if (report.tests) {
    throw new SummaryInputError(`${source}: expected findings (a JSON array), found an object`);
  }
  return report.findings;
}

/**
 * Whatever `--format json` printed: `lint`/`dedupe` print a findings array, `test` an object
 * with `summary` and `files`, and `validate` all of them one after another.
 */
export function parseReport(
  text: string,
  source: string,
): { findings: Finding[]; tests?: TestResults } {
  const findings: Finding[] = [];
  let tests: TestResults | undefined;
  const values = parseJsonSequence(text, source).flatMap((value) =>
    isValidateReport(value)
      ? [value.lint, value.dedupe, value.test].filter((v) => v !== undefined)
      : [value],
  );
  for (const value of values) {
    if (!Array.isArray(value)) {
      const more = toTestResults(value, source);
      tests = tests
        ? {
            summary: {
              passed: tests.summary.passed + more.summary.passed,
              failed: tests.summary.failed + more.summary.failed,
              files: tests.summary.files + more.summary.files,
            },
            files: [...tests.files, ...more.files],
            untested: [...(tests.untested ?? []), ...(more.untested ?? [])],
          }
        : more;
      continue;
    }
    value.forEach((x, i) => {
      if (!isFinding(x)) {
        throw new SummaryInputError(
          `${source}: item ${i} is not a finding (needs file, line, ruleId, severity, message)`,
        );
      }
      findings.push({
        ...x,
        column: typeof x.column === "number" ? x.column : 1,
        endLine: typeof x.endLine === "number" ? x.endLine : x.line,
        endColumn: typeof x.endColumn === "number" ? x.endColumn : 1,
      });
    });
  }
  return { findings, ...(tests ? { tests } : {}) };
}

/** `validate --format json`: `{"lint": [...], "dedupe": [...], "test": {...}}`. */
function isValidateReport(
  value: unknown,
): value is { lint?: unknown; dedupe?: unknown; test?: unknown } {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k === "lint" || k === "dedupe" || k === "test");
}

/** `sentinel-dac test --format json`, the parts the summary shows. */
export interface TestResults {
  summary: { passed: number; failed: number; files: number };
  files: {
    testsFile: string;
    ruleFile?: string | null;
    rule?: string | null;
    errors: { line?: number; message: string }[];
    cases: { name: string; status: string; line?: number; millis?: number; message?: string }[];
  }[];
  untested?: string[];
}

export function parseTestResults(text: string, source: string): TestResults {
  const values = parseJsonSequence(text, source);
  if (
    values.length !== 1 ||
    !values[0] ||
    typeof values[0] !== "object" ||
    Array.isArray(values[0])
  ) {
    throw new SummaryInputError(`${source}: expected one JSON object (test --format json)`);
  }
  return toTestResults(values[0], source);
}

function toTestResults(value: unknown, source: string): TestResults {
  const doc = value as Partial<TestResults>;
  const s = doc.summary;
  if (
    !s ||
    typeof s.passed !== "number" ||
    typeof s.failed !== "number" ||
    !Array.isArray(doc.files)
  ) {
    throw new SummaryInputError(
      `${source}: not test results (needs summary.passed, summary.failed and files)`,
    );
  }
  return {
    summary: { passed: s.passed, failed: s.failed, files: s.files ?? doc.files.length },
    files: doc.files.map((f) => ({
      ...f,
      errors: Array.isArray(f.errors) ? f.errors : [],
      cases: Array.isArray(f.cases) ? f.cases : [],
    })),
    ...(Array.isArray(doc.untested) ? { untested: doc.untested } : {}),
  };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function counts(findings: Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

const ICON: Record<Severity, string> = { error: "❌", warning: "⚠️", info: "ℹ️" };

/** Findings as markdown: totals, a table by rule file and check, then the findings listed. */
export function findingsMarkdown(findings: Finding[]): string {
  const c = counts(findings);
  const out: string[] = ["### Findings", ""];
  if (!findings.length) {
    out.push("✅ No findings.", "");
    return out.join("\n");
  }
  const files = new Set(findings.map((f) => f.file));
  out.push(
    `${plural(c.error, "error")}, ${plural(c.warning, "warning")}, ${c.info} info in ${plural(files.size, "file")}.`,
    "",
    "| Rule file | Check | Errors | Warnings | Info |",
    "| --- | --- | ---: | ---: | ---: |",
  );
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.file}\u0000${f.ruleId}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const keys = [...groups.keys()].sort((a, b) => a.localeCompare(b));
  for (const key of keys) {
    const [file, check] = key.split("\u0000");
    const g = counts(groups.get(key) ?? []);
    out.push(
      `| ${escapeMarkdown(file)} | ${escapeMarkdown(check)} | ${g.error} | ${g.warning} | ${g.info} |`,
    );
  }
  const listed = [...findings]
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
        a.file.localeCompare(b.file) ||
        a.line - b.line ||
        a.column - b.column,
    )
    .slice(0, MAX_LISTED_FINDINGS);
  out.push(
    "",
    `<details><summary>${plural(findings.length, "finding")}</summary>`,
    "",
    "| | Where | Check | Message |",
    "| --- | --- | --- | --- |",
  );
  for (const f of listed) {
    const message = f.fix ? `${f.message} (${f.fix})` : f.message;
    out.push(
      `| ${ICON[f.severity]} | ${escapeMarkdown(`${f.file}:${f.line}:${f.column}`)} | ${escapeMarkdown(f.ruleId)} | ${escapeMarkdown(message)} |`,
    );
  }
  if (findings.length > listed.length) {
    out.push(
      "",
      `… and ${findings.length - listed.length} more: see the annotations and the validation-reports artifact.`,
    );
  }
  out.push("", "</details>", "");
  return out.join("\n");
}

/** Test results as markdown: totals, a table per tests file, and every failed case. */
export function testsMarkdown(results: TestResults): string {
  const { passed, failed } = results.summary;
  const out: string[] = ["### Tests", ""];
  if (!results.files.length) {
    out.push("No tests ran (no tests file among the changed rules).", "");
  } else {
    out.push(
      `${failed ? "❌" : "✅"} ${passed} passed, ${failed} failed, in ${plural(results.files.length, "tests file")}.`,
      "",
      "| Rule | Tests file | Passed | Failed |",
      "| --- | --- | ---: | ---: |",
    );
    for (const f of results.files) {
      const ok = f.cases.filter((c) => c.status === "passed").length;
      const bad = f.cases.length - ok + (f.errors.length ? 1 : 0);
      out.push(
        `| ${escapeMarkdown(f.rule ?? f.ruleFile ?? "—")} | ${escapeMarkdown(f.testsFile)} | ${ok} | ${bad} |`,
      );
    }
    const failures = results.files.flatMap((f) => [
      ...f.errors.map((e) => ({
        where: `${f.testsFile}:${e.line ?? 1}`,
        what: "tests file",
        message: e.message,
      })),
      ...f.cases
        .filter((c) => c.status !== "passed")
        .map((c) => ({
          where: `${f.testsFile}:${c.line ?? 1}`,
          what: `${c.name} (${c.status})`,
          message: c.message ?? "",
        })),
    ]);
    if (failures.length) {
      out.push("", "| Failed | Where | Why |", "| --- | --- | --- |");
      for (const x of failures.slice(0, MAX_LISTED_FINDINGS)) {
        out.push(
          `| ${escapeMarkdown(x.what)} | ${escapeMarkdown(x.where)} | ${escapeMarkdown(x.message)} |`,
        );
      }
      if (failures.length > MAX_LISTED_FINDINGS) {
        out.push("", `… and ${failures.length - MAX_LISTED_FINDINGS} more in the JUnit report.`);
      }
    }
    out.push("");
  }
  if (results.untested?.length) {
    out.push(
      `${plural(results.untested.length, "rule has", "rules have")} no tests file: ${results.untested.map(escapeMarkdown).join(", ")}`,
      "",
    );
  }
  return out.join("\n");
}

/** Plain text (a plan, a deploy log) as a fenced block that its own backticks cannot end. */
export function textMarkdown(text: string, limit = MAX_SUMMARY_CHARS): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  let body = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
  if (body.length > limit) {
    body = `${body.slice(0, limit)}\n… (cut: ${body.length - limit} more characters in the job log)`;
  }
  return `${fence}text\n${body}\n${fence}\n`;
}

export interface SummaryInput {
  title: string;
  /** Absent: no findings file was given. */
  findings?: Finding[];
  tests?: TestResults;
  /** Plain text to show as it is (`plan` output). */
  text?: string;
  /** Inputs that could not be read, said plainly instead of failing the summary. */
  problems?: string[];
}

export function summaryMarkdown(input: SummaryInput): string {
  const parts = [`## ${escapeMarkdown(input.title)}`, ""];
  for (const p of input.problems ?? []) parts.push(`> ⚠️ ${escapeMarkdown(p)}`, "");
  if (input.findings) parts.push(findingsMarkdown(input.findings));
  if (input.tests) parts.push(testsMarkdown(input.tests));
  if (input.text !== undefined) {
    // The text gets what the other sections left, so its closing fence always fits.
    const budget = Math.max(1000, MAX_SUMMARY_CHARS - parts.join("\n").length - 1000);
    parts.push(textMarkdown(input.text, budget));
  }
  const md = parts.join("\n");
  return md.length > MAX_SUMMARY_CHARS
    ? `${md.slice(0, MAX_SUMMARY_CHARS)}\n\n… (summary cut at ${MAX_SUMMARY_CHARS} characters)\n`
    : md;
}
