// Bad input never crashes lint and never stops it from checking the other files: each case
// gets one clear finding with a position, and the good file beside it is still checked.

import { cli, huntingRule, tempRepo } from "../helpers/repo";
import type { Finding } from "../../scripts/lint/finding";

const GOOD = huntingRule({ tactics: "tactics:\n  - Command and control" }); // one known finding

async function lintWith(name: string, content: string | Buffer) {
  const dir = tempRepo({
    "sentinel-dac.config.yaml": "tests:\n  required: false\n",
    "detections/hunting/good.yaml": GOOD,
    [`detections/hunting/${name}`]: content,
  });
  const r = await cli(dir, ["lint", "--format", "json"]);
  const findings = JSON.parse(r.out) as Finding[];
  const mine = findings.filter((f) => f.file === `detections/hunting/${name}`);
  // The good file beside it was still checked.
  expect(
    findings.filter((f) => f.file === "detections/hunting/good.yaml").map((f) => f.ruleId),
  ).toEqual(["attack-tactic"]);
  expect(r.err).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  return { code: r.code, mine };
}

const billionLaughs = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
  "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
  "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
  "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
  "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]",
  "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]",
  "",
].join("\n");

describe("lint on bad input", () => {
  it("an empty file", async () => {
    const { mine, code } = await lintWith("empty.yaml", "");
    expect(mine.map((f) => [f.ruleId, f.line, f.message])).toEqual([
      ["yaml-shape", 1, "the file is empty: a rule is a YAML mapping with id, name, query…"],
    ]);
    expect(code).toBe(1);
  });

  it("a list at top level", async () => {
    const { mine } = await lintWith("list.yaml", "- id: 1\n- id: 2\n");
    expect(mine.map((f) => f.message)).toEqual([
      "the top level of the file is a list; a rule is a mapping with id, name, query…",
    ]);
  });

  it("a scalar at top level", async () => {
    const { mine } = await lintWith("scalar.yaml", "just some text\n");
    expect(mine.map((f) => f.message)).toEqual([
      "the top level of the file is a single value; a rule is a mapping with id, name, query…",
    ]);
  });

  it("invalid UTF-8, pointing at the bad byte", async () => {
    const bytes = Buffer.concat([
      Buffer.from("id: x\nname: caf"),
      Buffer.from([0xc3, 0x28]),
      Buffer.from("\n"),
    ]);
    const { mine } = await lintWith("latin1.yaml", bytes);
    expect(mine.map((f) => [f.ruleId, f.line, f.column])).toEqual([["file-encoding", 2, 10]]);
    expect(mine[0].message).toContain("not valid UTF-8");
  });

  it("a BOM is a warning and the rule is still checked", async () => {
    const { mine, code } = await lintWith(
      "bom.yaml",
      `\ufeff${huntingRule({ id: "id: 1b2c3d4e-0000-4000-8000-00000000b0b0", name: "name: BOM" })}`,
    );
    expect(mine.map((f) => [f.ruleId, f.severity])).toEqual([["file-encoding", "warning"]]);
    expect(code).toBe(1); // the good file's tactic error
  });

  it("CRLF line endings: a warning, and positions still right", async () => {
    const text = huntingRule({
      id: "id: 1b2c3d4e-0000-4000-8000-00000000c0c0",
      name: "name: CRLF",
      tactics: "tactics:\n  - Command and control",
    }).replace(/\n/g, "\r\n");
    const { mine } = await lintWith("crlf.yaml", text);
    expect(mine.map((f) => [f.ruleId, f.line, f.column, f.endLine, f.endColumn])).toEqual([
      ["line-endings", 1, 41, 1, 41],
      ["attack-tactic", 9, 5, 9, 24],
    ]);
  });

  it("a file over 1 MiB is not parsed", async () => {
    const { mine } = await lintWith("huge.yaml", `id: x\nquery: |\n${"  x\n".repeat(300_000)}`);
    expect(mine.map((f) => f.ruleId)).toEqual(["file-size"]);
    expect(mine[0].message).toMatch(/limited to 1048576 bytes/);
  });

  it("a __proto__ key", async () => {
    const { mine } = await lintWith(
      "proto.yaml",
      `${huntingRule({ id: "id: 1b2c3d4e-0000-4000-8000-00000000d0d0", name: "name: Proto" })}__proto__:\n  polluted: true\n`,
    );
    expect(mine.filter((f) => f.ruleId === "yaml-shape").map((f) => [f.line, f.message])).toEqual([
      [16, "the key `__proto__` is not allowed in a rule"],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("an alias bomb (billion laughs) stops at the alias limit", async () => {
    const { mine } = await lintWith("bomb.yaml", billionLaughs);
    expect(mine.map((f) => f.ruleId)).toEqual(["yaml-syntax"]);
    expect(mine[0].message).toMatch(/aliases expand too far/);
  });

  it("tabs, duplicate keys and a missing space after a colon, each with its line", async () => {
    const dup = await lintWith("dup.yaml", huntingRule({ name: "name: A\nname: B" }));
    expect(dup.mine.map((f) => [f.ruleId, f.line])).toEqual([["yaml-duplicate-key", 3]]);
    const tab = await lintWith("tab.yaml", "id: x\nquery: |\n\tDeviceEvents\n");
    expect(tab.mine.map((f) => [f.ruleId, f.line, f.message])).toEqual([
      [
        "yaml-syntax",
        3,
        "this line is indented with a tab; YAML allows only spaces for indentation",
      ],
    ]);
    const colon = await lintWith("colon.yaml", "id: x\nname:No space\n");
    expect(colon.mine.map((f) => [f.line, f.message])).toEqual([
      [2, "`name:` needs a space after the colon, or YAML does not see a key"],
    ]);
  });

  it("a path that does not exist is a usage error (exit 2)", async () => {
    const dir = tempRepo({});
    const r = await cli(dir, ["lint", "nowhere"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("no such file or directory: nowhere");
  });
});
