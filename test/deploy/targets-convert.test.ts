// The targets file (schema, positions of errors, selection) and the rule ⇄ resource mapping.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { memoryIo } from "../../scripts/cli/io";
import { run } from "../../scripts/cli";
import {
  analyticsContentOf,
  canonical,
  ConversionError,
  desiredItem,
  isoDuration,
  savedSearchId,
  shortDuration,
  triggerOperator,
} from "../../scripts/deploy/convert";
import { ruleYaml, slugFor } from "../../scripts/deploy/pull";
import {
  applyOverrides,
  loadTargets,
  parseTargets,
  selectTarget,
  targetIncludes,
  TargetsError,
} from "../../scripts/deploy/targets";
import { loadRuleText } from "../../scripts/rules/load";
import { ANALYTICS_SPRING } from "./helpers";

const GOOD = `targets:
  prod-eu:
    subscriptionId: 00000000-0000-0000-0000-000000000000
    resourceGroup: rg-sentinel-eu
    workspace: law-sentinel-eu
    include: ["detections/**"]
    exclude: ["detections/**/experimental/**"]
    overrides:
      - match: "detections/analytics/**"
        set: { status: Disabled }
  us-gov:
    subscriptionId: 00000000-0000-0000-0000-000000000001
    resourceGroup: rg-sentinel-gov
    workspace: law-sentinel-gov
    cloud: AzureUSGovernment
`;

function parseError(text: string): string {
  try {
    parseTargets(text, "deploy/targets.yaml", "/repo");
  } catch (err) {
    if (err instanceof TargetsError) return err.message;
    throw err;
  }
  throw new Error("expected an error");
}

describe("targets file", () => {
  test("reads targets, with cloud endpoints and defaults", () => {
    const file = parseTargets(GOOD, "deploy/targets.yaml", "/repo");
    const eu = selectTarget(file, "prod-eu");
    expect(eu).toMatchObject({ cloud: "AzureCloud", armEndpoint: "https://management.azure.com" });
    const gov = selectTarget(file, "us-gov");
    expect(gov.armEndpoint).toBe("https://management.usgovcloudapi.net");
    expect(gov.include).toEqual([]);
  });

  test("armEndpoint overrides the cloud's endpoint", () => {
    const file = parseTargets(
      GOOD.replace(
        "cloud: AzureUSGovernment",
        "cloud: AzureUSGovernment\n    armEndpoint: https://management.local.azurestack.external/",
      ),
      "t.yaml",
      "/repo",
    );
    expect(selectTarget(file, "us-gov").armEndpoint).toBe(
      "https://management.local.azurestack.external",
    );
  });

  test("a bad value is reported at its file:line:col", () => {
    expect(parseError(GOOD.replace("00000000-0000-0000-0000-000000000000", "not-a-guid"))).toBe(
      "deploy/targets.yaml:3:21: targets.prod-eu.subscriptionId must be a GUID (00000000-0000-0000-0000-000000000000)",
    );
    expect(parseError(GOOD.replace("cloud: AzureUSGovernment", "cloud: AzureGermany"))).toBe(
      "deploy/targets.yaml:15:12: targets.us-gov.cloud must be one of AzureCloud, AzureUSGovernment, AzureChinaCloud",
    );
    expect(
      parseError(
        GOOD.replace(
          "    workspace: law-sentinel-gov\n",
          "    workspace: law-sentinel-gov\n    workspce: typo\n",
        ),
      ),
    ).toBe("deploy/targets.yaml:15:5: targets.us-gov: unknown field `workspce`");
    expect(parseError(GOOD.replace("    resourceGroup: rg-sentinel-gov\n", ""))).toBe(
      "deploy/targets.yaml:12:5: targets.us-gov: `resourceGroup` is required",
    );
    expect(parseError(GOOD.replace("set: { status: Disabled }", "set: { id: other }"))).toBe(
      "deploy/targets.yaml:10:16: targets.prod-eu.overrides.0.set: `id` cannot be overridden (it identifies the rule)",
    );
    expect(parseError(GOOD.replace("  us-gov:", "  us gov:"))).toBe(
      "deploy/targets.yaml:11:3: targets: `us gov` is not a valid target name (letters, digits, '.', '_' and '-')",
    );
    expect(parseError("targets:\n  a: [unclosed\n")).toMatch(/^deploy\/targets\.yaml:\d+:\d+: /);
    expect(parseError("targets: {}\n")).toMatch(
      /^deploy\/targets\.yaml:1:10: targets must NOT have fewer than 1 properties/,
    );
    expect(
      parseError(
        GOOD.replace("armEndpoint", "x").replace(
          "    workspace: law-sentinel-gov",
          "    workspace: law-sentinel-gov\n    armEndpoint: http://plain",
        ),
      ),
    ).toMatch(/targets\.us-gov\.armEndpoint is not a valid value \(must match \^https:\/\/\)/);
  });

  test("a missing file says how to make one", () => {
    expect(() => loadTargets("deploy/targets.yaml", os.tmpdir())).toThrow(
      /no targets file; create it/,
    );
  });

  test("a missing or unknown target lists the available ones", () => {
    const file = parseTargets(GOOD, "deploy/targets.yaml", "/repo");
    expect(() => selectTarget(file, undefined)).toThrow(
      "name a target with --target NAME (targets in deploy/targets.yaml: prod-eu, us-gov)",
    );
    expect(() => selectTarget(file, "prod-us")).toThrow(
      "no target 'prod-us' in deploy/targets.yaml; available targets: prod-eu, us-gov",
    );
  });

  test("include, exclude and overrides by glob and by rule id", () => {
    const t = selectTarget(parseTargets(GOOD, "x", "/repo"), "prod-eu");
    expect(targetIncludes(t, "detections/hunting/a.yaml")).toBe(true);
    expect(targetIncludes(t, "detections/hunting/experimental/a.yaml")).toBe(false);
    expect(targetIncludes(t, "other/a.yaml")).toBe(false);
    expect(applyOverrides(t, { status: "Available" }, "x", "detections/analytics/a.yaml")).toEqual({
      status: "Disabled",
    });
    expect(applyOverrides(t, { status: "Available" }, "x", "detections/hunting/a.yaml")).toEqual({
      status: "Available",
    });
    const byId = { ...t, overrides: [{ match: "abc-123", set: { severity: "Low" } }] };
    expect(applyOverrides(byId, { severity: "High" }, "abc-123", "anywhere.yaml")).toEqual({
      severity: "Low",
    });
  });

  test("the example deploy/targets.yaml of the repository is valid", () => {
    const root = path.resolve(__dirname, "../..");
    const file = loadTargets("deploy/targets.yaml", root);
    expect(file.targets.size).toBeGreaterThan(0);
    for (const t of file.targets.values())
      expect(t.subscriptionId).toMatch(/^0{8}-0{4}-0{4}-0{4}-0{11}[0-9a-f]$/);
  });
});

describe("conversion", () => {
  test("durations: community short form ⇄ ISO 8601", () => {
    expect(isoDuration("1h", "f")).toBe("PT1H");
    expect(isoDuration("14d", "f")).toBe("P14D");
    expect(isoDuration("5m", "f")).toBe("PT5M");
    expect(isoDuration("24h", "f")).toBe("P1D");
    expect(isoDuration("PT1H30M", "f")).toBe("PT90M");
    expect(() => isoDuration("2x", "queryFrequency")).toThrow(ConversionError);
    expect(shortDuration("PT1H")).toBe("1h");
    expect(shortDuration("P1DT2H")).toBe("26h");
    expect(shortDuration("P14D")).toBe("14d");
  });

  test("community operator spellings map to the API's", () => {
    expect(triggerOperator("gt")).toBe("GreaterThan");
    expect(triggerOperator("GreaterThan")).toBe("GreaterThan");
    expect(triggerOperator("ne")).toBe("NotEqual");
    expect(() => triggerOperator(">")).toThrow(/not one of gt, lt, eq, ne/);
  });

  test("the saved search id is derived from the rule id, stably", () => {
    expect(savedSearchId("a60ac80f-dce6-43ec-b102-9ae8c094d5dc")).toBe(
      "a60ac80f-dce6-43ec-b102-9ae8c094d5dc",
    );
    expect(savedSearchId("my rule/1")).toBe(savedSearchId("my rule/1"));
    expect(savedSearchId("my rule/1")).toMatch(/^sdac-[0-9a-f]{32}$/);
  });

  test("the content hash ignores key order and empty values, and follows content", () => {
    const rule = loadRuleText(ANALYTICS_SPRING, "detections/analytics/a.yaml").rule!;
    const a = desiredItem({ kind: rule.kind, data: rule.data, path: "a.yaml" });
    const b = desiredItem({
      kind: rule.kind,
      data: { ...rule.data, tags: ["x"], suppress: [{ rule: "r" }] },
      path: "b.yaml",
    });
    expect(b.hash).toBe(a.hash);
    const c = desiredItem({
      kind: rule.kind,
      data: { ...rule.data, severity: "Low" },
      path: "a.yaml",
    });
    expect(c.hash).not.toBe(a.hash);
    expect(canonical({ b: [], a: { z: null, y: 1 }, c: "" })).toEqual({ a: { y: 1 } });
  });

  test("what the service returns compares equal to what we send", () => {
    const rule = loadRuleText(ANALYTICS_SPRING, "detections/analytics/a.yaml").rule!;
    const item = desiredItem({ kind: rule.kind, data: rule.data, path: "a.yaml" });
    const returned = {
      ...item.content,
      queryPeriod: "PT336H",
      lastModifiedUtc: new Date(),
      templateVersion: "1.0.3",
      incidentConfiguration: {
        ...(item.content.incidentConfiguration as object),
        groupingConfiguration: {
          ...(item.content.incidentConfiguration as Record<string, object>).groupingConfiguration,
          groupByAlertDetails: [],
        },
      },
    };
    expect(analyticsContentOf(returned)).toEqual(item.content);
  });

  test("rules that cannot deploy say what to fix", () => {
    expect(() =>
      desiredItem({ kind: "hunting", data: { name: "x", query: "T" }, path: "p" }),
    ).toThrow("`id` is required: it names the deployed resource");
    expect(() =>
      desiredItem({
        kind: "analytics",
        data: { id: "i", name: "x", query: "T", queryFrequency: "1h", queryPeriod: "1h" },
        path: "p",
      }),
    ).toThrow("`severity` is required");
    expect(() =>
      desiredItem({
        kind: "analytics",
        data: { id: "i", name: "x", query: "T", severity: "Low", queryPeriod: "1h" },
        path: "p",
      }),
    ).toThrow("`queryFrequency` is required for Scheduled rules");
  });

  test("pulled YAML keeps queries as literal blocks and file names readable", () => {
    const text = ruleYaml({ query: "A\n| take 1", id: "x", name: "n", kind: "NRT" });
    expect(text).toBe("id: x\nname: n\nquery: |-\n  A\n  | take 1\nkind: NRT\n");
    expect(slugFor("Sign-ins from Tor (exit nodes)!", "id")).toBe("sign-ins-from-tor-exit-nodes");
    expect(slugFor("日本語", "ABC-1")).toBe("abc-1");
  });
});

describe("commands", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdac-cmd-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(["plan", "deploy", "export", "pull"])("%s --help prints usage", async (cmd) => {
    const io = memoryIo(dir);
    expect(await run([cmd, "--help"], io)).toBe(0);
    expect(io.out).toMatch(new RegExp(`^Usage: sentinel-dac ${cmd} `));
  });

  test("a missing target name lists the available targets (exit 2)", async () => {
    fs.mkdirSync(path.join(dir, "deploy"), { recursive: true });
    fs.writeFileSync(path.join(dir, "deploy/targets.yaml"), GOOD);
    const io = memoryIo(dir);
    expect(await run(["plan"], io)).toBe(2);
    expect(io.err).toBe(
      "sentinel-dac plan: name a target with --target NAME (targets in deploy/targets.yaml: prod-eu, us-gov)\nRun 'sentinel-dac plan --help'.\n",
    );
  });

  test("a bad targets file is reported with file:line:col (exit 2)", async () => {
    fs.writeFileSync(
      path.join(dir, "deploy/targets.yaml"),
      GOOD.replace("workspace: law-sentinel-eu", "workspace: x"),
    );
    const io = memoryIo(dir);
    expect(await run(["deploy", "--target", "prod-eu"], io)).toBe(2);
    expect(io.err).toMatch(
      /^sentinel-dac deploy: deploy\/targets\.yaml:5:16: targets\.prod-eu\.workspace is not a valid value/,
    );
  });

  test("bad options are usage errors", async () => {
    const io = memoryIo(dir);
    expect(await run(["deploy", "--target", "prod-eu", "--concurrency", "0"], io)).toBe(2);
    expect(io.err).toContain("--concurrency takes a whole number from 1 to 64");
    const both = memoryIo(dir);
    expect(await run(["deploy", "--target", "prod-eu", "--all"], both)).toBe(2);
    const fmt = memoryIo(dir);
    expect(await run(["plan", "--target", "prod-eu", "--format", "xml"], fmt)).toBe(2);
  });
});
