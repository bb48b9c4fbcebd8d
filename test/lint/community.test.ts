// lint over the real Azure-Sentinel files in ../shared/community-rules: no file crashes the
// run, and the findings of the rule-format checks are exactly the defects verified by hand
// (listed in community-findings.json). KQL, indicator and test checks are pinned by their own
// suites.

import * as fs from "node:fs";
import * as path from "node:path";
import { cli, hasShared, PROJECT_ROOT, SHARED } from "../helpers/repo";
import type { Finding } from "../../scripts/lint/finding";
import { coreChecks } from "../../scripts/lint/checks";

const d = hasShared ? describe : describe.skip;
const FORMAT_CHECKS = new Set([
  ...coreChecks.map((c) => c.meta.id),
  "yaml-syntax",
  "yaml-duplicate-key",
  "yaml-shape",
  "file-encoding",
  "file-size",
  "line-endings",
]);

d("lint over ../shared/community-rules", () => {
  it("reports exactly the verified rule-format defects", async () => {
    const r = await cli(PROJECT_ROOT, [
      "lint",
      path.join(SHARED, "community-rules"),
      "--format",
      "json",
    ]);
    expect(r.err).not.toContain("internal error");
    const findings = (JSON.parse(r.out) as Finding[]).filter((f) => FORMAT_CHECKS.has(f.ruleId));
    const actual = findings.map(
      (f) =>
        `${f.file.replace(/^.*community-rules\//, "")}:${f.line}:${f.column} ${f.ruleId} ${f.message}`,
    );
    const expected = JSON.parse(
      fs.readFileSync(path.join(__dirname, "community-findings.json"), "utf8"),
    ) as string[];
    expect(actual).toEqual(expected);
  }, 120_000);
});
