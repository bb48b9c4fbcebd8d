import * as fs from "node:fs";
import * as path from "node:path";
import { cli, PROJECT_ROOT, tempRepo } from "../helpers/repo";
import type { Finding } from "../../scripts/lint/finding";

const ORIGINAL = fs.readFileSync(
  path.join(PROJECT_ROOT, "test/lint/fixtures/oceanlotus-original.yaml"),
  "utf8",
);

describe("lint --fix", () => {
  it("the original seed rule fails lint: misspelt tactics, no techniques", async () => {
    const dir = tempRepo({
      "detections/hunting/seed.yaml": ORIGINAL,
      "sentinel-dac.config.yaml": "hunting:\n  requireAttack: true\ntests:\n  required: false\n",
    });
    const r = await cli(dir, ["lint", "--format", "json"]);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.out) as Finding[];
    expect(findings.map((f) => [f.ruleId, f.line, f.column, f.fix])).toEqual([
      ["hunting-attack", 1, 1, "add `relevantTechniques:`"],
      ["attack-tactic", 14, 3, "did you mean `LateralMovement`?"],
      ["attack-tactic", 15, 3, "did you mean `CommandAndControl`?"],
    ]);
  });

  it("rewrites only the misspelt tactics, byte-for-byte elsewhere, and is idempotent", async () => {
    const dir = tempRepo({
      "detections/hunting/seed.yaml": ORIGINAL,
      "sentinel-dac.config.yaml": "tests:\n  required: false\n",
    });
    const file = path.join(dir, "detections/hunting/seed.yaml");
    const r = await cli(dir, ["lint", "--fix", "--format", "json"]);
    expect(r.err).toContain("fixed detections/hunting/seed.yaml");
    const fixed = fs.readFileSync(file, "utf8");
    expect(fixed).toBe(
      ORIGINAL.replace("- Lateral movement\n", "- LateralMovement\n").replace(
        "- Command and control\n",
        "- CommandAndControl\n",
      ),
    );
    // What is left is reported after fixing: only the missing techniques (a warning here).
    expect((JSON.parse(r.out) as Finding[]).map((f) => f.ruleId)).toEqual(["hunting-attack"]);
    const again = await cli(dir, ["lint", "--fix", "--format", "json"]);
    expect(again.err).toBe("");
    expect(fs.readFileSync(file, "utf8")).toBe(fixed);
  });

  it("keeps CRLF line endings, a BOM and the quoting style", async () => {
    const text =
      `\ufeff${ORIGINAL.replace("- Lateral movement", '- "Lateral movement"').replace("- Command and control", "- 'command and control'")}`.replace(
        /\n/g,
        "\r\n",
      );
    const dir = tempRepo({
      "detections/hunting/seed.yaml": text,
      "sentinel-dac.config.yaml": "tests:\n  required: false\n",
    });
    await cli(dir, ["lint", "--fix"]);
    const bytes = fs.readFileSync(path.join(dir, "detections/hunting/seed.yaml"));
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.toString("utf8")).toBe(
      text
        .replace('"Lateral movement"', '"LateralMovement"')
        .replace("'command and control'", "'CommandAndControl'"),
    );
  });
});
