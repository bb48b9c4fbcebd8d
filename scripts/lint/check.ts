// What a check is: metadata and one function. The runner (runner.ts) gives each per-file
// check one rule at a time and each repo-wide check every rule at once.

import type { Rule } from "../rules/load";
import type { Output } from "../cli/io";
import type { LintConfig } from "./config";
import type { Finding, Severity, TextEdit } from "./finding";
import type { NodePath, Range } from "../rules/load";

export interface CheckMeta {
  /** Stable id, printed with every finding and used in config (`attack-tactic`). */
  id: string;
  /** Default severity; the repository config may change it or turn the check off. */
  severity: Severity;
  /** One line for `--help` and the README's check table. */
  description: string;
  /** Longer explanation: why it matters and how to fix it. */
  docs: string;
  /** True when the check offers edits that `--fix` applies. */
  fixable?: boolean;
}

/** What a check reports; the runner fills in file, severity (from config) and rule id. */
export interface Report {
  /** The file the finding is in, when not the rule's own (e.g. its tests file). */
  file?: string;
  range: Range;
  message: string;
  fix?: string;
  edits?: TextEdit[];
  /** Overrides the check's severity for this one finding (e.g. an info-level variant). */
  severity?: Severity;
}

export interface CheckContext {
  config: LintConfig;
  /** Repository root (where sentinel-dac.config.yaml lives). */
  root: string;
  report(report: Report): void;
  /** Shorthand: where a YAML path points in this rule (see rules/load `rangeOf`). */
  rangeOf(path: NodePath): Range;
}

export interface RuleCheck {
  meta: CheckMeta;
  scope: "rule";
  /** Which rules the check applies to; all when absent. */
  appliesTo?: (rule: Rule) => boolean;
  /**
   * Optional batch work before `check` runs on each rule: the KQL checks analyse every query
   * here, in worker threads and through a cache, instead of one by one.
   */
  prepare?(rules: Rule[], ctx: PrepareContext): Promise<void>;
  check(rule: Rule, ctx: CheckContext): void | Promise<void>;
}

export interface PrepareContext {
  config: LintConfig;
  root: string;
  /** Where long batch work shows progress (a terminal only). */
  progress?: Output;
}

export interface RepoContext {
  config: LintConfig;
  root: string;
  /** Report against one rule. */
  report(rule: Rule, report: Report): void;
}

export interface RepoCheck {
  meta: CheckMeta;
  scope: "repo";
  /** Sees every loaded rule, including unchanged ones under --changed-since. */
  check(rules: Rule[], ctx: RepoContext): void | Promise<void>;
}

export type Check = RuleCheck | RepoCheck;

export type { Finding };
