// A diagnostic at offset N of a query lands on the file line and column of that character,
// whatever the YAML scalar style: where a GitHub annotation points in the pull request.

import { huntingRule } from "../helpers/repo";
import { loadRuleText, queryMap, queryRange } from "../../scripts/rules/load";
import { kql, lintRepo, positionOf } from "./helpers";

/** Seven query lines; the unknown column `RemoteUrlx` is on the seventh. */
const LINES = [
  "// network activity",
  "DeviceNetworkEvents",
  "| where Timestamp > ago(1d)",
  "| where ActionType == 'ConnectionSuccess'",
  "| extend Host = DeviceName",
  "| project Timestamp, Host, RemoteUrl, RemoteIP",
  "| where RemoteUrlx has 'example.org'",
];

const styles: Record<string, string> = {
  "literal |": `query: |\n${LINES.map((l) => `  ${l}`).join("\n")}`,
  "literal |- with a comment": `query: |- # the query\n${LINES.map((l) => `    ${l}`).join("\n")}`,
  "literal |+ then blank lines": `query: |+\n${LINES.map((l) => `  ${l}`).join("\n")}\n\n`,
  "indentation indicator |2": `query: |2\n${LINES.map((l, i) => `  ${i === 1 ? "  " : ""}${l}`).join("\n")}`,
  "folded >": `query: >\n${LINES.slice(1)
    .map((l) => `  ${l}`)
    .join("\n\n")}`,
  "double-quoted, multi-line": `query: "${LINES.slice(1).join("\n  ").replace(/'/g, "\\u0027")}"`,
  "single-quoted, multi-line": `query: '${LINES.slice(1).join("\n\n  ").replace(/'/g, "''")}'`,
  "plain, multi-line": `query: ${LINES.slice(1)
    .map((l) => l.replace(/'/g, '"'))
    .join("\n  ")}`,
};

describe("query offsets map to file positions", () => {
  for (const [style, query] of Object.entries(styles)) {
    it(`${style}: the map is exact and every character maps onto itself`, () => {
      const rule = loadRuleText(huntingRule({ query }), "detections/hunting/a.yaml").rule!;
      const map = queryMap(rule)!;
      expect(map.exact).toBe(true);
      const q = rule.query!;
      const at = q.indexOf("RemoteUrlx");
      expect(rule.file.text.slice(map.offsets[at], map.offsets[at] + 10)).toBe("RemoteUrlx");
      for (let i = 0; i < q.length; i++) {
        // Folded breaks become spaces and escapes shorten: those point at the break/escape.
        if (q[i] === "\n" || q[i] === " " || q[i] === "'" || q[i] === '"') continue;
        expect(rule.file.text[map.offsets[i]]).toBe(q[i]);
      }
    });

    it(`${style}: the KS142 finding points at RemoteUrlx in the file`, async () => {
      const text = huntingRule({ query });
      const { findings } = await lintRepo({ "detections/hunting/a.yaml": text });
      const f = kql(findings, "kql-semantic");
      expect(f).toHaveLength(1);
      const expected = positionOf(text, "RemoteUrlx");
      expect([f[0].line, f[0].column, f[0].endLine, f[0].endColumn]).toEqual([
        expected.line,
        expected.column,
        expected.line,
        expected.column + "RemoteUrlx".length,
      ]);
    });
  }

  it("an unknown column on line 7 of a `query: |` block lands on the file line of that query line", async () => {
    const text = huntingRule({ query: styles["literal |"] });
    const queryLine1 = positionOf(text, "// network activity").line;
    const { findings } = await lintRepo({ "detections/hunting/a.yaml": text });
    const [f] = kql(findings, "kql-semantic");
    expect(f.line).toBe(queryLine1 + 6);
    expect(f.column).toBe(3 + "| where ".length);
  });

  it("CRLF files map to the same lines and columns as LF ones", async () => {
    const lf = huntingRule({ query: styles["literal |"] });
    const crlf = lf.replace(/\n/g, "\r\n");
    const rule = loadRuleText(crlf, "a.yaml").rule!;
    expect(queryMap(rule)!.exact).toBe(true);
    const { findings } = await lintRepo({ "detections/hunting/a.yaml": crlf });
    const [f] = kql(findings, "kql-semantic");
    const expected = positionOf(lf, "RemoteUrlx");
    expect([f.line, f.column]).toEqual([expected.line, expected.column]);
  });

  it("double-quoted escapes and escaped line breaks map exactly", () => {
    const text = huntingRule({
      query:
        'query: "DeviceNetworkEvents \\\n  | where RemoteUrl == \\"a\\tb\\" \\u0041\n\n  | take 1"',
    });
    const rule = loadRuleText(text, "a.yaml").rule!;
    expect(rule.query).toBe('DeviceNetworkEvents | where RemoteUrl == "a\tb" A\n| take 1');
    const map = queryMap(rule)!;
    expect(map.exact).toBe(true);
    const take = rule.query!.indexOf("take");
    expect(queryRange(rule, take, take + 4)).toMatchObject(positionOf(text, "take"));
    const a = rule.query!.indexOf("A\n");
    expect(rule.file.text.slice(map.offsets[a], map.offsets[a] + 6)).toBe("\\u0041");
  });
});
