// Indicator lists come from the syntax tree: each supported shape, its operator, column and
// case sensitivity, and the things that are not indicators.

import { extractIndicators, IndicatorList } from "../../scripts/indicators/extract";

const values = (l: IndicatorList) => l.items.map((i) => i.value);

function only(query: string): IndicatorList {
  const { lists } = extractIndicators(query);
  expect(lists).toHaveLength(1);
  return lists[0];
}

describe("extractIndicators", () => {
  it.each([
    ["in", true],
    ["!in", true],
    ["in~", false],
    ["!in~", false],
    ["has_any", false],
    ["has_all", false],
  ])("reads the list of `%s` with its column and case sensitivity", (op, sensitive) => {
    const list = only(`T | where RemoteUrl ${op} ("a.com", 'b.com', @"c.com")`);
    expect(list).toMatchObject({
      kind: "operator",
      operator: op,
      column: "RemoteUrl",
      caseSensitive: sensitive,
      editable: true,
    });
    expect(values(list)).toEqual(["a.com", "b.com", "c.com"]);
  });

  it("reads a `let`-bound dynamic array and takes the operator from where it is used", () => {
    const list = only(`let C2 = dynamic(["a.com", "b.com"]);\nT | where RemoteUrl in~ (C2)`);
    expect(list).toMatchObject({
      kind: "dynamic",
      letName: "C2",
      operator: "in~",
      column: "RemoteUrl",
      caseSensitive: false,
    });
    expect(values(list)).toEqual(["a.com", "b.com"]);
  });

  it("leaves case sensitivity unknown when a list is used both ways or not with an operator", () => {
    const mixed = only(`let L = dynamic(["a"]);\nT | where A in (L) | where B has_any (L)`);
    expect(mixed.caseSensitive).toBeUndefined();
    const unused = only(`T | extend L = pack_array("a", "b")`);
    expect(unused).toMatchObject({ kind: "pack_array", caseSensitive: undefined });
    expect(values(unused)).toEqual(["a", "b"]);
  });

  it("reads a dynamic array inside an `in` list with the operator of that list", () => {
    const { lists } = extractIndicators(`T | where A in (dynamic(["x"]), "y")`);
    expect(lists.map((l) => [l.kind, l.operator, values(l)])).toEqual([
      ["operator", "in", ["y"]],
      ["dynamic", "in", ["x"]],
    ]);
  });

  it("reads the indicator-like columns of a datatable, not its other columns", () => {
    const { lists } = extractIndicators(
      `let Iocs = datatable(Domain:string, Campaign:string, Score:long)[` +
        `"a.com", "spring", 1, "b.com", "autumn", 2];\nT | where RemoteUrl in (Iocs)`,
    );
    expect(lists).toHaveLength(1);
    expect(lists[0]).toMatchObject({ kind: "datatable", column: "Domain", editable: false });
    expect(values(lists[0])).toEqual(["a.com", "b.com"]);
    expect(lists[0].items[0].row).toBe('"a.com","spring",1');
  });

  it("lets --fix edit a one-column datatable", () => {
    const list = only(`datatable(Sha:string)["${"a".repeat(64)}", "${"b".repeat(64)}"]`);
    expect(list.editable).toBe(true);
  });

  it("reads comparisons with a column whose value looks like an indicator", () => {
    const { lists } = extractIndicators(
      `T | where RemoteUrl == "a.com" or "b.com" =~ DomainName or Url has "c.com" ` +
        `or FileName endswith "evil.exe" or ActionType == "ConnectionSuccess"`,
    );
    expect(lists.map((l) => [l.operator, l.column, values(l)[0], l.editable])).toEqual([
      ["==", "RemoteUrl", "a.com", true],
      ["=~", "DomainName", "b.com", true],
      ["has", "Url", "c.com", true],
      ["endswith", "FileName", "evil.exe", true],
    ]);
  });

  it("joins adjacent string literals as KQL does and keeps each token", () => {
    const list = only(`T | where F in ("NTDS.out" "DumpExt.dll", "x.dll")`);
    expect(values(list)).toEqual(["NTDS.outDumpExt.dll", "x.dll"]);
    expect(list.items[0].tokens.map((t) => t.value)).toEqual(["NTDS.out", "DumpExt.dll"]);
  });

  it("records offsets of items and commas in the query", () => {
    const q = `T | where A in ("a", "b")`;
    const list = only(q);
    expect(list.items.map((i) => q.slice(i.start, i.end))).toEqual(['"a"', '"b"']);
    expect(q.slice(list.elements[0].commaStart, list.elements[0].commaEnd)).toBe(",");
    expect(list.elements[1].commaStart).toBeUndefined();
  });

  it("ignores non-literal items and bracketed column names", () => {
    const list = only(`T | where ['Remote Url'] in ("a.com", strcat("b", ".com"), X)`);
    expect(list.column).toBe("Remote Url");
    expect(values(list)).toEqual(["a.com"]);
    expect(list.elements).toHaveLength(3);
  });

  it("unescapes string literals", () => {
    const list = only(`T | where P in ("C:\\\\Temp\\\\x.exe", @"C:\\Temp\\y.exe", h"z.exe")`);
    expect(values(list)).toEqual(["C:\\Temp\\x.exe", "C:\\Temp\\y.exe", "z.exe"]);
  });

  it("counts Kusto syntax errors", () => {
    expect(extractIndicators(`T | where A in ("a",`).syntaxErrors).toBeGreaterThan(0);
    expect(extractIndicators(`T | where A in ("a")`).syntaxErrors).toBe(0);
  });
});
