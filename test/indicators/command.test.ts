// `sentinel-dac dedupe` end to end: paths, formats, exit codes, --report, --help, bad input.

import * as fs from "node:fs";
import * as path from "node:path";
import { cli, tempRepo } from "../helpers/repo";
import { ruleText } from "./helpers";

const DUPLICATE = ruleText(`T | where RemoteUrl in ("a.com", "b.com", "a.com")`);
const WARNING_ONLY = ruleText(
  `T | where RemoteUrl has_any ("evil[.]com", "c.com")`,
  "1b2c3d4e-0000-4000-8000-000000000002",
);

describe("sentinel-dac dedupe", () => {
  it("prints usage for --help and exits 0", async () => {
    const r = await cli(tempRepo(), ["dedupe", "--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: sentinel-dac dedupe \[paths…\]/);
    expect(r.out).toMatch(/--report <dest>/);
  });

  it("checks detections/ by default and exits 1 on an error finding", async () => {
    const repo = tempRepo({ "detections/hunting/dup.yaml": DUPLICATE });
    const r = await cli(repo, ["dedupe"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("detections/hunting/dup.yaml");
    expect(r.out).toMatch(/4:45\s+error\s+'a\.com' appears twice .* duplicate-indicator/);
    expect(r.err).toBe("");
  });

  it("exits 0 when there are only warnings", async () => {
    const repo = tempRepo({ "detections/w.yaml": WARNING_ONLY });
    const r = await cli(repo, ["dedupe", "--format", "json"]);
    expect(r.code).toBe(0);
    const findings = JSON.parse(r.out) as { ruleId: string; severity: string }[];
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([
      ["defanged-indicator", "warning"],
    ]);
  });

  it.each(["github", "sarif", "stylish", "json"])("prints the %s format", async (format) => {
    const repo = tempRepo({ "detections/dup.yaml": DUPLICATE });
    const r = await cli(repo, ["dedupe", "--format", format]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("duplicate-indicator");
  });

  it("writes the repo-wide index to stdout with --report json", async () => {
    const repo = tempRepo({ "detections/a.yaml": DUPLICATE, "detections/b.yaml": WARNING_ONLY });
    const r = await cli(repo, ["dedupe", "--report", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as {
      filesChecked: number;
      indicators: { indicator: string; type: string; occurrences: unknown[] }[];
    };
    expect(report.filesChecked).toBe(2);
    expect(report.indicators[0]).toEqual({
      indicator: "a.com",
      type: "domain",
      occurrences: [
        { file: "detections/a.yaml", line: 4, ruleId: "1b2c3d4e-0000-4000-8000-000000000001" },
        { file: "detections/a.yaml", line: 4, ruleId: "1b2c3d4e-0000-4000-8000-000000000001" },
      ],
    });
    // Most frequent first, then by type and value.
    expect(report.indicators.map((e) => e.indicator)).toEqual([
      "a.com",
      "b.com",
      "c.com",
      "evil.com",
    ]);
  });

  it("writes the index to a file with --report FILE and still prints findings", async () => {
    const repo = tempRepo({ "detections/a.yaml": DUPLICATE });
    const r = await cli(repo, ["dedupe", "--report", "out/iocs.json"]);
    expect(r.out).toContain("duplicate-indicator");
    const report = JSON.parse(fs.readFileSync(path.join(repo, "out/iocs.json"), "utf8")) as {
      indicators: unknown[];
    };
    expect(report.indicators).toHaveLength(2);
  });

  it("reports files that do not load instead of passing them silently", async () => {
    const repo = tempRepo({ "detections/bad.yaml": "id: [unclosed\n" });
    const r = await cli(repo, ["dedupe", "--format", "json"]);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.out) as { file: string; ruleId: string }[];
    expect(findings[0]).toMatchObject({ file: "detections/bad.yaml", ruleId: "yaml-syntax" });
  });

  it.each([
    [["--format", "xml"], /unknown format 'xml'/],
    [["--bogus"], /Unknown option '--bogus'/],
    [["no/such/dir"], /no such file or directory: no\/such\/dir/],
    [["--report", ""], /--report needs/],
  ])("rejects bad arguments %j with exit 2", async (args, message) => {
    const repo = tempRepo({ "detections/a.yaml": DUPLICATE });
    const r = await cli(repo, ["dedupe", ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it("reports an unwritable --report destination as a usage error", async () => {
    const repo = tempRepo({ "detections/a.yaml": DUPLICATE, "taken/file": "x" });
    const r = await cli(repo, ["dedupe", "--report", "taken/file/iocs.json"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot write the report to taken\/file\/iocs.json/);
  });
});

describe("dedupe --changed-since", () => {
  it("reports only files changed since the ref, still comparing with every rule", async () => {
    const { execFileSync } = await import("node:child_process");
    const shared = `T | where RemoteIP in ("9.9.9.9")`;
    const repo = tempRepo({
      "detections/old.yaml": ruleText(`${shared} | where A in ("x", "x")`),
    });
    const git = (...args: string[]) =>
      execFileSync("git", args, {
        cwd: repo,
        stdio: "ignore",
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@t",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@t",
        },
      });
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "base");
    fs.writeFileSync(
      path.join(repo, "detections/new.yaml"),
      ruleText(shared, "1b2c3d4e-0000-4000-8000-000000000009"),
    );
    const r = await cli(repo, ["dedupe", "--changed-since", "HEAD", "--format", "json"]);
    const findings = JSON.parse(r.out) as { file: string; ruleId: string }[];
    expect(findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual([
      "detections/new.yaml shared-indicator",
    ]);
    expect(r.code).toBe(0);
    const bad = await cli(repo, ["dedupe", "--changed-since", "no-such-ref"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/cannot compare with 'no-such-ref'/);
  });
});

describe("dedupe and the repository config", () => {
  it("applies `checks:` severities and a rule's `suppress` entries", async () => {
    const shared = `T | where RemoteIP in ("9.9.9.9")`;
    const repo = tempRepo({
      "sentinel-dac.config.yaml":
        "checks:\n  duplicate-indicator: warning\n  shared-indicator: off\n",
      "detections/a.yaml": ruleText(`${shared} | where A in ("x", "x")`),
      "detections/b.yaml": `${ruleText(`${shared} | where U has_any ("e[.]com")`, "1b2c3d4e-0000-4000-8000-000000000002")}suppress:\n  - check: defanged-indicator\n    reason: the feed writes it this way\n`,
    });
    const r = await cli(repo, ["dedupe", "--format", "json"]);
    const findings = JSON.parse(r.out) as { file: string; ruleId: string; severity: string }[];
    expect(findings.map((f) => `${f.file} ${f.ruleId} ${f.severity}`)).toEqual([
      "detections/a.yaml duplicate-indicator warning",
    ]);
    expect(r.code).toBe(0);
  });
});

describe("dedupe --fix and silenced findings", () => {
  it("does not fix what a rule suppresses or the config turns off", async () => {
    const dup = `T | where RemoteUrl in ("a.com", "b[.]com", "a.com")`;
    const suppressed = `${ruleText(dup)}suppress:\n  - check: duplicate-indicator\n    reason: the feed lists it twice on purpose\n`;
    const repo = tempRepo({
      "sentinel-dac.config.yaml": "checks:\n  defanged-indicator: off\n",
      "detections/a.yaml": suppressed,
    });
    const r = await cli(repo, ["dedupe", "--fix", "--format", "json"]);
    expect(r.err).toBe("");
    expect(fs.readFileSync(path.join(repo, "detections/a.yaml"), "utf8")).toBe(suppressed);
  });

  it("fixes only the kind of finding that is on", async () => {
    const repo = tempRepo({
      "sentinel-dac.config.yaml": "checks:\n  defanged-indicator: off\n",
      "detections/a.yaml": ruleText(`T | where RemoteUrl in ("a.com", "b[.]com", "a.com")`),
    });
    const r = await cli(repo, ["dedupe", "--fix"]);
    expect(r.err).toBe("fixed detections/a.yaml (1 repeat removed, 0 refanged)\n");
    expect(fs.readFileSync(path.join(repo, "detections/a.yaml"), "utf8")).toBe(
      ruleText(`T | where RemoteUrl in ("a.com", "b[.]com")`),
    );
  });
});

describe("dedupe progress", () => {
  it("draws a progress line on a terminal only", async () => {
    const { memoryIo } = await import("../../scripts/cli/io");
    const { main } = await import("../../scripts/indicators/command");
    const repo = tempRepo({ "detections/a.yaml": DUPLICATE, "detections/b.yaml": WARNING_ONLY });
    const tty = memoryIo(repo);
    tty.stderr.isTTY = true;
    await main(["--format", "json"], tty);
    expect(tty.err).toContain("dedupe 2/2 (100%)");
    const pipe = memoryIo(repo);
    await main(["--format", "json"], pipe);
    expect(pipe.err).toBe("");
  });
});
