// `dedupe --fix`: exact bytes for the seed rule, every other byte kept (comments, commas, line
// breaks, indentation, CRLF, BOM), quoted YAML escaped or refused, and a second run changes
// nothing.

import * as fs from "node:fs";
import * as path from "node:path";
import { fixRule } from "../../scripts/indicators/fix";
import { extractIndicators } from "../../scripts/indicators/extract";
import { loadRuleText } from "../../scripts/rules/load";
import { cli, tempRepo } from "../helpers/repo";
import { indicatorsOf, ruleText } from "./helpers";

const FIXTURES = path.join(__dirname, "fixtures");
const SEED = fs.readFileSync(path.join(FIXTURES, "oceanlotus-apt32-network.yaml"), "utf8");
const SEED_FIXED = fs.readFileSync(
  path.join(FIXTURES, "oceanlotus-apt32-network.fixed.yaml"),
  "utf8",
);

/** The fixed text, checked to be a fixed point: fixing it again changes nothing. */
function fixed(text: string): string {
  const result = fixRule(indicatorsOf(text));
  expect(result.refusal).toBeUndefined();
  expect(result.text).toBeDefined();
  const again = fixRule(indicatorsOf(result.text as string));
  expect(again.text).toBeUndefined();
  expect(again.refusal).toBeUndefined();
  return result.text as string;
}

describe("the seed rule", () => {
  it("loses exactly the second syn.servebbs.com and the comma before it", () => {
    expect(fixed(SEED)).toBe(SEED_FIXED);
  });

  it("keeps the closing parenthesis and every line above the list's end byte-for-byte", () => {
    const before = SEED.split("\n");
    const after = fixed(SEED).split("\n");
    const end = after.findIndex((l) => l.includes("'ristineho.com')"));
    expect(after[end]).toBe("  'ristineho.com') ");
    expect(after.slice(0, end)).toEqual(before.slice(0, end));
    expect(after.length).toBe(before.length - 1);
  });

  it("still loads and parses, and lint reports the same as before", async () => {
    const repo = tempRepo({ "detections/hunting/seed.yaml": SEED });
    const lintBefore = await cli(repo, ["lint", "--format", "json"]);
    const r = await cli(repo, ["dedupe", "--fix"]);
    expect(r.err).toBe("fixed detections/hunting/seed.yaml (1 repeat removed, 0 refanged)\n");
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(repo, "detections/hunting/seed.yaml"), "utf8")).toBe(
      SEED_FIXED,
    );
    const lintAfter = await cli(repo, ["lint", "--format", "json"]);
    expect(lintAfter.out).toBe(lintBefore.out);
    expect(lintAfter.code).toBe(lintBefore.code);
    const rule = loadRuleText(SEED_FIXED, "seed.yaml").rule;
    expect(extractIndicators(rule?.query ?? "").syntaxErrors).toBe(0);
  });
});

describe("what --fix keeps", () => {
  const withComments = [
    "T",
    "| where RemoteUrl in (",
    '    "a.com", // first',
    '    "b.com",',
    '    "a.com", // again',
    '    //"commented.com",',
    '    "c.com",',
    '    "b.com"',
    "    )",
  ].join("\n");
  const withCommentsFixed = [
    "T",
    "| where RemoteUrl in (",
    '    "a.com", // first',
    '    "b.com",',
    "    // again",
    '    //"commented.com",',
    '    "c.com"',
    "    )",
  ].join("\n");

  it("keeps comments inside the list, the other commas, line breaks and indentation", () => {
    expect(fixed(ruleText(withComments))).toBe(ruleText(withCommentsFixed));
  });

  it("keeps CRLF line ends", () => {
    const crlf = (s: string) => s.replace(/\n/g, "\r\n");
    expect(fixed(crlf(ruleText(withComments)))).toBe(crlf(ruleText(withCommentsFixed)));
  });

  it("keeps a byte order mark (in the text it hands back to encodeSource)", async () => {
    const repo = tempRepo({
      "detections/bom.yaml": `\ufeff${ruleText('T | where A in ("x.com", "y.com", "x.com")')}`,
    });
    await cli(repo, ["dedupe", "--fix"]);
    const bytes = fs.readFileSync(path.join(repo, "detections/bom.yaml"));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString("utf8").slice(1)).toBe(ruleText('T | where A in ("x.com", "y.com")'));
  });

  it("removes a run of repeats in the middle and at the end of a list", () => {
    expect(fixed(ruleText('T | where A in ("a", "b", "a", "b", "c", "a", "b")'))).toBe(
      ruleText('T | where A in ("a", "b", "c")'),
    );
  });

  it("keeps a comment before a trailing repeat", () => {
    const q = 'T | where A in (\n  "a",\n  "b", // last one\n  "a"\n  )';
    expect(fixed(ruleText(q))).toBe(ruleText('T | where A in (\n  "a",\n  "b" // last one\n  )'));
  });

  it("honours an explicit indentation indicator", () => {
    const text = 'id: x\nname: y\nquery: |4\n      T | where A in (\n      "a",\n      "a")\n';
    expect(fixed(text)).toBe('id: x\nname: y\nquery: |4\n      T | where A in (\n      "a")\n');
  });

  it("removes a repeated row of a one-column datatable, and leaves wider tables alone", () => {
    const one =
      'let D = datatable(Ip:string)["1.2.3.4", "5.6.7.8", "1.2.3.4"];\nT | where A in (D)';
    expect(fixed(ruleText(one))).toBe(ruleText(one.replace(', "1.2.3.4"]', "]")));
    const wide = `let D = datatable(Ip:string, n:long)["1.2.3.4", 1, "1.2.3.4", 1];\nT | where A in (D)`;
    expect(fixRule(indicatorsOf(ruleText(wide))).text).toBeUndefined();
  });
});

describe("refanging", () => {
  it("refangs in place, keeping each literal's quoting", () => {
    const q = `T | where Url has_any ("evil[.]com", 'hxxp://x[.]org/a', @"bad(.)net", "ok.net")`;
    expect(fixed(ruleText(q))).toBe(
      ruleText(`T | where Url has_any ("evil.com", 'http://x.org/a', @"bad.net", "ok.net")`),
    );
  });

  it("removes a defanged copy of a value already in the list instead of refanging it", () => {
    const result = fixRule(indicatorsOf(ruleText(`T | where Url in ("evil.com", "evil[.]com")`)));
    expect(result.text).toBe(ruleText(`T | where Url in ("evil.com")`));
    expect([result.removed, result.refanged]).toEqual([1, 0]);
  });

  it("refangs a comparison and leaves values that are not indicators alone", () => {
    const q = `T | where Url == "evil[.]com" | where A in ("f(.)x", "f(.)x")`;
    expect(fixed(ruleText(q))).toBe(ruleText(`T | where Url == "evil.com" | where A in ("f(.)x")`));
  });

  it("leaves repeated words alone in a list no `in`/`has_any` uses, as dedupe does", () => {
    const q = `let arr = dynamic(["an", "example", "an", "x.com", "x.com"]);\nprint array_index_of(arr, "an")`;
    expect(fixed(ruleText(q))).toBe(ruleText(q.replace(', "x.com"]', "]")));
  });

  it("does not touch equivalent values that are not exact repeats", () => {
    const q = `T | where Url in~ ("evil.com", "EVIL.com", "evil.com.")`;
    expect(fixRule(indicatorsOf(ruleText(q))).text).toBeUndefined();
  });
});

it("refuses to fix a query with a KQL syntax error", () => {
  const result = fixRule(indicatorsOf(ruleText(`T | where A in ("a.com", "a.com",)`)));
  expect(result.text).toBeUndefined();
  expect(result.refusal).toMatch(/KQL syntax error/);
});

describe("YAML scalar styles", () => {
  it("escapes inside a double-quoted scalar", () => {
    const text = `id: x\nname: y\nquery: "T | where A in (\\"x\\", \\"y\\", \\"x\\", \\"e[.]com\\")"\n`;
    expect(fixed(text)).toBe(
      `id: x\nname: y\nquery: "T | where A in (\\"x\\", \\"y\\", \\"e.com\\")"\n`,
    );
  });

  it("escapes inside a single-quoted scalar", () => {
    const text = `id: x\nname: y\nquery: 'T | where A in (''x'', "y", ''x'', ''e[.]com'')'\n`;
    expect(fixed(text)).toBe(`id: x\nname: y\nquery: 'T | where A in (''x'', "y", ''e.com'')'\n`);
  });

  it("refuses a folded scalar and says why", () => {
    const text = 'id: x\nname: y\nquery: >\n  T | where A in ("x",\n  "y", "x")\n';
    const result = fixRule(indicatorsOf(text));
    expect(result.text).toBeUndefined();
    expect(result.refusal).toMatch(/folded block scalar.*literal block/);
  });

  it("fixes a multi-line double-quoted scalar only through a verified edit", () => {
    const text = 'id: x\nname: y\nquery: "T | where A in (\\"x\\",\n  \\"x\\")"\n';
    const result = fixRule(indicatorsOf(text));
    if (result.text !== undefined) {
      expect(loadRuleText(result.text, "x.yaml").rule?.query).toBe('T | where A in ("x")');
    } else {
      expect(result.refusal).toMatch(/cannot be mapped exactly/);
    }
  });

  it("refuses a plain scalar and says why", () => {
    const text = 'id: x\nname: y\nquery: T | where A in ("x", "x")\n';
    const result = fixRule(indicatorsOf(text));
    expect(result.text).toBeUndefined();
    expect(result.refusal).toMatch(/plain scalar/);
  });

  it("reports a refusal on stderr and writes nothing", async () => {
    const text = 'id: x\nname: y\nquery: >\n  T | where A in ("x",\n  "y", "x")\n';
    const repo = tempRepo({ "detections/folded.yaml": text });
    const r = await cli(repo, ["dedupe", "--fix"]);
    expect(r.err).toMatch(
      /^not fixing detections\/folded.yaml: the query is a folded block scalar/,
    );
    expect(fs.readFileSync(path.join(repo, "detections/folded.yaml"), "utf8")).toBe(text);
    expect(r.code).toBe(1);
  });
});
