import { analyticsRule, cli, huntingRule, tempRepo } from "../helpers/repo";
import type { Finding } from "../../scripts/lint/finding";

async function lintFiles(
  files: Record<string, string>,
  config = "hunting:\n  requireAttack: true\ntests:\n  required: false\n",
) {
  const dir = tempRepo({ "sentinel-dac.config.yaml": config, ...files });
  const r = await cli(dir, ["lint", "detections", "--format", "json"]);
  return { code: r.code, findings: JSON.parse(r.out) as Finding[], err: r.err };
}

const only = (findings: Finding[], id: string) => findings.filter((f) => f.ruleId === id);

describe("lint: clean rules", () => {
  it("passes a valid hunting query and a valid analytics rule with exit 0", async () => {
    const { code, findings } = await lintFiles({
      "detections/hunting/a.yaml": huntingRule(),
      "detections/analytics/b.yaml": analyticsRule(),
    });
    expect(findings).toEqual([]);
    expect(code).toBe(0);
  });

  it("passes the repository's seed rule", async () => {
    const r = await cli(require("../helpers/repo").PROJECT_ROOT, [
      "lint",
      "detections/hunting/oceanlotus-apt32-network.yaml",
      "--format",
      "json",
    ]);
    expect(JSON.parse(r.out)).toEqual([]);
    expect(r.code).toBe(0);
  });
});

describe("schema", () => {
  it("reports every error, each at its own value", async () => {
    const { code, findings } = await lintFiles({
      "detections/hunting/a.yaml": huntingRule({
        id: "id: not-a-guid",
        relevantTechniques: "relevantTechniques:\n  - T1071\n  - TA0001",
      }),
    });
    const schema = only(findings, "schema");
    expect(schema.map((f) => [f.line, f.column])).toEqual([
      [1, 5],
      [12, 5],
    ]);
    expect(schema[0].message).toBe(
      "id is 'not-a-guid', which is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)",
    );
    expect(schema[1].message).toContain("relevantTechniques[1] is 'TA0001'");
    expect(code).toBe(1);
  });

  it("requires description and query of a hunting query", async () => {
    const { findings } = await lintFiles({
      "detections/hunting/a.yaml": huntingRule({ description: "", query: "" }),
    });
    expect(only(findings, "schema").map((f) => f.message)).toEqual([
      "the rule has no `description`",
      "the rule has no `query`",
    ]);
  });

  it("enforces Sentinel's limits: name length, severity enum, threshold, entity mappings", async () => {
    const { findings } = await lintFiles({
      "detections/analytics/a.yaml": analyticsRule({
        name: `name: ${"x".repeat(257)}`,
        severity: "severity: Critical",
        triggerThreshold: "triggerThreshold: 10001",
        entityMappings:
          "entityMappings:\n  - entityType: Hostname\n    fieldMappings:\n      - identifier: HostName\n        columnName: DeviceName",
      }),
    });
    const messages = only(findings, "schema").map((f) => f.message);
    expect(messages).toContain("name is 257 characters long; the limit is 256");
    expect(messages.find((m) => m.startsWith("severity is 'Critical'"))).toBeDefined();
    expect(messages).toContain("triggerThreshold is 10001; it must be at most 10000");
    expect(
      messages.find((m) => m.startsWith("entityMappings[0].entityType is 'Hostname'")),
    ).toBeDefined();
  });

  it("rejects an identifier the entity type does not have, with a suggestion", async () => {
    const { findings } = await lintFiles({
      "detections/analytics/a.yaml": analyticsRule({
        entityMappings:
          "entityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: Hostname\n        columnName: DeviceName",
      }),
    });
    const f = only(findings, "schema");
    expect(f).toHaveLength(1);
    expect(f[0].fix).toBe("did you mean `HostName`?");
    expect(f[0].line).toBe(26);
  });

  it("allows no queryFrequency on NRT rules and reports one if present", async () => {
    const { findings } = await lintFiles({
      "detections/analytics/a.yaml": analyticsRule({ kind: "kind: NRT", queryPeriod: "" }),
    });
    expect(only(findings, "schema").map((f) => f.message)).toEqual([
      "an NRT rule runs every minute and has no `queryFrequency`",
    ]);
  });
});

describe("attack-tactic", () => {
  it("reports a misspelt tactic with the right name and an edit", async () => {
    const { findings } = await lintFiles({
      "detections/hunting/a.yaml": huntingRule({
        tactics: "tactics:\n  - Lateral movement\n  - 'Command and control'",
      }),
    });
    const f = only(findings, "attack-tactic");
    expect(f.map((x) => [x.line, x.column, x.fix])).toEqual([
      [9, 5, "did you mean `LateralMovement`?"],
      [10, 5, "did you mean `CommandAndControl`?"],
    ]);
  });

  it("reports an unknown tactic with the list", async () => {
    const { findings } = await lintFiles({
      "detections/hunting/a.yaml": huntingRule({ tactics: "tactics:\n  - Vulnerability" }),
    });
    const f = only(findings, "attack-tactic");
    expect(f).toHaveLength(1);
    expect(f[0].fix).toMatch(/^use one of: InitialAccess, /);
  });
});

describe("attack-technique", () => {
  it("warns when no tactic of the rule owns the technique", async () => {
    const { findings, code } = await lintFiles({
      "detections/hunting/a.yaml": huntingRule({
        relevantTechniques: "relevantTechniques:\n  - T1003.001",
      }),
    });
    const f = only(findings, "attack-technique");
    expect(f).toHaveLength(1);
    expect(f[0].severity).toBe("warning");
    expect(f[0].message).toContain("T1003.001 belongs to CredentialAccess");
    expect(code).toBe(0);
  });

  it("warns about a technique id the table does not know", async () => {
    const { findings } = await lintFiles({
      "detections/hunting/a.yaml": huntingRule({
        relevantTechniques: "relevantTechniques:\n  - T9999",
      }),
    });
    expect(only(findings, "attack-technique")[0].message).toContain(
      "T9999 is not in the ATT&CK table",
    );
  });
});

describe("hunting-attack", () => {
  it("is an error when the config requires ATT&CK fields, a warning otherwise", async () => {
    const rule = huntingRule({ tactics: "", relevantTechniques: "" });
    const strict = await lintFiles({ "detections/hunting/a.yaml": rule });
    expect(only(strict.findings, "hunting-attack").map((f) => f.severity)).toEqual([
      "error",
      "error",
    ]);
    const lax = await lintFiles(
      { "detections/hunting/a.yaml": rule },
      "tests:\n  required: false\n",
    );
    expect(only(lax.findings, "hunting-attack").map((f) => f.severity)).toEqual([
      "warning",
      "warning",
    ]);
    expect(lax.code).toBe(0);
  });
});

describe("connector-id", () => {
  it("warns about an unknown connector and suggests a near one", async () => {
    const { findings } = await lintFiles({
      "detections/hunting/a.yaml": huntingRule({
        requiredDataConnectors:
          "requiredDataConnectors:\n  - connectorId: MicrosoftThreatProtections\n    dataTypes:\n      - DeviceNetworkEvents",
      }),
    });
    const f = only(findings, "connector-id");
    expect(f).toHaveLength(1);
    expect([f[0].line, f[0].column, f[0].severity]).toEqual([5, 18, "warning"]);
    expect(f[0].fix).toBe("did you mean `MicrosoftThreatProtection`?");
  });
});

describe("unknown-field", () => {
  it("warns about a field the format does not define, suggesting the real one", async () => {
    const { findings, code } = await lintFiles({
      "detections/hunting/a.yaml": `${huntingRule()}tag:\n  - x\n`,
    });
    const f = only(findings, "unknown-field");
    expect(f.map((x) => [x.severity, x.fix])).toEqual([["warning", "did you mean `tags`?"]]);
    expect(code).toBe(0);
  });
});

describe("entity-identifiers", () => {
  it("reports an identifier named twice", async () => {
    const { findings } = await lintFiles({
      "detections/analytics/a.yaml": analyticsRule({
        entityMappings:
          "entityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: HostName\n        columnName: DeviceName\n      - identifier: HostName\n        columnName: DeviceName",
      }),
    });
    expect(only(findings, "entity-identifiers").map((f) => f.message)).toEqual([
      "the Host mapping names the identifier HostName twice (fieldMappings 0 and 1)",
    ]);
  });

  it("reports a mapping without a strong identifier", async () => {
    const { findings } = await lintFiles({
      "detections/analytics/a.yaml": analyticsRule({
        entityMappings:
          "entityMappings:\n  - entityType: FileHash\n    fieldMappings:\n      - identifier: Value\n        columnName: DeviceName",
      }),
    });
    expect(only(findings, "entity-identifiers").map((f) => f.message)).toEqual([
      "the FileHash mapping lacks Algorithm: Sentinel identifies a FileHash by Algorithm + Value",
    ]);
  });
});

describe("analytics-schedule", () => {
  it.each([
    ["1m", "1h", "queryFrequency is 1m; it must be between 5m and 14d"],
    ["1h", "15d", "queryPeriod is 15d; it must be between 5m and 14d"],
    ["2h", "1h", "queryPeriod (1h) is shorter than queryFrequency (2h): runs would leave gaps"],
    [
      "30m",
      "2d",
      "with a queryPeriod of 2d (2 days or more), queryFrequency must be at least 1h, not 30m",
    ],
  ])("frequency %s, period %s", async (freq, period, message) => {
    const { findings } = await lintFiles({
      "detections/analytics/a.yaml": analyticsRule({
        queryFrequency: `queryFrequency: ${freq}`,
        queryPeriod: `queryPeriod: ${period}`,
      }),
    });
    expect(only(findings, "analytics-schedule").map((f) => f.message)).toEqual([message]);
  });

  it("accepts the boundaries", async () => {
    const { findings } = await lintFiles({
      "detections/analytics/a.yaml": analyticsRule({
        queryFrequency: "queryFrequency: 1h",
        queryPeriod: "queryPeriod: 14d",
      }),
    });
    expect(only(findings, "analytics-schedule")).toEqual([]);
  });
});

describe("repository-wide checks", () => {
  it("reports a shared id and a shared name on both files, naming the other", async () => {
    const a = huntingRule({ name: "name: Same" });
    const b = huntingRule({ name: "name: same" });
    const { findings } = await lintFiles({
      "detections/hunting/a.yaml": a,
      "detections/hunting/b.yaml": b,
    });
    const ids = only(findings, "unique-id");
    expect(ids.map((f) => f.file)).toEqual([
      "detections/hunting/a.yaml",
      "detections/hunting/b.yaml",
    ]);
    expect(ids[0].message).toContain("also used by detections/hunting/b.yaml:1");
    expect(only(findings, "unique-name")).toHaveLength(2);
  });

  it("reports a .yml file", async () => {
    const { findings } = await lintFiles({ "detections/hunting/a.yml": huntingRule() });
    expect(only(findings, "file-extension").map((f) => f.fix)).toEqual(["rename it to a.yaml"]);
  });

  it("under --changed-since, checks changed files only but compares ids with all", async () => {
    const dir = tempRepo({
      "sentinel-dac.config.yaml": "tests:\n  required: false\n",
      "detections/hunting/a.yaml": huntingRule({ name: "name: A" }),
      "detections/hunting/old.yaml": huntingRule({
        name: "name: Old",
        tactics: "tactics:\n  - Lateral movement",
      }),
    });
    const { execFileSync } = require("node:child_process");
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
    git("init", "-q");
    git("-c", "user.email=t@t", "-c", "user.name=t", "add", "-A");
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "base");
    require("node:fs").writeFileSync(
      `${dir}/detections/hunting/new.yaml`,
      huntingRule({ name: "name: New" }),
    );
    const r = await cli(dir, ["lint", "--changed-since", "HEAD", "--format", "json"]);
    const findings = JSON.parse(r.out) as Finding[];
    // old.yaml's bad tactic is not reported (unchanged); new.yaml's id clash with both is.
    expect(findings.map((f) => [f.file, f.ruleId])).toEqual([
      ["detections/hunting/new.yaml", "unique-id"],
    ]);
    expect(findings[0].message).toContain("detections/hunting/a.yaml:1");
  });
});

describe("suppressions", () => {
  it("silences a check with a reason and reports a stale or unexplained one", async () => {
    const suppressed = `${huntingRule({ relevantTechniques: "relevantTechniques:\n  - T1003" })}suppress:\n  - check: attack-technique\n    reason: the dump is staged for exfiltration\n`;
    const ok = await lintFiles({ "detections/hunting/a.yaml": suppressed });
    expect(ok.findings).toEqual([]);

    const stale = `${huntingRule()}suppress:\n  - check: attack-technique\n    reason: no longer needed\n  - check: connector-id\n`;
    const { findings } = await lintFiles({ "detections/hunting/a.yaml": stale });
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([
      ["unused-suppression", 17],
      ["suppression", 19],
    ]);
  });
});

describe("config", () => {
  it("changes a check's severity or turns it off", async () => {
    const rule = huntingRule({ relevantTechniques: "relevantTechniques:\n  - T1003" });
    const off = await lintFiles(
      { "detections/hunting/a.yaml": rule },
      "checks:\n  attack-technique: off\ntests:\n  required: false\n",
    );
    expect(off.findings).toEqual([]);
    const err = await lintFiles(
      { "detections/hunting/a.yaml": rule },
      "checks:\n  attack-technique: error\ntests:\n  required: false\n",
    );
    expect(err.findings.map((f) => f.severity)).toEqual(["error"]);
    expect(err.code).toBe(1);
  });

  it("rejects a bad config with exit 2 and the file's position", async () => {
    const dir = tempRepo({
      "sentinel-dac.config.yaml": "checks:\n  schema: loud\n",
      "detections/hunting/a.yaml": huntingRule(),
    });
    const r = await cli(dir, ["lint"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("checks.schema is 'loud'; use error, warning, info or off");
  });
});
