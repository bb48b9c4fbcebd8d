// Checks that only make sense against the base of a change (`lint --changed-since <ref>`):
// what deploying the change would do to rules already in the workspaces.
//
// - base-id-changed (error): a rule's `id` changed. The deployed rule is keyed by its id, so
//   deploy would create a second rule and leave the old one orphaned in every workspace.
// - base-version-not-bumped (warning): the query or detection logic changed but `version`
//   did not go up, so the workspace (and whoever reads it) cannot tell the new logic apart.
// - base-rule-deleted (warning): a rule file is gone. `deploy --prune` will delete the rule
//   from the workspaces; the finding is there so a reviewer sees it before the merge.
//
// Compared with the merge base of the ref and HEAD (what a pull request changes, not what
// landed on the base branch since). A file renamed or moved with the same id is the same rule.

import { execFileSync } from "node:child_process";
import * as path from "node:path";
import type { CheckMeta } from "./check";
import type { LintConfig } from "./config";
import { severityFor } from "./config";
import type { Finding, Severity } from "./finding";
import { changedFiles, fileAtRef, GitError } from "../git/changed";
import {
  findRuleFiles,
  isTestsFile,
  loadRuleFile,
  loadRuleText,
  rangeOf,
  Rule,
} from "../rules/load";
import type { Range } from "../rules/load";

export const BASE_REF_CHECKS: CheckMeta[] = [
  {
    id: "base-id-changed",
    severity: "error",
    description: "a rule's id changed since the base ref (the deployed rule would be orphaned)",
    docs:
      "Deployed rules are keyed by their id. A changed id deploys a second rule and leaves the " +
      "old one running, unmanaged, in every workspace. Keep the id; to replace a rule on " +
      "purpose, delete its file and add a new one (deploy --prune then removes the old rule).",
  },
  {
    id: "base-version-not-bumped",
    severity: "warning",
    description: "the query or detection logic changed since the base ref without a version bump",
    docs:
      "A rule's version tells analysts and the workspace which logic produced an alert. Bump " +
      "it (X.Y.Z) whenever the query, schedule, threshold, entity mappings or custom details " +
      "change.",
  },
  {
    id: "base-rule-deleted",
    severity: "warning",
    description: "a rule was deleted since the base ref (deploy --prune removes it)",
    docs:
      "The rule will disappear from the workspaces at the next deploy with --prune. Listed so " +
      "a reviewer sees the removal before the merge; nothing to fix when it is intended.",
  },
];

/** Fields whose change changes what a rule detects or how it alerts. */
const LOGIC_FIELDS = [
  "query",
  "kind",
  "queryFrequency",
  "queryPeriod",
  "triggerOperator",
  "triggerThreshold",
  "entityMappings",
  "sentinelEntitiesMappings",
  "customDetails",
  "eventGroupingSettings",
  "alertDetailsOverride",
] as const;

export interface BaseRefOptions {
  /** The ref given to --changed-since (`origin/main`). */
  ref: string;
  /** Where the command runs (the repository root in practice). */
  cwd: string;
  /** The lint paths (files or folders, relative to cwd); rules outside them are ignored. */
  paths: string[];
  config: LintConfig;
  /** Rules already loaded by lint (every rule under `paths`); loaded here when absent. */
  current?: Rule[];
}

function git(args: string[], cwd: string): string {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new GitError((e.stderr || e.message).trim().split("\n")[0]);
  }
}

/** The commit a change started from: the merge base of the ref and HEAD. */
export function mergeBase(ref: string, cwd: string): string {
  try {
    return git(["merge-base", ref, "HEAD"], cwd).trim();
  } catch (err) {
    throw new GitError(`cannot compare with '${ref}': ${(err as Error).message}`);
  }
}

/** Paths (relative to cwd) deleted since `base`, in the working tree, committed or not. */
export function deletedFiles(base: string, cwd: string): string[] {
  const out = git(
    ["diff", "--name-only", "--no-renames", "--relative", "--diff-filter=D", base, "--"],
    cwd,
  );
  return out
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Whether a relative path is a rule file under one of the lint paths (as findRuleFiles sees it). */
export function isRulePath(rel: string, paths: string[], cwd: string): boolean {
  if (!/\.ya?ml$/i.test(rel) || isTestsFile(rel)) return false;
  const abs = path.resolve(cwd, rel);
  return paths.some((p) => {
    const root = path.resolve(cwd, p);
    if (abs === root) return true;
    if (!abs.startsWith(root + path.sep)) return false;
    // Folders findRuleFiles skips when walking: fixtures, hidden folders, node_modules.
    const inner = path.relative(root, abs).split(path.sep).slice(0, -1);
    return !inner.some((d) => d === "fixtures" || d === "node_modules" || d.startsWith("."));
  });
}

function idOf(rule: Rule): string | undefined {
  const id = rule.data.id;
  return typeof id === "string" || typeof id === "number" ? String(id).trim() : undefined;
}

function versionOf(rule: Rule): string | undefined {
  const v = rule.data.version;
  return typeof v === "string" || typeof v === "number" ? String(v).trim() : undefined;
}

/** Whitespace at line ends and line-ending style are not logic. */
function normaliseQuery(q: unknown): unknown {
  return typeof q === "string"
    ? q
        .replace(/\r\n?/g, "\n")
        .split("\n")
        .map((l) => l.trimEnd())
        .join("\n")
        .trim()
    : q;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The logic fields that differ between two versions of a rule. */
export function logicChanges(base: Rule, current: Rule): string[] {
  return LOGIC_FIELDS.filter((f) => {
    const a = f === "query" ? normaliseQuery(base.data[f]) : base.data[f];
    const b = f === "query" ? normaliseQuery(current.data[f]) : current.data[f];
    return !sameValue(a, b);
  });
}

/** -1, 0 or 1 for dotted numeric versions (`1.0.10` > `1.0.9`); undefined when not numeric. */
export function compareVersions(a: string, b: string): number | undefined {
  const parse = (v: string) => (/^\d+(\.\d+)*$/.test(v) ? v.split(".").map(Number) : undefined);
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

function nextPatch(v: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  return m ? `${m[1]}.${m[2]}.${Number(m[3]) + 1}` : undefined;
}

function finding(
  file: string,
  r: Pick<Range, "line" | "column" | "endLine" | "endColumn">,
  ruleId: string,
  severity: Severity,
  message: string,
  fix?: string,
): Finding {
  return {
    file,
    line: r.line,
    column: r.column,
    endLine: r.endLine,
    endColumn: r.endColumn,
    ruleId,
    severity,
    message,
    ...(fix ? { fix } : {}),
  };
}

const LINE_ONE = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/**
 * What changing `base` into `current` does to the deployed rule: an id change (error) or
 * logic changed without a version bump (warning). `basePath` differs from the current path
 * for a rename.
 */
function compareRule(
  base: Rule,
  current: Rule,
  basePath: string,
  ref: string,
  otherIds: Set<string>,
  emit: (f: Finding) => void,
): void {
  const file = current.file.path;
  const baseId = idOf(base);
  const currentId = idOf(current);
  const since = basePath === file ? `since ${ref}` : `since ${ref} (was ${basePath})`;
  // The old id living on in another file (ids swapped or moved) orphans nothing.
  if (baseId && currentId !== baseId && !otherIds.has(baseId)) {
    emit(
      finding(
        file,
        currentId ? rangeOf(current, ["id"]) : LINE_ONE,
        "base-id-changed",
        "error",
        currentId
          ? `the id changed from ${baseId} to ${currentId} ${since}: deploy would add a new rule ` +
              `and leave ${baseId} orphaned in the workspaces`
          : `the id ${baseId} was removed ${since}: the deployed rule would be orphaned`,
        `keep id: ${baseId}; to replace the rule, delete this file and add a new one with a new id`,
      ),
    );
    return;
  }
  const changed = logicChanges(base, current);
  if (!changed.length) return;
  const was = versionOf(base);
  const now = versionOf(current);
  const at = now !== undefined ? rangeOf(current, ["version"]) : rangeOf(current, [changed[0]]);
  const what = changed.length === 1 ? `the ${changed[0]}` : `${changed.join(", ")}`;
  if (now === undefined) {
    emit(
      finding(
        file,
        at,
        "base-version-not-bumped",
        "warning",
        `${what} changed ${since}, and the rule has no version`,
        was
          ? `add version: ${nextPatch(was) ?? was}`
          : "add version: 1.0.0, and bump it with every logic change",
      ),
    );
    return;
  }
  const order = was === undefined ? 1 : compareVersions(now, was);
  if (was !== undefined && (now === was || order === 0)) {
    emit(
      finding(
        file,
        at,
        "base-version-not-bumped",
        "warning",
        `${what} changed ${since}, but version is still ${now}`,
        nextPatch(now) ? `bump it: version: ${nextPatch(now)}` : "bump the version",
      ),
    );
  } else if (order !== undefined && order < 0) {
    emit(
      finding(
        file,
        at,
        "base-version-not-bumped",
        "warning",
        `${what} changed ${since}, but version went down from ${was} to ${now}`,
        nextPatch(was ?? "") ? `use version: ${nextPatch(was ?? "")}` : "raise the version",
      ),
    );
  }
}

/** The base-ref findings of a change, with the repository config's severities applied. */
export function baseRefFindings(options: BaseRefOptions): Finding[] {
  const { ref, cwd, paths, config } = options;
  const base = mergeBase(ref, cwd);
  const changed = changedFiles(ref, cwd);
  const deleted = deletedFiles(base, cwd).filter((p) => isRulePath(p, paths, cwd));
  const current =
    options.current ??
    findRuleFiles(paths, cwd)
      .map((abs) => loadRuleFile(abs, cwd).rule)
      .filter((r): r is Rule => r !== undefined);
  const byPath = new Map(current.map((r) => [r.file.path, r]));
  const currentIds = new Set(current.map(idOf).filter((id): id is string => id !== undefined));
  const idsElsewhere = (rule: Rule) =>
    new Set(
      current
        .filter((r) => r !== rule)
        .map(idOf)
        .filter((id): id is string => id !== undefined),
    );

  const baseRule = (rel: string): Rule | undefined => {
    const text = fileAtRef(base, rel, cwd);
    return text === undefined ? undefined : loadRuleText(text, rel).rule;
  };
  // Deleted rule files, by their id at the base: a file added with that id is a rename.
  const deletedRules = deleted.map((rel) => ({ rel, rule: baseRule(rel) }));
  const deletedById = new Map<string, { rel: string; rule: Rule }>();
  for (const d of deletedRules) {
    const id = d.rule && idOf(d.rule);
    if (id && d.rule) deletedById.set(id, { rel: d.rel, rule: d.rule });
  }

  const out: Finding[] = [];
  const emit = (f: Finding) => {
    const severity = severityFor(config, f.ruleId, f.severity);
    if (severity !== "off") out.push({ ...f, severity });
  };

  for (const rel of [...changed].sort()) {
    const rule = byPath.get(rel);
    if (!rule || !isRulePath(rel, paths, cwd)) continue;
    const before = baseRule(rel);
    if (before) {
      compareRule(before, rule, rel, ref, idsElsewhere(rule), emit);
      continue;
    }
    const id = idOf(rule);
    const renamedFrom = id ? deletedById.get(id) : undefined;
    if (renamedFrom) {
      compareRule(renamedFrom.rule, rule, renamedFrom.rel, ref, idsElsewhere(rule), emit);
    }
  }

  for (const d of deletedRules) {
    const id = d.rule && idOf(d.rule);
    if (id && currentIds.has(id)) continue; // moved or renamed: still deployed under its id
    const name = d.rule && typeof d.rule.data.name === "string" ? ` '${d.rule.data.name}'` : "";
    emit(
      finding(
        d.rel,
        LINE_ONE,
        "base-rule-deleted",
        "warning",
        `the rule${name}${id ? ` (id ${id})` : ""} was deleted since ${ref}: deploy --prune ` +
          "will remove it from every workspace it was deployed to",
      ),
    );
  }
  return out;
}
