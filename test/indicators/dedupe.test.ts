// Findings of the indicator analysis on rules in memory: every finding id, its severity,
// where it points and what it says.

import { analyse } from "../../scripts/indicators/dedupe";
import type { Finding } from "../../scripts/lint/finding";
import { indicatorsOf, ruleText } from "./helpers";

/** Findings as `line:column id message` (the query starts on line 4 of `ruleText`). */
function findingsOf(query: string): string[] {
  return analyse([indicatorsOf(ruleText(query))]).findings.map(
    (f) => `${f.line}:${f.column} ${f.ruleId} ${f.message}`,
  );
}

function only(query: string, id: string): Finding[] {
  return analyse([indicatorsOf(ruleText(query))]).findings.filter((f) => f.ruleId === id);
}

describe("duplicate-indicator", () => {
  it("is an error at the repeat that names both lines", () => {
    const f = only(
      `T\n| where RemoteUrl in (\n"a.com",\n"b.com",\n"a.com")`,
      "duplicate-indicator",
    );
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: "error", line: 8, column: 3 });
    expect(f[0].message).toBe("'a.com' appears twice in this `in` list: lines 6 and 8");
  });

  it("names line and column when the repeats share a line", () => {
    expect(findingsOf(`T | where A has_any ("x", "x", "x")`)).toEqual([
      "4:29 duplicate-indicator 'x' appears 3 times in this `has_any` list: at 4:24 and 4:29 and 4:34",
      "4:34 duplicate-indicator 'x' appears 3 times in this `has_any` list: at 4:24 and 4:29 and 4:34",
    ]);
  });

  it("counts a repeated datatable row, not a repeated value with different data", () => {
    const q = (rows: string) =>
      `let D = datatable(Ip:string, Note:string)[${rows}];\nT | where RemoteIP in (D)`;
    expect(only(q(`"1.2.3.4", "a", "1.2.3.4", "b"`), "duplicate-indicator")).toEqual([]);
    expect(only(q(`"1.2.3.4", "a", "1.2.3.4", "a"`), "duplicate-indicator")).toHaveLength(1);
  });

  it("in a list no `in`/`has_any` uses, counts only indicator-like repeats", () => {
    const q = `let arr = dynamic(["an", "example", "an", "x.com", "x.com"]);\nprint array_index_of(arr, "an")`;
    expect(findingsOf(q)).toEqual([
      "4:54 duplicate-indicator 'x.com' appears twice in the dynamic array `arr`: at 4:45 and 4:54",
    ]);
  });

  it("does not compare values of two different lists", () => {
    expect(only(`T | where A in ("x") | where B in ("x")`, "duplicate-indicator")).toEqual([]);
  });
});

describe("equivalent-indicator", () => {
  it("reports a defanged copy, a trailing dot and case under a case-insensitive operator", () => {
    expect(
      findingsOf(`T | where RemoteUrl has_any ("evil.com", "evil[.]com", "evil.com.", "EVIL.com")`),
    ).toEqual([
      "4:44 defanged-indicator 'evil[.]com' is defanged: the query compares it as written, so it never matches real telemetry",
      "4:44 equivalent-indicator 'evil[.]com' is a defanged copy of 'evil.com' (at 4:32 and 4:44 in this `has_any` list)",
      "4:58 equivalent-indicator 'evil.com' and 'evil.com.' are the same domain, one written with a trailing dot (at 4:32 and 4:58 in this `has_any` list)",
      "4:71 equivalent-indicator 'evil.com' and 'EVIL.com' differ only in case and `has_any` ignores case, so they are the same value (at 4:32 and 4:71 in this `has_any` list)",
    ]);
  });

  it("says case differs under a case-sensitive operator instead of calling it a duplicate", () => {
    const f = only(`T | where RemoteUrl in ("EVIL.com", "evil.com")`, "equivalent-indicator");
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe("warning");
    expect(f[0].message).toMatch(
      /^'EVIL.com' and 'evil.com' differ only in case under a case-sensitive operator \(`in`\)/,
    );
    expect(f[0].fix).toMatch(/in~/);
    expect(only(`T | where RemoteUrl in ("EVIL.com", "evil.com")`, "duplicate-indicator")).toEqual(
      [],
    );
  });

  it("does not equate file names that differ in case under `in`, and does under `in~`", () => {
    expect(only(`T | where F in ("Cmd.exe", "cmd.exe")`, "equivalent-indicator")).toEqual([]);
    expect(only(`T | where F in~ ("Cmd.exe", "cmd.exe")`, "equivalent-indicator")).toHaveLength(1);
  });

  it("equates addresses written differently", () => {
    const f = only(`T | where IP in ("2001:db8::1", "2001:DB8:0:0::1")`, "equivalent-indicator");
    expect(f[0].message).toMatch(/same IPv6 address \('2001:db8::1'\) written differently/);
  });
});

describe("defanged-indicator", () => {
  it("warns about defanged values in lists and comparisons, and says what to write", () => {
    const f = only(
      `T | where Url == "hxxps://evil[.]com/a" or Email in ("bob[@]evil.com")`,
      "defanged-indicator",
    );
    expect(f.map((x) => [x.severity, x.fix])).toEqual([
      ["warning", "write 'https://evil.com/a'"],
      ["warning", "write 'bob@evil.com'"],
    ]);
  });

  it("does not call bracketed text defanged when refanging does not make an indicator", () => {
    expect(only(`T | where A in ("f(.)x", "[at]")`, "defanged-indicator")).toEqual([]);
  });
});

describe("redundant-indicator", () => {
  it("warns when one rule holds an indicator in two different lists", () => {
    const f = only(
      `let C2 = dynamic(["a.com", "b.com"]);\nT | where RemoteUrl has_any (C2) or DnsQuery in ("a.com", "c.com")`,
      "redundant-indicator",
    );
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: "warning", line: 5 });
    expect(f[0].message).toBe("'a.com' is also in the dynamic array `C2` at line 4");
  });

  it("does not compare arrays of sample data that no `in`/`has_any` uses", () => {
    const q = `print a = dynamic(["x.com", "y"]), b = dynamic(["x.com", "z"])`;
    expect(only(q, "redundant-indicator")).toEqual([]);
  });

  it("does not warn about the same filter repeated in both branches of a join", () => {
    const q = `T | where IP !in ("127.0.0.1", "::1")\n| join (T | where IP !in ("127.0.0.1", "::1")) on X`;
    expect(only(q, "redundant-indicator")).toEqual([]);
  });
});

describe("missing-comma", () => {
  it("is an error naming both literals and the value KQL makes of them", () => {
    const f = only(`T | where F has_any ("NTDS.out" "DumpExt.dll", "x.exe")`, "missing-comma");
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: "error", line: 4, column: 24 });
    expect(f[0].message).toBe(
      "'NTDS.out' and 'DumpExt.dll' have no comma between them: KQL joins adjacent string literals, so this `has_any` list holds the single value 'NTDS.outDumpExt.dll' and matches none of them",
    );
  });

  it("finds it across lines in a dynamic array", () => {
    const f = only(
      `let L = dynamic(["a.exe",\n"b.exe"\n"c.exe"]);\nT | where F in (L)`,
      "missing-comma",
    );
    expect(f.map((x) => [x.line, x.endLine])).toEqual([[5, 6]]);
  });
});

describe("malformed-indicator", () => {
  it("warns about a hash of the wrong length for its column", () => {
    const sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    const f = only(`T | where SHA1 in ("${sha256}", "${"a".repeat(40)}")`, "malformed-indicator");
    expect(f).toHaveLength(1);
    expect(f[0].message).toBe(
      `'${sha256}' is a SHA-256 hash (64 hex digits), but \`SHA1\` holds SHA-1 hashes of 40 hex digits; it never matches`,
    );
    const short = only(`T | where MD5 == "${"a".repeat(31)}"`, "malformed-indicator");
    expect(short).toEqual([]); // 31 hex digits is not an indicator-like comparison value
    const inList = only(`T | where MD5 in ("${"a".repeat(31)}")`, "malformed-indicator");
    expect(inList[0].message).toMatch(/is 31 hex digits, but `MD5` holds MD5 hashes of 32/);
  });

  it("warns about malformed IP addresses and stray whitespace", () => {
    const f = only(
      `T | where IP in ("1.2.3.256", "01.2.3.4", "10.0.0.0/40", "1.2.3.4") or F has_any ("x.exe ")`,
      "malformed-indicator",
    );
    expect(f.map((x) => x.message)).toEqual([
      "'1.2.3.256' has the octet 256, over 255; it never matches an address",
      "'01.2.3.4' has an octet with a leading zero, which telemetry never writes; it never matches an address",
      "'10.0.0.0/40' has a prefix length over 32; it never matches an address",
      "'x.exe ' has trailing whitespace, which a file name in telemetry never has; it never matches",
    ]);
  });
});

describe("shared-indicator and the index", () => {
  const a = indicatorsOf(
    ruleText(`T | where RemoteIP in ("1.2.3.4", "5.6.7.8") | where Url has "evil.com"`),
    "detections/a.yaml",
  );
  const b = indicatorsOf(
    ruleText(
      `T | where RemoteIP has_any ("1.2.3.4") | where IP !in ("5.6.7.8") | where Url =~ "EVIL.com."`,
      "1b2c3d4e-0000-4000-8000-000000000002",
    ),
    "detections/b.yaml",
  );

  it("is info on each rule, naming the others; exclusion lists (`!in`) do not count", () => {
    const shared = analyse([a, b]).findings.filter((f) => f.ruleId === "shared-indicator");
    expect(shared.map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.message}`)).toEqual(
      [
        "detections/a.yaml:4:26 info IPv4 address '1.2.3.4' is also in 1 other rule: detections/b.yaml:4",
        "detections/a.yaml:4:64 info domain 'evil.com' is also in 1 other rule: detections/b.yaml:4",
        "detections/b.yaml:4:31 info IPv4 address '1.2.3.4' is also in 1 other rule: detections/a.yaml:4",
        "detections/b.yaml:4:84 info domain 'evil.com' is also in 1 other rule: detections/a.yaml:4",
      ],
    );
  });

  it("indexes every indicator with its occurrences", () => {
    const { index } = analyse([a, b]);
    expect(index.find((e) => e.indicator === "1.2.3.4")).toEqual({
      indicator: "1.2.3.4",
      type: "ipv4",
      occurrences: [
        { file: "detections/a.yaml", line: 4, ruleId: "1b2c3d4e-0000-4000-8000-000000000001" },
        { file: "detections/b.yaml", line: 4, ruleId: "1b2c3d4e-0000-4000-8000-000000000002" },
      ],
    });
    expect(index.find((e) => e.indicator === "evil.com")?.occurrences).toHaveLength(2);
    expect(index.find((e) => e.indicator === "5.6.7.8")?.occurrences).toHaveLength(2);
  });
});

it("reports nothing for a clean list", () => {
  expect(
    findingsOf(`T | where RemoteUrl in~ ("a.com", "b.com") | where SHA1 == "${"a".repeat(40)}"`),
  ).toEqual([]);
});
