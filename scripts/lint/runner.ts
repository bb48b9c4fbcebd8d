// The one lint runner: loads rule files, runs per-rule checks on each, repo-wide checks on
// all, applies the repository config (severities, per-rule suppressions) and returns
// findings. One bad file never stops the others.

import type { Check, Report, RepoCheck, RuleCheck } from "./check";
import type { LintConfig } from "./config";
import { severityFor } from "./config";
import type { Finding } from "./finding";
import { sortFindings } from "./finding";
import { findRuleFiles, loadRuleFile, rangeOf, Rule } from "../rules/load";
import { allChecks } from "./checks";
import { suppressionsOf, SUPPRESSION_KEY } from "./suppressions";
import { progress as progressLine, Output } from "../cli/io";
import { FINDING_RULES } from "../indicators/dedupe";

export interface LintOptions {
  root: string;
  /** Files or directories to lint (relative to root or absolute). */
  paths: string[];
  config: LintConfig;
  /** Defaults to every check. */
  checks?: Check[];
  /**
   * Repository-relative paths whose per-rule checks run (`--changed-since`); repo-wide
   * checks still see every rule. Undefined: every file is checked.
   */
  onlyFiles?: Set<string>;
  /** Where a progress line goes on a terminal. */
  progress?: Output;
}

export interface LintResult {
  findings: Finding[];
  rules: Rule[];
  /** Files whose per-rule checks ran. */
  filesChecked: number;
}

function toFinding(rule: Rule, ruleId: string, severity: Finding["severity"], r: Report): Finding {
  return {
    file: r.file ?? rule.file.path,
    line: r.range.line,
    column: r.range.column,
    endLine: r.range.endLine,
    endColumn: r.range.endColumn,
    ruleId,
    severity: r.severity ?? severity,
    message: r.message,
    ...(r.fix !== undefined ? { fix: r.fix } : {}),
    ...(r.edits !== undefined ? { edits: r.edits } : {}),
  };
}

export async function lint(options: LintOptions): Promise<LintResult> {
  const { root, config } = options;
  const checks = options.checks ?? allChecks();
  const files = findRuleFiles(options.paths, root);
  const findings: Finding[] = [];
  const rules: Rule[] = [];
  const checkedRules: Rule[] = [];

  const bar = progressLine(options.progress ?? { write: () => undefined }, "lint", files.length);
  files.forEach((abs, i) => {
    const loaded = loadRuleFile(abs, root);
    const rel = loaded.rule?.file.path;
    const inScope = (p: string | undefined) =>
      !options.onlyFiles || (p !== undefined && options.onlyFiles.has(p));
    const relPath = rel ?? loaded.findings[0]?.file;
    if (inScope(relPath)) {
      for (const f of loaded.findings) {
        const sev = severityFor(config, f.ruleId, f.severity);
        if (sev !== "off") findings.push({ ...f, severity: sev });
      }
    }
    if (loaded.rule) {
      rules.push(loaded.rule);
      if (inScope(rel)) checkedRules.push(loaded.rule);
    }
    bar.tick(i + 1, relPath ?? "");
  });
  bar.done();

  const ruleChecks = checks.filter((c): c is RuleCheck => c.scope === "rule");
  const repoChecks = checks.filter((c): c is RepoCheck => c.scope === "repo");
  const ruleFindings = new Map<Rule, Finding[]>();
  const add = (rule: Rule, f: Finding) => {
    const list = ruleFindings.get(rule) ?? [];
    list.push(f);
    ruleFindings.set(rule, list);
  };

  for (const check of ruleChecks) {
    const sev = severityFor(config, check.meta.id, check.meta.severity);
    if (sev === "off") continue;
    const applicable = checkedRules.filter((r) => !check.appliesTo || check.appliesTo(r));
    if (check.prepare)
      await check.prepare(applicable, { config, root, progress: options.progress });
    for (const rule of applicable) {
      try {
        await check.check(rule, {
          config,
          root,
          rangeOf: (p) => rangeOf(rule, p),
          report: (r) => add(rule, toFinding(rule, check.meta.id, sev, r)),
        });
      } catch (err) {
        add(rule, internalFinding(rule, check.meta.id, err));
      }
    }
  }

  const checkedSet = new Set(checkedRules);
  for (const check of repoChecks) {
    const sev = severityFor(config, check.meta.id, check.meta.severity);
    if (sev === "off") continue;
    try {
      await check.check(rules, {
        config,
        root,
        report: (rule, r) => {
          // Under --changed-since, repo-wide findings are shown on changed files only, but
          // computed over all (a changed rule that duplicates an unchanged id is caught).
          if (checkedSet.has(rule)) add(rule, toFinding(rule, check.meta.id, sev, r));
        },
      });
    } catch (err) {
      if (rules[0]) add(rules[0], internalFinding(rules[0], check.meta.id, err));
    }
  }

  for (const rule of checkedRules) {
    findings.push(...applySuppressions(rule, ruleFindings.get(rule) ?? [], checks));
  }
  return { findings: sortFindings(findings), rules, filesChecked: checkedRules.length };
}

function internalFinding(rule: Rule, checkId: string, err: unknown): Finding {
  const message = err instanceof Error ? err.message : String(err);
  return {
    file: rule.file.path,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    ruleId: checkId,
    severity: "error",
    message: `the check '${checkId}' failed on this file: ${message} (this is a bug in sentinel-dac; please report it)`,
  };
}

/**
 * Drops findings a rule silences (`suppress: [{check, reason}]`) and reports suppressions
 * that no longer match anything, so silences do not rot.
 */
function applySuppressions(rule: Rule, findings: Finding[], checks: Check[]): Finding[] {
  const { entries, problems } = suppressionsOf(rule);
  // Findings of other commands that a rule may silence too (dedupe's indicator findings).
  const known = new Set([...checks.map((c) => c.meta.id), ...FINDING_RULES.map((r) => r.id)]);
  const out: Finding[] = [...problems];
  const used = new Set<number>();
  for (const f of findings) {
    const idx = entries.findIndex((s) => s.check === f.ruleId);
    if (idx >= 0) {
      used.add(idx);
      continue;
    }
    out.push(f);
  }
  const ranHere = new Set(checks.map((c) => c.meta.id));
  entries.forEach((s, i) => {
    // A silence of another command's finding (dedupe) is that command's to judge.
    if (used.has(i) || (known.has(s.check) && !ranHere.has(s.check))) return;
    const r = rangeOf(rule, [SUPPRESSION_KEY, s.index, "check"]);
    out.push({
      file: rule.file.path,
      line: r.line,
      column: r.column,
      endLine: r.endLine,
      endColumn: r.endColumn,
      ruleId: "unused-suppression",
      severity: "warning",
      message: known.has(s.check)
        ? `the suppression of '${s.check}' no longer matches any finding`
        : `the suppression names '${s.check}', which is not a check that ran`,
      fix: "remove this suppression",
    });
  });
  return out;
}
