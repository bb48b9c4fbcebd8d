import type { Finding } from "../../scripts/lint/finding";
import { formatters, FormatContext } from "../../scripts/lint/formatters";
import { escapeData, escapeProperty } from "../../scripts/lint/formatters/github";

const findings: Finding[] = [
  {
    file: "detections/hunting/a.yaml",
    line: 14,
    column: 3,
    endLine: 14,
    endColumn: 19,
    ruleId: "attack-tactic",
    severity: "error",
    message: "'Lateral movement' is not a Microsoft Sentinel tactic",
    fix: "did you mean `LateralMovement`?",
    edits: [{ start: 10, end: 26, replacement: "LateralMovement" }],
  },
  {
    file: "detections/hunting/a.yaml",
    line: 20,
    column: 5,
    endLine: 21,
    endColumn: 2,
    ruleId: "attack-technique",
    severity: "warning",
    message: "T9999 is not in the ATT&CK table, 100% sure: really",
  },
  {
    file: "detections/hunting/b,c.yaml",
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    ruleId: "shared-indicator",
    severity: "info",
    message: "line one\nline two\r",
  },
];

const ctx: FormatContext = {
  toolVersion: "0.1.0",
  rules: [
    {
      id: "attack-tactic",
      description: "tactics use Microsoft Sentinel's exact names",
      docs: "docs",
    },
  ],
  filesChecked: 2,
  color: false,
};

describe("formatters", () => {
  it.each(Object.keys(formatters))("%s output", (name) => {
    expect(formatters[name](findings, ctx)).toMatchSnapshot();
  });

  it("stylish says so when there is nothing to report", () => {
    expect(formatters.stylish([], ctx)).toBe("✔ 2 files checked, no problems\n");
  });

  it("json drops internal edits and keeps fix", () => {
    const out = JSON.parse(formatters.json(findings, ctx));
    expect(out[0]).toEqual({
      file: "detections/hunting/a.yaml",
      line: 14,
      column: 3,
      endLine: 14,
      endColumn: 19,
      ruleId: "attack-tactic",
      severity: "error",
      message: "'Lateral movement' is not a Microsoft Sentinel tactic",
      fix: "did you mean `LateralMovement`?",
    });
  });

  it("sarif is 2.1.0 with rule indexes and 1-based regions", () => {
    const log = JSON.parse(formatters.sarif(findings, ctx));
    expect(log.version).toBe("2.1.0");
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([
      "attack-tactic",
      "attack-technique",
      "shared-indicator",
    ]);
    expect(run.results[1]).toMatchObject({
      ruleId: "attack-technique",
      ruleIndex: 1,
      level: "warning",
    });
    expect(run.results[2].level).toBe("note");
    expect(run.results[0].locations[0].physicalLocation.region).toEqual({
      startLine: 14,
      startColumn: 3,
      endLine: 14,
      endColumn: 19,
    });
  });

  it("github escapes data and properties as the workflow-command syntax requires", () => {
    expect(escapeData("50% done\r\nnext")).toBe("50%25 done%0D%0Anext");
    expect(escapeProperty("a:b,c%")).toBe("a%3Ab%2Cc%25");
    const lines = formatters.github(findings, ctx).trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe(
      "::notice file=detections/hunting/b%2Cc.yaml,line=1,col=1,endLine=1,endColumn=1,title=shared-indicator::line one%0Aline two%0D",
    );
  });
});
