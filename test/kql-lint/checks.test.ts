// Each KQL check on rules that pass and rules that fail, through `sentinel-dac lint`.

import { analyticsRule, cli, huntingRule, PROJECT_ROOT } from "../helpers/repo";
import type { Finding } from "../../scripts/lint/finding";
import { blockQuery, kql, lintRepo, NO_TESTS, positionOf } from "./helpers";

const hunting = (lines: string[], overrides: Record<string, string> = {}) =>
  huntingRule({ query: blockQuery(lines), ...overrides });
const analytics = (lines: string[], overrides: Record<string, string> = {}) =>
  analyticsRule({ query: blockQuery(lines), ...overrides });

const connectors = (...types: string[]) =>
  `requiredDataConnectors:\n  - connectorId: MicrosoftThreatProtection\n    dataTypes:\n${types
    .map((t) => `      - ${t}`)
    .join("\n")}`;

describe("clean rules", () => {
  it("the helpers' valid hunting query and analytics rule have no KQL findings", async () => {
    const { findings, code } = await lintRepo({
      "detections/hunting/a.yaml": huntingRule(),
      "detections/analytics/b.yaml": analyticsRule(),
    });
    expect(kql(findings)).toEqual([]);
    expect(code).toBe(0);
  });
});

describe("the seed rule", () => {
  it("detections/hunting/oceanlotus-apt32-network.yaml passes every KQL check", async () => {
    const r = await cli(PROJECT_ROOT, [
      "lint",
      "detections/hunting/oceanlotus-apt32-network.yaml",
      "--format",
      "json",
    ]);
    expect(kql(JSON.parse(r.out) as Finding[])).toEqual([]);
  });
});

describe("kql-syntax", () => {
  it("reports a parse error with Kusto.Language's code, as an error (exit 1)", async () => {
    const rule = hunting(["DeviceNetworkEvents", "| where Timestamp > ago(1d)", "| where"]);
    const { findings, code } = await lintRepo({ "detections/hunting/a.yaml": rule });
    const f = kql(findings, "kql-syntax");
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(/^KS\d+: /);
    expect(f[0].severity).toBe("error");
    expect(f[0].line).toBe(positionOf(rule, "| where", 1).line);
    expect(code).toBe(1);
  });
});

describe("kql-semantic", () => {
  it("reports an unknown table (KS204), column (KS142), function (KS211) and argument type", async () => {
    const { findings } = await lintRepo({
      "detections/hunting/table.yaml": hunting([
        "DeviceNetworkEventz",
        "| where Timestamp > ago(1d)",
      ]),
      "detections/hunting/column.yaml": hunting([
        "DeviceNetworkEvents",
        "| where Timestamp > ago(1d)",
        "| where RemoteUrlx has 'a.com'",
      ]),
      "detections/hunting/function.yaml": hunting([
        "DeviceNetworkEvents",
        "| where Timestamp > ago(1d)",
        "| where is_evil(RemoteUrl)",
      ]),
      "detections/hunting/argtype.yaml": hunting([
        "DeviceNetworkEvents",
        "| where Timestamp > ago(1d)",
        "| extend n = strlen(RemotePort)",
      ]),
    });
    const byFile = (name: string) =>
      kql(findings, "kql-semantic").filter((f) => f.file.endsWith(name));
    expect(byFile("table.yaml").map((f) => f.message.slice(0, 5))).toEqual(["KS204"]);
    expect(byFile("table.yaml")[0].fix).toMatch(/schemas\/tables\/DeviceNetworkEventz\.json/);
    expect(byFile("column.yaml").map((f) => f.message)).toEqual([
      "KS142: The name 'RemoteUrlx' does not refer to any known column, table, variable or function",
    ]);
    expect(byFile("function.yaml").map((f) => f.message.slice(0, 5))).toEqual(["KS211"]);
    expect(byFile("argtype.yaml")).toHaveLength(1);
    expect(byFile("argtype.yaml")[0].message).toMatch(/^KS\d+: .*string/);
    expect(kql(findings, "kql-semantic").every((f) => f.severity === "error")).toBe(true);
  });

  it("knows a repository's custom tables and functions", async () => {
    const { findings } = await lintRepo({
      "schemas/tables/MyApp_CL.json": JSON.stringify({
        Name: "MyApp_CL",
        Properties: [
          { Name: "TimeGenerated", Type: "datetime" },
          { Name: "User_s", Type: "string" },
        ],
      }),
      "schemas/functions/MyAppLogons.json": JSON.stringify({
        Name: "MyAppLogons",
        Parameters: [{ Name: "lookback", Type: "timespan", Default: "1d" }],
        Body: "MyApp_CL | where TimeGenerated > ago(lookback) | project TimeGenerated, User = User_s",
      }),
      "detections/hunting/a.yaml": hunting(
        [
          "MyApp_CL",
          "| where TimeGenerated > ago(1d)",
          "| project User_s",
          "| join kind=inner (MyAppLogons(2d) | project User_s = User) on User_s",
        ],
        { requiredDataConnectors: connectors("MyApp_CL") },
      ),
      "detections/hunting/b.yaml": hunting(["MyAppLogons() | where Nope == 1"], {
        requiredDataConnectors: "",
      }),
    });
    expect(kql(findings).filter((f) => f.file.endsWith("a.yaml"))).toEqual([]);
    expect(kql(findings, "kql-semantic").map((f) => f.message)).toEqual([
      "KS142: The name 'Nope' does not refer to any known column, table, variable or function",
    ]);
  });

  it("reports a broken schema file once, naming file, line and column", async () => {
    const { findings } = await lintRepo({
      "schemas/tables/Broken_CL.json":
        '{"Name": "Broken_CL", "Properties": [{"Name": "A", "Type": "text"}]}',
      "detections/hunting/a.yaml": huntingRule(),
      "detections/hunting/b.yaml": huntingRule({
        id: "id: 1b2c3d4e-0000-4000-8000-000000000002",
        name: "name: b",
      }),
    });
    const f = kql(findings, "kql-semantic");
    expect(f).toHaveLength(1);
    expect(f[0].message).toMatch(
      /^the schema file schemas\/tables\/Broken_CL\.json:1:\d+ was skipped: the column 'A' has type "text"/,
    );
  });
});

describe("watchlists", () => {
  const query = (cols: string) => [
    "let vips = _GetWatchlist('VIPUsers')",
    `| project ${cols};`,
    "SigninLogs",
    "| where TimeGenerated > ago(1d)",
    "| where UserPrincipalName in (vips)",
  ];
  const rule = (cols: string) =>
    hunting(query(cols), {
      requiredDataConnectors:
        "requiredDataConnectors:\n  - connectorId: AzureActiveDirectory\n    dataTypes:\n      - SigninLogs",
    });

  it("accepts any column of a watchlist the repository does not describe", async () => {
    const { findings } = await lintRepo({ "detections/hunting/a.yaml": rule("UPN") });
    expect(kql(findings)).toEqual([]);
  });

  it("checks columns of a described watchlist (its own and the standard ones)", async () => {
    const files = {
      "schemas/watchlists/VIPUsers.json": JSON.stringify({
        Name: "VIPUsers",
        Properties: [{ Name: "UPN", Type: "string" }],
      }),
    };
    const good = await lintRepo({ ...files, "detections/hunting/a.yaml": rule("UPN, SearchKey") });
    expect(kql(good.findings)).toEqual([]);
    const bad = await lintRepo({ ...files, "detections/hunting/a.yaml": rule("UserPrincipal") });
    expect(kql(bad.findings).map((f) => f.message)).toEqual([
      "KS142: The name 'UserPrincipal' does not refer to any known column, table, variable or function",
    ]);
  });
});

describe("kql-warning", () => {
  it("reports Kusto.Language analyzer warnings, and suggestions as info", async () => {
    const { findings, code } = await lintRepo({
      "detections/hunting/a.yaml": hunting(
        [
          "DeviceNetworkEvents",
          "| where Timestamp > ago(1d)",
          "| where isnull(RemoteUrl)",
          "| where RemoteIP has '10.1.2.3'",
          "| join (DeviceInfo | where Timestamp > ago(1d)) on DeviceId",
        ],
        { requiredDataConnectors: connectors("DeviceNetworkEvents", "DeviceInfo") },
      ),
    });
    const f = kql(findings, "kql-warning").map((x) => [x.message.slice(0, 5), x.severity]);
    expect(f).toEqual(
      expect.arrayContaining([
        ["KS501", "warning"],
        ["KS514", "info"],
        ["KS508", "warning"],
      ]),
    );
    expect(code).toBe(0);
  });
});

describe("kql-data-connectors", () => {
  it("reports a table read but not declared, and a data type never read", async () => {
    const rule = hunting(["DeviceProcessEvents", "| where Timestamp > ago(1d)"]);
    const { findings } = await lintRepo({ "detections/hunting/a.yaml": rule });
    const f = kql(findings, "kql-data-connectors");
    expect(f.map((x) => x.message)).toEqual([
      "the data type 'DeviceNetworkEvents' is declared, but the query never reads that table",
      "the query reads DeviceProcessEvents, but no requiredDataConnectors entry lists it in dataTypes",
    ]);
    expect(f[0].line).toBe(positionOf(rule, "- DeviceNetworkEvents").line);
    expect(f[1].line).toBe(positionOf(rule, "  DeviceProcessEvents").line);
  });

  it("accepts qualified and plural data types, table() names, functions and empty lists", async () => {
    const { findings } = await lintRepo({
      "detections/hunting/a.yaml": hunting(["OfficeActivity", "| where TimeGenerated > ago(1d)"], {
        requiredDataConnectors:
          "requiredDataConnectors:\n  - connectorId: Office365\n    dataTypes:\n      - OfficeActivity (SharePoint)",
      }),
      "detections/hunting/b.yaml": hunting(["SecurityEvent", "| where TimeGenerated > ago(1d)"], {
        requiredDataConnectors:
          "requiredDataConnectors:\n  - connectorId: WindowsSecurityEvents\n    dataTypes:\n      - SecurityEvents",
      }),
      "detections/hunting/c.yaml": hunting(
        [
          "let f = (t: string) { table(t) | where TimeGenerated > ago(1d) };",
          "union f('SigninLogs'), f('AADNonInteractiveUserSignInLogs')",
        ],
        {
          requiredDataConnectors:
            "requiredDataConnectors:\n  - connectorId: AzureActiveDirectory\n    dataTypes:\n      - SigninLogs\n      - AADNonInteractiveUserSignInLogs",
        },
      ),
      "detections/hunting/d.yaml": hunting(["SecurityEvent", "| where TimeGenerated > ago(1d)"], {
        requiredDataConnectors: "requiredDataConnectors: []",
      }),
    });
    expect(kql(findings, "kql-data-connectors")).toEqual([]);
  });
});

describe("kql-output-columns", () => {
  it("reports entity mappings, custom details and placeholders naming no output column", async () => {
    const rule = analytics(
      [
        "DeviceNetworkEvents",
        "| where Timestamp > ago(1h)",
        "| project Timestamp, RemoteUrl, deviceName = DeviceName",
      ],
      {
        entityMappings:
          "entityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: HostName\n        columnName: DeviceName",
        version:
          "customDetails:\n  Url: RemoteUrl\n  Port: RemotePort\nalertDetailsOverride:\n  alertDisplayNameFormat: Traffic to {{RemoteUrl}} from {{Computer}}\nversion: 1.0.0",
      },
    );
    const { findings, code } = await lintRepo({ "detections/analytics/a.yaml": rule });
    const f = kql(findings, "kql-output-columns");
    expect(f.map((x) => x.message)).toEqual([
      "the Host mapping uses the column 'DeviceName', which the query does not return",
      "the custom detail Port uses the column 'RemotePort', which the query does not return",
      "the {{Computer}} placeholder uses the column 'Computer', which the query does not return",
    ]);
    expect(f[0].fix).toBe("did you mean 'deviceName'? (column names are case-sensitive)");
    expect(f[0].line).toBe(positionOf(rule, "columnName: DeviceName").line);
    expect(code).toBe(1);
  });

  it("passes when every mapped column is returned", async () => {
    const { findings } = await lintRepo({ "detections/analytics/a.yaml": analyticsRule() });
    expect(kql(findings, "kql-output-columns")).toEqual([]);
  });
});

describe("kql-lookback", () => {
  it("warns when ago() reaches beyond queryPeriod, following let-bound spans", async () => {
    const rule = analytics([
      "let lookback = 2d;",
      "DeviceNetworkEvents",
      "| where Timestamp > ago(lookback)",
      "| where Timestamp < ago(30m)",
      "| project Timestamp, DeviceName, RemoteUrl",
    ]);
    const { findings } = await lintRepo({ "detections/analytics/a.yaml": rule });
    const f = kql(findings, "kql-lookback");
    expect(f.map((x) => x.message)).toEqual([
      "the query looks back 2d (2d) but queryPeriod is 1h: the rule only ever sees the last 1h",
    ]);
    expect(f[0].line).toBe(positionOf(rule, "ago(lookback)").line);
  });

  it("is quiet when the lookback fits", async () => {
    const { findings } = await lintRepo({ "detections/analytics/a.yaml": analyticsRule() });
    expect(kql(findings, "kql-lookback")).toEqual([]);
  });
});

describe("kql-threat-intel", () => {
  const ti = (lines: string[]) =>
    hunting(lines, {
      requiredDataConnectors:
        "requiredDataConnectors:\n  - connectorId: ThreatIntelligence\n    dataTypes:\n      - ThreatIntelligenceIndicator",
    });

  it("warns about each missing part", async () => {
    const { findings } = await lintRepo({
      "detections/hunting/a.yaml": ti([
        "ThreatIntelligenceIndicator",
        "| where TimeGenerated > ago(14d)",
        "| where isnotempty(Url)",
      ]),
    });
    const f = kql(findings, "kql-threat-intel");
    expect(f).toHaveLength(1);
    expect(f[0].message).toBe(
      "the query reads ThreatIntelligenceIndicator but takes every version of each indicator, not the latest, keeps deactivated indicators and keeps expired indicators: revoked and stale indicators raise false alerts",
    );
  });

  it("passes the latest-active-unexpired pattern", async () => {
    const { findings } = await lintRepo({
      "detections/hunting/a.yaml": ti([
        "ThreatIntelligenceIndicator",
        "| where TimeGenerated > ago(14d)",
        "| summarize arg_max(TimeGenerated, *) by IndicatorId",
        "| where Active == true and ExpirationDateTime > now()",
      ]),
    });
    expect(kql(findings)).toEqual([]);
  });
});

describe("kql-type-mismatch", () => {
  it("reports number/string, dayofweek and hash-length mismatches", async () => {
    const { findings } = await lintRepo({
      "detections/hunting/a.yaml": hunting([
        "let sha256s = dynamic(['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef']);",
        "DeviceNetworkEvents",
        "| where Timestamp > ago(1d)",
        "| where RemotePort == \"80\" or '443' == RemotePort",
        "| where dayofweek(Timestamp) in (0, 6)",
        "| where InitiatingProcessSHA1 in (sha256s)",
        "| where InitiatingProcessMD5 == '0123456789abcdef0123456789abcdef01234567'",
      ]),
    });
    expect(kql(findings, "kql-type-mismatch").map((f) => f.message)).toEqual([
      'RemotePort is int but is compared with the string "80": the comparison never matches (or fails in the workspace)',
      "RemotePort is int but is compared with the string '443': the comparison never matches (or fails in the workspace)",
      "dayofweek() returns a timespan (0d = Sunday … 6d = Saturday), not a number: comparing it with 0 never matches",
      "dayofweek() returns a timespan (0d = Sunday … 6d = Saturday), not a number: comparing it with 6 never matches",
      "InitiatingProcessSHA1 holds SHA1 hashes (40 hex digits) but is compared with a value of 64 hex digits (SHA256): it can never match",
      "InitiatingProcessMD5 holds MD5 hashes (32 hex digits) but is compared with a value of 40 hex digits (SHA1): it can never match",
    ]);
  });

  it("passes well-typed comparisons", async () => {
    const { findings } = await lintRepo({
      "detections/hunting/a.yaml": hunting([
        "DeviceNetworkEvents",
        "| where Timestamp > ago(1d)",
        "| where RemotePort == 80 and dayofweek(Timestamp) == 1d and RemoteUrl == '80'",
        "| where InitiatingProcessSHA256 == '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'",
      ]),
    });
    expect(kql(findings)).toEqual([]);
  });
});

describe("kql-time-filter", () => {
  it("warns about each hunting table read without a time filter", async () => {
    const rule = hunting(
      [
        "DeviceNetworkEvents",
        "| where Timestamp > ago(1d)",
        "| join kind=inner (DeviceInfo | project DeviceId, OSPlatform) on DeviceId",
      ],
      { requiredDataConnectors: connectors("DeviceNetworkEvents", "DeviceInfo") },
    );
    const { findings } = await lintRepo({ "detections/hunting/a.yaml": rule });
    const f = kql(findings, "kql-time-filter");
    expect(f.map((x) => x.message)).toEqual([
      "DeviceInfo is read without a time filter: the query scans the table's whole retention",
    ]);
    expect([f[0].line, f[0].column]).toEqual([
      positionOf(rule, "DeviceInfo |").line,
      positionOf(rule, "DeviceInfo |").column,
    ]);
  });

  it("follows let names, unions and between; exempts analytics rules", async () => {
    const { findings } = await lintRepo({
      "detections/hunting/a.yaml": hunting(
        [
          "let net = DeviceNetworkEvents;",
          "let info = DeviceInfo | where Timestamp between (ago(2d) .. now());",
          "net",
          "| where Timestamp > ago(1d)",
          "| join kind=inner info on DeviceId",
        ],
        { requiredDataConnectors: connectors("DeviceNetworkEvents", "DeviceInfo") },
      ),
      "detections/hunting/b.yaml": hunting(
        ["union DeviceNetworkEvents, DeviceInfo", "| where Timestamp > ago(1d)"],
        { requiredDataConnectors: connectors("DeviceNetworkEvents", "DeviceInfo") },
      ),
      "detections/analytics/c.yaml": analytics([
        "DeviceNetworkEvents",
        "| project Timestamp, DeviceName, RemoteUrl",
      ]),
    });
    expect(kql(findings, "kql-time-filter")).toEqual([]);
  });
});

describe("kql-wildcard-scan", () => {
  it("reports search without tables, union * and table wildcards", async () => {
    const { findings } = await lintRepo({
      "detections/hunting/a.yaml": hunting(['search "mimikatz"'], { requiredDataConnectors: "" }),
      "detections/hunting/b.yaml": hunting(["union Device*", "| where Timestamp > ago(1d)"], {
        requiredDataConnectors: "",
      }),
    });
    expect(kql(findings, "kql-wildcard-scan").map((f) => f.message.split("`")[1])).toEqual([
      "search",
      "union Device*",
    ]);
  });

  it("passes a piped search, search in (…) and column wildcards", async () => {
    const { findings } = await lintRepo({
      "detections/hunting/a.yaml": hunting([
        "DeviceNetworkEvents",
        "| where Timestamp > ago(1d)",
        '| search "mimikatz"',
        "| project-away Initiating*",
      ]),
      "detections/hunting/b.yaml": hunting([
        'search in (DeviceNetworkEvents) "mimikatz" and Timestamp > ago(1d)',
      ]),
    });
    expect(kql(findings, "kql-wildcard-scan")).toEqual([]);
  });
});

describe("kql-contains", () => {
  it("suggests has for a delimited needle only, at info level", async () => {
    const rule = hunting(
      [
        "DeviceProcessEvents",
        "| where Timestamp > ago(1d)",
        "| where ProcessCommandLine contains ' -encodedcommand '",
        "| where ProcessCommandLine contains 'admin' and FolderPath !contains '\\\\temp\\\\'",
      ],
      { requiredDataConnectors: connectors("DeviceProcessEvents") },
    );
    const { findings } = await lintRepo({ "detections/hunting/a.yaml": rule });
    const f = kql(findings, "kql-contains");
    expect(f.map((x) => [x.severity, x.fix])).toEqual([
      ["info", "use `has`"],
      ["info", "use `!has`"],
    ]);
  });
});

describe("configuration and suppression", () => {
  const rule = hunting(["SecurityEvent", "| where EventID == '4688'"], {
    requiredDataConnectors:
      "requiredDataConnectors:\n  - connectorId: SecurityEvents\n    dataTypes:\n      - SecurityEvent",
  });

  it("takes severities from sentinel-dac.config.yaml", async () => {
    const { findings, code } = await lintRepo(
      { "detections/hunting/a.yaml": rule },
      `${NO_TESTS}checks:\n  kql-type-mismatch: error\n  kql-time-filter: off\n`,
    );
    expect(kql(findings).map((f) => [f.ruleId, f.severity])).toEqual([
      ["kql-type-mismatch", "error"],
    ]);
    expect(code).toBe(1);
  });

  it("lets a rule silence one check with a reason", async () => {
    const silenced = rule.replace(
      "query: |",
      "suppress:\n  - check: kql-time-filter\n    reason: the portal's time range applies\nquery: |",
    );
    const { findings } = await lintRepo({ "detections/hunting/a.yaml": silenced });
    expect(kql(findings).map((f) => f.ruleId)).toEqual(["kql-type-mismatch"]);
  });
});
