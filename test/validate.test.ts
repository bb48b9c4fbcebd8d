import * as fs from "node:fs";
import * as path from "node:path";
import { cli, PROJECT_ROOT, tempRepo } from "./helpers/repo";
import type { Finding } from "../scripts/lint/finding";

const ORIGINAL = fs.readFileSync(
  path.join(PROJECT_ROOT, "test/lint/fixtures/oceanlotus-original.yaml"),
  "utf8",
);

describe("validate", () => {
  it("passes on the repository's own detections", async () => {
    const r = await cli(PROJECT_ROOT, ["validate", "--format", "json"]);
    const report = JSON.parse(r.out) as {
      lint: Finding[];
      dedupe: Finding[];
      test: { summary: { passed: number; failed: number } };
    };
    expect(report.lint.filter((f) => f.severity === "error")).toEqual([]);
    expect(report.dedupe.filter((f) => f.severity === "error")).toEqual([]);
    expect(report.test.summary.failed).toBe(0);
    expect(report.test.summary.passed).toBeGreaterThanOrEqual(12);
    expect(r.code).toBe(0);
  }, 120_000);

  it("fails the original seed rule on both of its defects: the tactic spelling and the repeated domain", async () => {
    const dir = tempRepo({
      "sentinel-dac.config.yaml": "tests:\n  required: false\n",
      "detections/hunting/oceanlotus-apt32-network.yaml": ORIGINAL,
    });
    const r = await cli(dir, ["validate", "--format", "json"]);
    const report = JSON.parse(r.out) as { lint: Finding[]; dedupe: Finding[] };
    expect(report.lint.filter((f) => f.ruleId === "attack-tactic").map((f) => f.line)).toEqual([
      14, 15,
    ]);
    expect(
      report.dedupe
        .filter((f) => f.ruleId === "duplicate-indicator")
        .map((f) => [f.line, f.message]),
    ).toEqual([[30, expect.stringContaining("'syn.servebbs.com' appears twice")]]);
    expect(r.code).toBe(1);
  }, 120_000);

  it("prints one SARIF log with a run per step", async () => {
    const dir = tempRepo({
      "sentinel-dac.config.yaml": "tests:\n  required: false\n",
      "detections/hunting/oceanlotus-apt32-network.yaml": ORIGINAL,
    });
    const r = await cli(dir, ["validate", "--format", "sarif"]);
    const log = JSON.parse(r.out) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(log.version).toBe("2.1.0");
    expect(log.runs.length).toBe(3);
    expect(log.runs.flatMap((run) => run.results.map((x) => x.ruleId))).toEqual(
      expect.arrayContaining(["attack-tactic", "duplicate-indicator"]),
    );
  }, 120_000);
});
