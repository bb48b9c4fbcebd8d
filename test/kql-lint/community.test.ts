// The KQL checks over the real Azure-Sentinel files in ../shared/community-rules: the findings
// are exactly the ones inspected by hand (community-findings.json; see the README's KQL checks section for
// what each is). Skipped when ../shared is absent.

import * as fs from "node:fs";
import * as path from "node:path";
import { cli, hasShared, PROJECT_ROOT, SHARED } from "../helpers/repo";
import type { Finding } from "../../scripts/lint/finding";

const d = hasShared ? describe : describe.skip;

/**
 * Columns Microsoft documents for DeviceInfo that the shipped DeviceInfo schema (from the
 * Azure-Sentinel validation schemas) lacks: not defects of the rule. Ignored so the test holds
 * whether or not the schema has been completed.
 */
function schemaGap(f: Finding): boolean {
  return (
    f.file.endsWith("explicitmfadeny.yaml") &&
    f.ruleId === "kql-semantic" &&
    /'(OnboardingStatus|SensorHealthState|AadDeviceId)'/.test(f.message)
  );
}

d("KQL checks over ../shared/community-rules", () => {
  it("report exactly the findings verified by hand", async () => {
    const r = await cli(PROJECT_ROOT, [
      "lint",
      path.join(SHARED, "community-rules"),
      "--format",
      "json",
    ]);
    const findings = JSON.parse(r.out) as Finding[];
    const actual = findings
      .filter((f) => f.ruleId.startsWith("kql-") && !schemaGap(f))
      .map(
        (f) =>
          `${f.file.replace(/.*community-rules\//, "")}:${f.line}:${f.column} ${f.ruleId} ${f.severity} ${f.message}`,
      );
    const expected = JSON.parse(
      fs.readFileSync(path.join(__dirname, "community-findings.json"), "utf8"),
    ) as string[];
    expect(actual).toEqual(expected);
    // No check crashed on any file.
    expect(findings.filter((f) => /is a bug in sentinel-dac/.test(f.message))).toEqual([]);
  });
});
