// The checks against the base ref (`lint --changed-since <ref>`), in throwaway git repositories:
// id changes, logic changes without a version bump, deletions, renames.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { baseRefFindings, compareVersions, isRulePath } from "../../scripts/lint/base-ref";
import { defaultConfig } from "../../scripts/lint/config";
import type { Finding } from "../../scripts/lint/finding";
import { GitError } from "../../scripts/git/changed";
import { analyticsRule, cli, huntingRule, tempRepo, writeFiles } from "../helpers/repo";

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

const ID = (n: number) => `1b2c3d4e-0000-4000-8000-${String(n).padStart(12, "0")}`;

/** A repository with `files` committed on main, then a branch `pr` checked out. */
function repoWith(files: Record<string, string>): string {
  const dir = tempRepo(files);
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.email", "test@example.org");
  git(dir, "config", "user.name", "test");
  git(dir, "config", "commit.gpgsign", "false");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "base");
  git(dir, "checkout", "-q", "-b", "pr");
  return dir;
}

function commit(dir: string, message = "change"): void {
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", message);
}

function check(dir: string, config = defaultConfig()): Finding[] {
  return baseRefFindings({ ref: "main", cwd: dir, paths: ["detections"], config });
}

const brief = (f: Finding) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId}`;

const hunting = (n: number, overrides: Record<string, string> = {}) =>
  huntingRule({
    id: `id: ${ID(n)}`,
    name: `name: Rule ${n}`,
    version: "version: 1.0.0",
    ...overrides,
  });

describe("base-ref checks", () => {
  it("finds nothing when nothing changed", () => {
    const dir = repoWith({ "detections/hunting/a.yaml": hunting(1) });
    expect(check(dir)).toEqual([]);
  });

  it("reports a changed id as an error at the id, naming both ids", () => {
    const dir = repoWith({ "detections/hunting/a.yaml": hunting(1) });
    writeFiles(dir, { "detections/hunting/a.yaml": hunting(1, { id: `id: ${ID(9)}` }) });
    commit(dir);
    const findings = check(dir);
    expect(findings.map(brief)).toEqual(["detections/hunting/a.yaml:1:5 error base-id-changed"]);
    expect(findings[0].message).toContain(`from ${ID(1)} to ${ID(9)}`);
    expect(findings[0].message).toContain("orphaned");
    expect(findings[0].fix).toContain(`keep id: ${ID(1)}`);
  });

  it("reports a removed id as an error", () => {
    const dir = repoWith({ "detections/hunting/a.yaml": hunting(1) });
    writeFiles(dir, { "detections/hunting/a.yaml": hunting(1, { id: "" }) });
    const findings = check(dir); // uncommitted changes count too
    expect(findings.map(brief)).toEqual(["detections/hunting/a.yaml:1:1 error base-id-changed"]);
    expect(findings[0].message).toContain(`the id ${ID(1)} was removed`);
  });

  it("warns when the query changed but the version did not, at the version", () => {
    const dir = repoWith({ "detections/hunting/a.yaml": hunting(1) });
    const query = "query: |\n  DeviceNetworkEvents\n  | where RemoteUrl has 'example.com'";
    writeFiles(dir, { "detections/hunting/a.yaml": hunting(1, { query }) });
    commit(dir);
    const findings = check(dir);
    expect(findings.map(brief)).toEqual([
      expect.stringMatching(
        /^detections\/hunting\/a\.yaml:\d+:10 warning base-version-not-bumped$/,
      ),
    ]);
    expect(findings[0].message).toBe("the query changed since main, but version is still 1.0.0");
    expect(findings[0].fix).toBe("bump it: version: 1.0.1");
  });

  it("accepts the same change with a version bump", () => {
    const dir = repoWith({ "detections/hunting/a.yaml": hunting(1) });
    const query = "query: |\n  DeviceNetworkEvents\n  | where RemoteUrl has 'example.com'";
    writeFiles(dir, {
      "detections/hunting/a.yaml": hunting(1, { query, version: "version: 1.1.0" }),
    });
    commit(dir);
    expect(check(dir)).toEqual([]);
  });

  it("warns when the version went down", () => {
    const dir = repoWith({
      "detections/hunting/a.yaml": hunting(1, { version: "version: 1.0.10" }),
    });
    const query = "query: |\n  DeviceNetworkEvents\n  | take 1";
    writeFiles(dir, {
      "detections/hunting/a.yaml": hunting(1, { query, version: "version: 1.0.9" }),
    });
    const findings = check(dir);
    expect(findings.map((f) => f.message)).toEqual([
      "the query changed since main, but version went down from 1.0.10 to 1.0.9",
    ]);
  });

  it("ignores changes that are not logic: description, whitespace at line ends, CRLF", () => {
    const dir = repoWith({ "detections/hunting/a.yaml": hunting(1) });
    const text = hunting(1, { description: "description: Finds other test traffic." })
      .replace(/'example\.org'/, "'example.org'   ")
      .replace(/\n/g, "\r\n");
    writeFiles(dir, { "detections/hunting/a.yaml": text });
    commit(dir);
    expect(check(dir).filter((f) => f.ruleId.startsWith("base-"))).toEqual([]);
  });

  it("counts schedule, threshold and entity mapping changes of analytics rules as logic", () => {
    const dir = repoWith({ "detections/analytics/r.yaml": analyticsRule() });
    writeFiles(dir, {
      "detections/analytics/r.yaml": analyticsRule({
        triggerThreshold: "triggerThreshold: 5",
        queryFrequency: "queryFrequency: 2h",
      }),
    });
    commit(dir);
    expect(check(dir).map((f) => f.message)).toEqual([
      "queryFrequency, triggerThreshold changed since main, but version is still 1.0.0",
    ]);
  });

  it("warns about a logic change when the rule has no version at all", () => {
    const dir = repoWith({ "detections/hunting/a.yaml": hunting(1, { version: "" }) });
    writeFiles(dir, {
      "detections/hunting/a.yaml": hunting(1, { version: "", query: "query: |\n  T | take 5" }),
    });
    const findings = check(dir);
    expect(findings.map((f) => `${f.ruleId}: ${f.message}`)).toEqual([
      "base-version-not-bumped: the query changed since main, and the rule has no version",
    ]);
  });

  it("lists a deleted rule at its old path, line 1, so reviewers see what --prune removes", () => {
    const dir = repoWith({
      "detections/hunting/a.yaml": hunting(1),
      "detections/hunting/b.yaml": hunting(2),
    });
    git(dir, "rm", "-q", "detections/hunting/b.yaml");
    commit(dir);
    const findings = check(dir);
    expect(findings.map(brief)).toEqual([
      "detections/hunting/b.yaml:1:1 warning base-rule-deleted",
    ]);
    expect(findings[0].message).toBe(
      `the rule 'Rule 2' (id ${ID(2)}) was deleted since main: deploy --prune will remove it from every workspace it was deployed to`,
    );
  });

  it("lists a rule deleted in the working tree only (not committed yet)", () => {
    const dir = repoWith({ "detections/hunting/b.yaml": hunting(2) });
    fs.rmSync(path.join(dir, "detections/hunting/b.yaml"));
    expect(check(dir).map(brief)).toEqual([
      "detections/hunting/b.yaml:1:1 warning base-rule-deleted",
    ]);
  });

  it("treats a renamed file with the same id as the same rule", () => {
    const dir = repoWith({ "detections/hunting/a.yaml": hunting(1) });
    git(dir, "mv", "detections/hunting/a.yaml", "detections/hunting/renamed.yaml");
    commit(dir);
    expect(check(dir)).toEqual([]);

    // …and still compares its logic with the old file's.
    writeFiles(dir, {
      "detections/hunting/renamed.yaml": hunting(1, { query: "query: |\n  T | take 9" }),
    });
    expect(check(dir).map((f) => `${f.file} ${f.ruleId}: ${f.message}`)).toEqual([
      "detections/hunting/renamed.yaml base-version-not-bumped: the query changed since main (was detections/hunting/a.yaml), but version is still 1.0.0",
    ]);
  });

  it("treats a rename with a new id as a deletion and a new rule", () => {
    const dir = repoWith({ "detections/hunting/a.yaml": hunting(1) });
    fs.rmSync(path.join(dir, "detections/hunting/a.yaml"));
    writeFiles(dir, { "detections/hunting/new.yaml": hunting(7) });
    commit(dir);
    expect(check(dir).map(brief)).toEqual([
      "detections/hunting/a.yaml:1:1 warning base-rule-deleted",
    ]);
  });

  it("does not call an id orphaned when another file now carries it", () => {
    const dir = repoWith({
      "detections/hunting/a.yaml": hunting(1),
      "detections/hunting/b.yaml": hunting(2),
    });
    writeFiles(dir, {
      "detections/hunting/a.yaml": hunting(2, { name: "name: Rule 1" }),
      "detections/hunting/b.yaml": hunting(1, { name: "name: Rule 2" }),
    });
    commit(dir);
    expect(check(dir).filter((f) => f.ruleId === "base-id-changed")).toEqual([]);
  });

  it("compares with the merge base, not with whatever landed on the base branch since", () => {
    const dir = repoWith({ "detections/hunting/a.yaml": hunting(1) });
    git(dir, "checkout", "-q", "main");
    writeFiles(dir, {
      "detections/hunting/a.yaml": hunting(1, { query: "query: |\n  T | take 3" }),
    });
    commit(dir, "main moves on");
    git(dir, "checkout", "-q", "pr");
    expect(check(dir)).toEqual([]);
  });

  it("ignores tests files, fixtures and files outside the lint paths", () => {
    const dir = repoWith({
      "detections/hunting/a.tests.yaml": "cases: []\n",
      "detections/hunting/fixtures/rows.yaml": "x: 1\n",
      "other/c.yaml": hunting(3),
    });
    fs.rmSync(path.join(dir, "detections/hunting/a.tests.yaml"));
    fs.rmSync(path.join(dir, "detections/hunting/fixtures/rows.yaml"));
    fs.rmSync(path.join(dir, "other/c.yaml"));
    expect(check(dir)).toEqual([]);
    expect(isRulePath("detections/x.yml", ["detections"], dir)).toBe(true);
    expect(isRulePath("detections/.hidden/x.yaml", ["detections"], dir)).toBe(false);
  });

  it("applies the repository config's severities, off included", () => {
    const dir = repoWith({ "detections/hunting/b.yaml": hunting(2) });
    fs.rmSync(path.join(dir, "detections/hunting/b.yaml"));
    const config = defaultConfig();
    config.checks["base-rule-deleted"] = "info";
    expect(check(dir, config).map((f) => f.severity)).toEqual(["info"]);
    config.checks["base-rule-deleted"] = "off";
    expect(check(dir, config)).toEqual([]);
  });

  it("throws a GitError naming the ref when it does not exist", () => {
    const dir = repoWith({ "detections/hunting/a.yaml": hunting(1) });
    expect(() =>
      baseRefFindings({
        ref: "no-such-ref",
        cwd: dir,
        paths: ["detections"],
        config: defaultConfig(),
      }),
    ).toThrow(GitError);
    expect(() =>
      baseRefFindings({
        ref: "no-such-ref",
        cwd: dir,
        paths: ["detections"],
        config: defaultConfig(),
      }),
    ).toThrow(/no-such-ref/);
  });

  it("compares dotted versions numerically", () => {
    expect(compareVersions("1.0.10", "1.0.9")).toBe(1);
    expect(compareVersions("1.0", "1.0.0")).toBe(0);
    expect(compareVersions("2.0.0", "10.0.0")).toBe(-1);
    expect(compareVersions("1.0.0-beta", "1.0.0")).toBeUndefined();
  });
});

describe("lint --changed-since", () => {
  it("adds the base-ref findings to lint's output and exit code", async () => {
    const dir = repoWith({
      "detections/hunting/a.yaml": hunting(1),
      "detections/hunting/b.yaml": hunting(2),
    });
    writeFiles(dir, { "detections/hunting/a.yaml": hunting(1, { id: `id: ${ID(5)}` }) });
    git(dir, "rm", "-q", "detections/hunting/b.yaml");
    commit(dir);
    const r = await cli(dir, ["lint", "--changed-since", "main", "--format", "json"]);
    const findings = JSON.parse(r.out) as Finding[];
    expect(findings.filter((f) => f.ruleId.startsWith("base-")).map(brief)).toEqual([
      "detections/hunting/a.yaml:1:5 error base-id-changed",
      "detections/hunting/b.yaml:1:1 warning base-rule-deleted",
    ]);
    expect(r.code).toBe(1);
  });

  it("runs no base-ref check without --changed-since", async () => {
    const dir = repoWith({ "detections/hunting/a.yaml": hunting(1) });
    writeFiles(dir, { "detections/hunting/a.yaml": hunting(1, { id: `id: ${ID(5)}` }) });
    const r = await cli(dir, ["lint", "--format", "json"]);
    const findings = JSON.parse(r.out) as Finding[];
    expect(findings.filter((f) => f.ruleId.startsWith("base-"))).toEqual([]);
  });

  it("is a usage error (exit 2) when the ref does not exist", async () => {
    const dir = repoWith({ "detections/hunting/a.yaml": hunting(1) });
    const r = await cli(dir, ["lint", "--changed-since", "origin/nope"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("origin/nope");
  });
});
