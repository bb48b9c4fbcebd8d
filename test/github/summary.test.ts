// The job summary: findings by rule file and check, test results, plans; markdown escaping;
// the scripts/github/summary.ts command.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { memoryIo } from "../../scripts/cli/io";
import { main as summaryMain } from "../../scripts/github/summary";
import type { Finding } from "../../scripts/lint/finding";
import {
  escapeMarkdown,
  findingsMarkdown,
  MAX_LISTED_FINDINGS,
  parseFindings,
  parseJsonSequence,
  parseReport,
  parseTestResults,
  summaryMarkdown,
  SummaryInputError,
  testsMarkdown,
  textMarkdown,
  TestResults,
} from "../../scripts/report/summary";

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    file: "detections/hunting/a.yaml",
    line: 3,
    column: 5,
    endLine: 3,
    endColumn: 9,
    ruleId: "attack-tactic",
    severity: "error",
    message: "unknown tactic",
    ...overrides,
  };
}

const results: TestResults = {
  summary: { passed: 3, failed: 1, files: 2 },
  files: [
    {
      testsFile: "detections/hunting/a.tests.yaml",
      ruleFile: "detections/hunting/a.yaml",
      rule: "Rule A",
      errors: [],
      cases: [
        { name: "fires", status: "passed", line: 3 },
        { name: "quiet | night", status: "failed", line: 9, message: "expected 0 rows, got 2" },
      ],
    },
    {
      testsFile: "detections/hunting/b.tests.yaml",
      ruleFile: "detections/hunting/b.yaml",
      rule: "Rule B",
      errors: [],
      cases: [
        { name: "fires", status: "passed", line: 3 },
        { name: "quiet", status: "passed", line: 8 },
      ],
    },
  ],
  untested: ["detections/hunting/c.yaml"],
};

describe("escapeMarkdown", () => {
  it("keeps a cell one cell: pipes escaped, line breaks as <br>", () => {
    expect(escapeMarkdown("a | b\nc\r\nd")).toBe("a \\| b<br>c<br>d");
  });

  it("renders messages as text, never as HTML or markdown", () => {
    expect(escapeMarkdown("<script>x</script> & **bold** `code` [l](u) _i_")).toBe(
      "&lt;script&gt;x&lt;/script&gt; &amp; \\*\\*bold\\*\\* \\`code\\` \\[l\\](u) \\_i\\_",
    );
    expect(escapeMarkdown("C:\\path")).toBe("C:\\\\path");
  });
});

describe("findingsMarkdown", () => {
  it("tables findings by rule file and check with counts per severity", () => {
    const md = findingsMarkdown([
      finding(),
      finding({ line: 7 }),
      finding({ severity: "warning", ruleId: "kql-contains" }),
      finding({ file: "detections/hunting/b.yaml", severity: "info", ruleId: "shared-indicator" }),
    ]);
    expect(md).toContain("2 errors, 1 warning, 1 info in 2 files.");
    expect(md).toContain(
      [
        "| Rule file | Check | Errors | Warnings | Info |",
        "| --- | --- | ---: | ---: | ---: |",
        "| detections/hunting/a.yaml | attack-tactic | 2 | 0 | 0 |",
        "| detections/hunting/a.yaml | kql-contains | 0 | 1 | 0 |",
        "| detections/hunting/b.yaml | shared-indicator | 0 | 0 | 1 |",
      ].join("\n"),
    );
    expect(md).toContain("<details><summary>4 findings</summary>");
    expect(md).toContain("| ❌ | detections/hunting/a.yaml:3:5 | attack-tactic | unknown tactic |");
  });

  it("escapes messages and fixes inside the listing", () => {
    const md = findingsMarkdown([finding({ message: "a|b\nc", fix: "use <x>" })]);
    expect(md).toContain("| a\\|b<br>c (use &lt;x&gt;) |");
  });

  it("says so when there is nothing to report", () => {
    expect(findingsMarkdown([])).toContain("✅ No findings.");
  });

  it("lists at most MAX_LISTED_FINDINGS findings but counts them all", () => {
    const many = Array.from({ length: MAX_LISTED_FINDINGS + 5 }, (_, i) =>
      finding({ line: i + 1 }),
    );
    const md = findingsMarkdown(many);
    expect(md).toContain(`| detections/hunting/a.yaml | attack-tactic | ${many.length} | 0 | 0 |`);
    expect(md).toContain("… and 5 more");
    expect(md.match(/^\| ❌ /gm)).toHaveLength(MAX_LISTED_FINDINGS);
  });
});

describe("testsMarkdown", () => {
  it("shows totals, a row per tests file and every failed case", () => {
    const md = testsMarkdown(results);
    expect(md).toContain("❌ 3 passed, 1 failed, in 2 tests files.");
    expect(md).toContain("| Rule A | detections/hunting/a.tests.yaml | 1 | 1 |");
    expect(md).toContain("| Rule B | detections/hunting/b.tests.yaml | 2 | 0 |");
    expect(md).toContain(
      "| quiet \\| night (failed) | detections/hunting/a.tests.yaml:9 | expected 0 rows, got 2 |",
    );
    expect(md).toContain("1 rule has no tests file: detections/hunting/c.yaml");
  });

  it("says when no tests ran", () => {
    expect(testsMarkdown({ summary: { passed: 0, failed: 0, files: 0 }, files: [] })).toContain(
      "No tests ran",
    );
  });
});

describe("parsing the commands' JSON", () => {
  it("reads one findings array, or several concatenated (validate --format json)", () => {
    const one = JSON.stringify([finding()], null, 2);
    expect(parseFindings(one, "x.json")).toHaveLength(1);
    const two = `${one}\n${JSON.stringify([finding({ message: 'with "] inside' })])}\n`;
    expect(parseFindings(two, "x.json").map((f) => f.message)).toEqual([
      "unknown tactic",
      'with "] inside',
    ]);
    expect(parseJsonSequence("  \n", "x.json")).toEqual([]);
  });

  it("names the file and place of bad input", () => {
    expect(() => parseFindings('[{"file": 1}]', "lint.json")).toThrow(
      "lint.json: item 0 is not a finding (needs file, line, ruleId, severity, message)",
    );
    expect(() => parseFindings("[1, 2", "lint.json")).toThrow(
      new SummaryInputError("lint.json:1:1: the JSON value never ends"),
    );
    expect(() => parseFindings("\n\nnot json", "lint.json")).toThrow(/^lint\.json:3:1: expected/);
    expect(() => parseTestResults("[]", "tests.json")).toThrow(/expected one JSON object/);
    expect(() => parseTestResults('{"summary": {}}', "tests.json")).toThrow(/not test results/);
  });

  it("reads validate --format json: findings arrays, then the test results object", () => {
    const text = [JSON.stringify([finding()]), "[]", JSON.stringify(results, null, 2)].join("\n");
    const report = parseReport(text, "validate.json");
    expect(report.findings).toHaveLength(1);
    expect(report.tests?.summary).toEqual(results.summary);
    expect(() => parseFindings(text, "validate.json")).toThrow(/found an object/);
  });

  it("reads test --format json", () => {
    expect(parseTestResults(JSON.stringify(results), "t.json")).toEqual(results);
  });
});

describe("textMarkdown", () => {
  it("fences text with more backticks than it contains", () => {
    const md = textMarkdown("plan:\n````\ncreate x\n");
    expect(md.startsWith("`````text\n")).toBe(true);
    expect(md.endsWith("\n`````\n")).toBe(true);
    expect(md).toContain("create x");
  });
});

describe("summary.ts", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-dac-summary-"));
  fs.writeFileSync(path.join(dir, "lint.json"), JSON.stringify([finding()]));
  fs.writeFileSync(path.join(dir, "tests.json"), JSON.stringify(results));
  fs.writeFileSync(path.join(dir, "plan.txt"), "prod-eu: 1 create, 0 update\n");
  fs.writeFileSync(path.join(dir, "empty.json"), "");

  it("writes the findings, tests and plan sections", async () => {
    const io = memoryIo(dir);
    const code = await summaryMain(
      [
        "--title",
        "Validation",
        "--findings",
        "lint.json",
        "--tests",
        "tests.json",
        "--plan",
        "plan.txt",
      ],
      io,
    );
    expect(code).toBe(0);
    expect(io.out).toMatch(/^## Validation\n/);
    expect(io.out).toContain("### Findings");
    expect(io.out).toContain("### Tests");
    expect(io.out).toContain("prod-eu: 1 create, 0 update");
    expect(io.err).toBe("");
  });

  it("shows the test results carried in validate's JSON", async () => {
    fs.writeFileSync(
      path.join(dir, "validate.json"),
      `${JSON.stringify([finding()])}\n${JSON.stringify(results)}\n`,
    );
    const io = memoryIo(dir);
    expect(await summaryMain(["--findings", "validate.json"], io)).toBe(0);
    expect(io.out).toContain("### Findings");
    expect(io.out).toContain("❌ 3 passed, 1 failed, in 2 tests files.");
  });

  it("says which inputs are missing or empty and still writes the rest", async () => {
    const io = memoryIo(dir);
    const code = await summaryMain(
      ["--findings", "lint.json", "--findings", "gone.json", "--tests", "empty.json"],
      io,
    );
    expect(code).toBe(0);
    expect(io.out).toContain(
      "> ⚠️ gone.json is missing: the step that writes it did not run or failed early",
    );
    expect(io.out).toContain("> ⚠️ empty.json is empty");
    expect(io.out).toContain("| detections/hunting/a.yaml | attack-tactic | 1 | 0 | 0 |");
    expect(io.err).toContain("summary: gone.json is missing");
  });

  it("rejects a call with nothing to summarise", async () => {
    await expect(summaryMain(["--title", "x"], memoryIo(dir))).rejects.toThrow(
      "give at least one of --findings, --tests or --plan",
    );
  });

  it("cuts a summary that would exceed GitHub's limit", () => {
    const md = summaryMarkdown({ title: "big", text: "x".repeat(2_000_000) });
    expect(md.length).toBeLessThan(1_000_000);
    // Plain booleans: a failure must not print two million characters.
    expect(md.includes("more characters in the job log")).toBe(true);
    expect(md.endsWith("\n```\n")).toBe(true);
  });
});
