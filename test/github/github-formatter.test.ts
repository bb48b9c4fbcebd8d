// The `--format github` output against the workflow-command syntax, as the Actions runner
// reads it. `parseCommand` below follows the runner's own parser (actions/runner,
// src/Runner.Common/ActionCommand.cs, TryParseV2 with UnescapeProperty/UnescapeData): the
// command info ends at the first `::` after the leading one, properties are split on `,`
// then on the first `=`, and unescaping replaces %0D, %0A, (%3A, %2C in properties) and
// %25 last, in that order.

import type { Finding } from "../../scripts/lint/finding";
import { escapeData, escapeProperty, github } from "../../scripts/lint/formatters/github";
import { github as testsGithub } from "../../scripts/fixtures/formats";
import type { FileResult } from "../../scripts/fixtures/runner";

const DATA: [string, string][] = [
  ["%0D", "\r"],
  ["%0A", "\n"],
  ["%25", "%"],
];
const PROPERTY: [string, string][] = [
  ["%0D", "\r"],
  ["%0A", "\n"],
  ["%3A", ":"],
  ["%2C", ","],
  ["%25", "%"],
];

function unescape(s: string, table: [string, string][]): string {
  return table.reduce((acc, [from, to]) => acc.split(from).join(to), s);
}

interface Command {
  command: string;
  properties: Record<string, string>;
  data: string;
}

const REGISTERED = new Set(["error", "warning", "notice"]);

function parseCommand(line: string): Command | undefined {
  const message = line.trimStart();
  if (!message.startsWith("::")) return undefined;
  const end = message.indexOf("::", 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(" ");
  const command = space < 0 ? info : info.slice(0, space);
  if (!REGISTERED.has(command)) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const prop of info
      .slice(space + 1)
      .trim()
      .split(",")
      .filter(Boolean)) {
      const eq = prop.indexOf("=");
      if (eq > 0 && eq < prop.length - 1) {
        properties[prop.slice(0, eq)] = unescape(prop.slice(eq + 1), PROPERTY);
      }
    }
  }
  return { command, properties, data: unescape(message.slice(end + 2), DATA) };
}

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    file: "detections/hunting/a.yaml",
    line: 4,
    column: 3,
    endLine: 4,
    endColumn: 9,
    ruleId: "attack-tactic",
    severity: "error",
    message: "unknown tactic",
    ...overrides,
  };
}

const NASTY = "100% sure: a,b\r\nnext line %0A literal :: and %25 too";

describe("escapeData and escapeProperty", () => {
  it("escape %, CR and LF in data; additionally : and , in properties", () => {
    expect(escapeData("50%\r\nx:y,z")).toBe("50%25%0D%0Ax:y,z");
    expect(escapeProperty("50%\r\nx:y,z")).toBe("50%25%0D%0Ax%3Ay%2Cz");
  });

  it("escape % first, so an escape sequence in the text survives as text", () => {
    expect(escapeData("%0A")).toBe("%250A");
    expect(unescape(escapeData("%0A"), DATA)).toBe("%0A");
    expect(unescape(escapeProperty("%3A%2C"), PROPERTY)).toBe("%3A%2C");
  });

  it("round-trip any text through the runner's unescaping", () => {
    for (const s of [NASTY, "", "%", "%%25", "::", ",,,", "\n\n", "é ✓ 𝄞"]) {
      expect(unescape(escapeData(s), DATA)).toBe(s);
      expect(unescape(escapeProperty(s), PROPERTY)).toBe(s);
      expect(escapeProperty(s)).not.toMatch(/[\r\n:,]/);
      expect(escapeData(s)).not.toMatch(/[\r\n]/);
    }
  });
});

describe("lint's github formatter", () => {
  it("prints one workflow command per finding, each on one line", () => {
    const out = github([finding(), finding({ message: "two\nlines" })]);
    expect(out.split("\n").filter(Boolean)).toHaveLength(2);
    expect(out.endsWith("\n")).toBe(true);
  });

  it("maps severities to error, warning and notice", () => {
    const out = github([
      finding(),
      finding({ severity: "warning" }),
      finding({ severity: "info" }),
    ]);
    expect(
      out
        .split("\n")
        .filter(Boolean)
        .map((l) => parseCommand(l)?.command),
    ).toEqual(["error", "warning", "notice"]);
  });

  it("gives the runner back the exact file, position, title and message", () => {
    const f = finding({
      file: "detections/odd, name: 100%.yaml",
      ruleId: "kql:odd,id",
      message: NASTY,
      fix: "do x, then y: done",
    });
    const parsed = parseCommand(github([f]).trimEnd());
    expect(parsed).toEqual({
      command: "error",
      properties: {
        file: "detections/odd, name: 100%.yaml",
        line: "4",
        col: "3",
        endLine: "4",
        endColumn: "9",
        title: "kql:odd,id",
      },
      data: `${NASTY} (do x, then y: done)`,
    });
  });

  it("leaves endColumn out of a finding that spans lines", () => {
    const parsed = parseCommand(github([finding({ endLine: 6, endColumn: 2 })]).trimEnd());
    expect(parsed?.properties).toMatchObject({ line: "4", endLine: "6" });
    expect(parsed?.properties.endColumn).toBeUndefined();
  });
});

describe("test's github formatter", () => {
  it("annotates a failed case at its line with an exact title and multi-line message", () => {
    const result: FileResult = {
      testsFile: "detections/hunting/a, b.tests.yaml",
      ruleFile: "detections/hunting/a, b.yaml",
      ruleName: "Rule: 100%",
      findings: [],
      cases: [
        {
          name: "fires, at night",
          index: 0,
          status: "failed",
          details: ["    expected 1 row, got 0", "    - a: 1", "    + (none)"],
          summary: "expected 1 row, got 0",
          line: 7,
          column: 5,
          millis: 3,
        },
      ],
    };
    const lines = testsGithub([result], {
      color: false,
      verbose: false,
      coverage: false,
      toolVersion: "0.0.0",
      untested: [],
    })
      .split("\n")
      .filter((l) => l.startsWith("::"));
    expect(lines).toHaveLength(1);
    expect(parseCommand(lines[0])).toEqual({
      command: "error",
      properties: {
        file: "detections/hunting/a, b.tests.yaml",
        line: "7",
        col: "5",
        title: "test failed: Rule: 100% › fires, at night",
      },
      data: "expected 1 row, got 0\n- a: 1\n+ (none)",
    });
  });
});
