// export (ARM templates) and pull (workspace → YAML rule files, round trip to "unchanged").

import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { loadRuleFile } from "../../scripts/rules/load";
import { API_VERSIONS, ArmServer, startArmServer } from "./arm-server";
import { dac, makeRepo, RG, SUB, TestRepo, TOKEN, WS } from "./helpers";

let server: ArmServer;
let repo: TestRepo;

beforeEach(async () => {
  server = await startArmServer({
    subscriptionId: SUB,
    resourceGroup: RG,
    workspace: WS,
    token: TOKEN,
  });
  repo = makeRepo(server);
});

afterEach(async () => {
  await server.close();
  fs.rmSync(repo.dir, { recursive: true, force: true });
});

function readJson(rel: string) {
  return JSON.parse(repo.read(rel));
}

describe("export", () => {
  test("writes one valid ARM template per rule, with the bodies deploy sends", async () => {
    const r = await dac(repo, ["export", "--target", "test", "--out", "build/arm"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toBe("Exported 4 rule(s) for test to build/arm.\n");

    const hunting = readJson("build/arm/detections/hunting/rare-process-as-a-service.json");
    expect(hunting.$schema).toBe(
      "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    );
    expect(hunting.contentVersion).toBe("1.0.0.0");
    expect(hunting.parameters.workspace).toMatchObject({ type: "string", defaultValue: WS });
    const [search, searchMeta] = hunting.resources;
    expect(search).toMatchObject({
      type: "Microsoft.OperationalInsights/workspaces/savedSearches",
      apiVersion: API_VERSIONS.savedSearches,
      name: "[concat(parameters('workspace'), '/', 'a60ac80f-dce6-43ec-b102-9ae8c094d5dc')]",
    });
    expect(searchMeta).toMatchObject({
      type: "Microsoft.OperationalInsights/workspaces/providers/metadata",
      apiVersion: API_VERSIONS.securityInsights,
      name: "[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', 'huntingquery-a60ac80f-dce6-43ec-b102-9ae8c094d5dc')]",
      dependsOn: [
        "[resourceId('Microsoft.OperationalInsights/workspaces/savedSearches', parameters('workspace'), 'a60ac80f-dce6-43ec-b102-9ae8c094d5dc')]",
      ],
    });
    expect(searchMeta.properties.parentId).toBe(searchMeta.dependsOn[0]);

    const analytics = readJson("build/arm/detections/analytics/avspringshell.json");
    const [rule, ruleMeta] = analytics.resources;
    expect(rule).toMatchObject({
      type: "Microsoft.OperationalInsights/workspaces/providers/alertRules",
      apiVersion: API_VERSIONS.securityInsights,
      kind: "Scheduled",
      name: "[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', '3bd33158-3f0b-47e3-a50f-7c20a1b88038')]",
    });
    expect(ruleMeta.properties).toMatchObject({
      kind: "AnalyticsRule",
      contentId: "3bd33158-3f0b-47e3-a50f-7c20a1b88038",
    });

    // The same content as deploy: compare with what deploy writes to the workspace.
    await dac(repo, ["deploy", "--target", "test"]);
    expect(search.properties).toEqual(
      server.get("savedSearches", "a60ac80f-dce6-43ec-b102-9ae8c094d5dc")!.properties,
    );
    const stored = {
      ...server.get("alertRules", "3bd33158-3f0b-47e3-a50f-7c20a1b88038")!.properties,
    };
    delete stored.lastModifiedUtc;
    expect(rule.properties).toEqual(stored);
    const { parentId: _p, ...metaProps } = ruleMeta.properties;
    const { parentId: _q, ...storedMeta } = server.get(
      "metadata",
      "analyticsrule-3bd33158-3f0b-47e3-a50f-7c20a1b88038",
    )!.properties;
    expect(metaProps).toEqual(storedMeta);

    // Every string that looks like an expression is one we wrote, in the ARM form.
    const strings: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === "string") strings.push(v);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(analytics);
    for (const s of strings.filter((x) => /^\[[^[]/.test(x))) {
      expect(s).toMatch(/^\[(concat|resourceId)\(.*\)\]$/);
    }
  });

  test("escapes rule text that ARM would evaluate as an expression", async () => {
    repo.write(
      "detections/hunting/bracket.yaml",
      "id: 7d1c6b7e-0000-4000-8000-000000000001\nname: Bracket\ndescription: '[not an expression]'\nquery: '[x]'\n",
    );
    await dac(repo, ["export", "--target", "test", "--out", "arm"]);
    const t = readJson("arm/detections/hunting/bracket.json");
    expect(t.resources[0].properties.query).toBe("[[x]");
    const tags = t.resources[0].properties.tags as { name: string; value: string }[];
    expect(tags.find((x) => x.name === "description")!.value).toBe("[[not an expression]");
  });

  test("requires --out and reports rules that cannot be exported", async () => {
    const missing = await dac(repo, ["export", "--target", "test"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("--out DIR is required");
    repo.write(
      "detections/analytics/bad.yaml",
      "id: x\nname: Bad\nseverity: High\nquery: T\nqueryFrequency: 2x\nqueryPeriod: 1d\nkind: Scheduled\n",
    );
    const r = await dac(repo, ["export", "--target", "test", "--out", "arm"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'detections/analytics/bad.yaml:5:17: queryFrequency "2x" is not a duration: write 5m, 1h, 14d (or ISO 8601 like PT5H) (not exported)\n',
    );
  });
});

describe("pull", () => {
  function seedPortalContent() {
    server.put("savedSearches", "6f3c1a2e-7b7c-4f55-9d59-0c1d2e3f4a5b", {
      category: "Hunting Queries",
      displayName: "Sign-ins from Tor exit nodes",
      query:
        'SigninLogs\n| where NetworkLocationDetails has "tor"\n| project TimeGenerated, UserPrincipalName, IPAddress',
      version: 2,
      tags: [
        { name: "description", value: "Sign-ins that came through Tor.\nReview them." },
        { name: "tactics", value: "InitialAccess, CredentialAccess" },
        { name: "techniques", value: "T1078,T1110.003" },
      ],
    });
    server.put("savedSearches", "log-management-search", {
      category: "Log Management",
      displayName: "Heartbeats",
      query: "Heartbeat | take 10",
      version: 2,
    });
    server.put(
      "alertRules",
      "9a1d6c0e-5b7a-4c3f-8e2d-1f0a9b8c7d6e",
      {
        displayName: "Many failed sign-ins",
        description: "More than 20 failures in an hour.",
        severity: "Medium",
        enabled: false,
        query:
          "SigninLogs\n| where ResultType != 0\n| summarize Failures = count() by UserPrincipalName\n| where Failures > 20\n",
        queryFrequency: "PT1H",
        queryPeriod: "P1D",
        triggerOperator: "GreaterThan",
        triggerThreshold: 0,
        suppressionDuration: "PT5H",
        suppressionEnabled: false,
        tactics: ["CredentialAccess"],
        techniques: ["T1110"],
        entityMappings: [
          {
            entityType: "Account",
            fieldMappings: [{ identifier: "FullName", columnName: "UserPrincipalName" }],
          },
        ],
        customDetails: { Failures: "Failures" },
        incidentConfiguration: {
          createIncident: true,
          groupingConfiguration: {
            enabled: false,
            reopenClosedIncident: false,
            lookbackDuration: "PT5H",
            matchingMethod: "AllEntities",
            groupByEntities: [],
            groupByAlertDetails: [],
            groupByCustomDetails: [],
          },
        },
        eventGroupingSettings: { aggregationKind: "SingleAlert" },
        templateVersion: "1.0.0",
      },
      "Scheduled",
    );
    server.put(
      "alertRules",
      "0c2b7f64-1e4d-4b8a-9f3e-6a5d4c3b2a10",
      {
        displayName: "Mailbox rule created (NRT)",
        severity: "Low",
        enabled: true,
        query: 'OfficeActivity | where Operation == "New-InboxRule"',
        suppressionDuration: "PT1H",
        suppressionEnabled: true,
        tactics: ["Persistence"],
        techniques: [],
        incidentConfiguration: {
          createIncident: false,
          groupingConfiguration: {
            enabled: false,
            reopenClosedIncident: false,
            lookbackDuration: "PT5H",
            matchingMethod: "AllEntities",
          },
        },
        eventGroupingSettings: { aggregationKind: "SingleAlert" },
      },
      "NRT",
    );
    server.put(
      "alertRules",
      "BuiltInFusion",
      { enabled: true, alertRuleTemplateName: "f71aba3d" },
      "Fusion",
    );
  }

  test("round-trips: pull → files → plan shows unchanged", async () => {
    seedPortalContent();
    const empty = makeRepo(server, {});
    try {
      const r = await dac(empty, ["pull", "--target", "test", "--out", "detections"]);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expect(r.out).toContain("wrote detections/hunting/sign-ins-from-tor-exit-nodes.yaml");
      expect(r.out).toContain("wrote detections/analytics/many-failed-sign-ins.yaml");
      expect(r.out).toContain("wrote detections/analytics/mailbox-rule-created-nrt.yaml");
      expect(r.out).toContain(
        "skipped alert rule 'BuiltInFusion' is a Fusion rule; only Scheduled and NRT rules are pulled",
      );
      expect(r.out).toContain(
        "Pulled from law-sentinel-test: 3 written, 2 skipped (1 saved searches of other categories).",
      );

      const text = empty.read("detections/analytics/many-failed-sign-ins.yaml");
      expect(text).toContain("query: |\n  SigninLogs\n  | where ResultType != 0\n");
      expect(text).toContain("queryFrequency: 1h\nqueryPeriod: 1d\ntriggerOperator: gt\n");
      expect(text).toContain("status: Disabled");
      const keys = Object.keys(YAML.parse(text));
      expect(keys.slice(0, 6)).toEqual([
        "id",
        "name",
        "description",
        "severity",
        "status",
        "requiredDataConnectors",
      ]);
      expect(keys.indexOf("query")).toBeGreaterThan(keys.indexOf("relevantTechniques"));
      expect(keys[keys.length - 1]).toBe("kind");
      const hunting = YAML.parse(
        empty.read("detections/hunting/sign-ins-from-tor-exit-nodes.yaml"),
      );
      expect(hunting.tactics).toEqual(["InitialAccess", "CredentialAccess"]);
      expect(hunting.relevantTechniques).toEqual(["T1078", "T1110.003"]);
      expect(hunting.description).toBe("Sign-ins that came through Tor.\nReview them.");

      for (const f of [
        "detections/hunting/sign-ins-from-tor-exit-nodes.yaml",
        "detections/analytics/many-failed-sign-ins.yaml",
        "detections/analytics/mailbox-rule-created-nrt.yaml",
      ]) {
        const { rule, findings } = loadRuleFile(path.join(empty.dir, f), empty.dir);
        expect(findings.filter((x) => x.severity === "error")).toEqual([]);
        expect(rule).toBeDefined();
      }

      const plan = await dac(empty, ["plan", "--target", "test", "--format", "json"]);
      const json = JSON.parse(plan.out);
      expect(json.summary).toMatchObject({
        create: 0,
        update: 0,
        drifted: 0,
        delete: 0,
        unchanged: 3,
        error: 0,
      });

      // Adopting them records our tags and metadata without changing their content…
      server.reset();
      const deploy = await dac(empty, ["deploy", "--target", "test"]);
      expect(deploy.code).toBe(0);
      expect(server.writes().filter((w) => w.resourceType === "metadata")).toHaveLength(3);
      expect(
        server.get("alertRules", "9a1d6c0e-5b7a-4c3f-8e2d-1f0a9b8c7d6e")!.properties.enabled,
      ).toBe(false);
      // …after which nothing is left to write.
      server.reset();
      await dac(empty, ["deploy", "--target", "test"]);
      expect(server.writes()).toEqual([]);

      // Pulling again skips what the repository already has.
      const again = await dac(empty, ["pull", "--target", "test"]);
      expect(again.out).toContain(
        "skipped hunting 'Sign-ins from Tor exit nodes': already in detections/hunting/sign-ins-from-tor-exit-nodes.yaml",
      );
      expect(again.out).toContain("0 written");
    } finally {
      fs.rmSync(empty.dir, { recursive: true, force: true });
    }
  });

  test("never overwrites an existing file silently", async () => {
    seedPortalContent();
    const other = makeRepo(server, {
      "detections/hunting/sign-ins-from-tor-exit-nodes.yaml": "# someone's notes, not a rule\n",
    });
    try {
      const r = await dac(other, ["pull", "--target", "test", "--kind", "hunting"]);
      expect(r.out).toContain(
        "skipped hunting 'Sign-ins from Tor exit nodes': detections/hunting/sign-ins-from-tor-exit-nodes.yaml exists (--overwrite replaces it)",
      );
      expect(other.read("detections/hunting/sign-ins-from-tor-exit-nodes.yaml")).toBe(
        "# someone's notes, not a rule\n",
      );
      const o = await dac(other, ["pull", "--target", "test", "--kind", "hunting", "--overwrite"]);
      expect(o.out).toContain("wrote detections/hunting/sign-ins-from-tor-exit-nodes.yaml");
      expect(other.read("detections/hunting/sign-ins-from-tor-exit-nodes.yaml")).toContain(
        "name: Sign-ins from Tor exit nodes",
      );
    } finally {
      fs.rmSync(other.dir, { recursive: true, force: true });
    }
  });

  test("after a deploy, pull finds every deployed rule already in the repository", async () => {
    await dac(repo, ["deploy", "--target", "test"]);
    const r = await dac(repo, ["pull", "--target", "test"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("0 written, 4 skipped");
  });
});
