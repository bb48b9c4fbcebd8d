// plan and deploy against the fake ARM server: create, no-op, update, drift, prune, partial
// failure and convergence, retries, bounded concurrency, and that no token is ever printed.

import * as fs from "node:fs";
import * as path from "node:path";
import { API_VERSIONS, ArmServer, startArmServer } from "./arm-server";
import {
  ANALYTICS_SPRING,
  dac,
  HUNTING_RARE,
  makeRepo,
  REPO,
  RG,
  SUB,
  TestRepo,
  TOKEN,
  WS,
} from "./helpers";

const SPRING = "3bd33158-3f0b-47e3-a50f-7c20a1b88038";
const NRT = "5b6ee21d-da53-46eb-827c-eab2a9ba3d2f";
const RARE = "a60ac80f-dce6-43ec-b102-9ae8c094d5dc";
const LOGONS = "0a8f410d-38b5-4d75-90da-32b472b97230";

let server: ArmServer;
let repo: TestRepo;
/** Everything printed in a test, to check that the token never appears. */
let printed: string[];

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const r = await dac(repo, argv, env);
  printed.push(r.out, r.err);
  return r;
}

beforeEach(async () => {
  server = await startArmServer({
    subscriptionId: SUB,
    resourceGroup: RG,
    workspace: WS,
    token: TOKEN,
  });
  repo = makeRepo(server);
  printed = [];
});

afterEach(async () => {
  await server.close();
  fs.rmSync(repo.dir, { recursive: true, force: true });
  for (const text of printed) expect(text).not.toContain(TOKEN);
});

function props(type: "savedSearches" | "alertRules" | "metadata", name: string) {
  const r = server.get(type, name);
  if (!r) throw new Error(`${type}/${name} is not in the workspace`);
  return r.properties as Record<string, unknown>;
}

describe("first deploy", () => {
  test("creates every item with its metadata, using each SDK's api-version", async () => {
    const r = await run(["deploy", "--target", "test"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/test: 4 created\./);
    expect(
      server
        .resources("savedSearches")
        .map((s) => s.name)
        .sort(),
    ).toEqual([LOGONS, RARE].sort());
    expect(
      server
        .resources("alertRules")
        .map((s) => s.name)
        .sort(),
    ).toEqual([SPRING, NRT].sort());
    expect(server.resources("metadata")).toHaveLength(4);

    for (const q of server.requests) {
      expect(q.apiVersion).toBe(
        q.resourceType === "savedSearches"
          ? API_VERSIONS.savedSearches
          : API_VERSIONS.securityInsights,
      );
      expect(q.status).toBeGreaterThanOrEqual(200);
      expect(q.status).toBeLessThan(300);
    }
    // Sentinel lists are paged (2 per page): following nextLink means seeing all 4 metadata.
    const metadataGets = server.requests.filter(
      (q) => q.method === "GET" && q.resourceType === "metadata",
    );
    expect(metadataGets).toHaveLength(1);
  });

  test("writes hunting queries as Content Hub does, with our tags", async () => {
    await run(["deploy", "--target", "test"]);
    const s = props("savedSearches", RARE);
    expect(s.category).toBe("Hunting Queries");
    expect(s.displayName).toBe("Rare process launched as a service");
    expect(s.version).toBe(2);
    expect(s.query).toBe(
      'DeviceProcessEvents\n| where InitiatingProcessParentFileName contains "services.exe"\n| summarize count() by FileName\n| where count_ < 6\n',
    );
    const tags = Object.fromEntries(
      (s.tags as { name: string; value: string }[]).map((t) => [t.name, t.value]),
    );
    expect(tags).toMatchObject({
      description: "Looks for rarely seen processes launched as a service.\n",
      tactics: "Persistence",
      techniques: "T1543,T1543.003",
      "sentinel-dac-ruleid": RARE,
      "sentinel-dac-repository": REPO,
      "sentinel-dac-path": "detections/hunting/rare-process-as-a-service.yaml",
    });
    expect(tags["sentinel-dac-hash"]).toMatch(/^[0-9a-f]{32}$/);
    const m = props("metadata", `huntingquery-${RARE}`);
    expect(m).toMatchObject({
      kind: "HuntingQuery",
      contentId: RARE,
      version: "1.0.0",
      parentId: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/${WS}/savedSearches/${RARE}`,
      source: { kind: "SourceRepository", name: REPO },
    });
  });

  test("writes analytics rules with ISO durations, mapped operators and settings", async () => {
    await run(["deploy", "--target", "test"]);
    const rule = server.get("alertRules", SPRING)!;
    expect(rule.kind).toBe("Scheduled");
    expect(rule.properties).toMatchObject({
      displayName: "AV detections related to SpringShell Vulnerability",
      severity: "High",
      enabled: true,
      queryFrequency: "P1D",
      queryPeriod: "P14D",
      triggerOperator: "GreaterThan",
      triggerThreshold: 0,
      suppressionEnabled: false,
      suppressionDuration: "PT5H",
      tactics: ["InitialAccess"],
      techniques: ["T1190"],
      entityMappings: [
        { entityType: "Host", fieldMappings: [{ identifier: "HostName", columnName: "HostName" }] },
      ],
      customDetails: { Provider: "ProviderName" },
      incidentConfiguration: {
        createIncident: true,
        groupingConfiguration: {
          enabled: true,
          reopenClosedIncident: false,
          lookbackDuration: "PT5H",
          matchingMethod: "Selected",
          groupByEntities: ["Host"],
        },
      },
      eventGroupingSettings: { aggregationKind: "AlertPerResult" },
    });
    const nrt = server.get("alertRules", NRT)!;
    expect(nrt.kind).toBe("NRT");
    expect(nrt.properties.techniques).toEqual(["T1078"]);
    expect(nrt.properties.queryFrequency).toBeUndefined();
    expect(nrt.properties.alertDetailsOverride).toEqual({
      alertDisplayNameFormat: "Role assigned by {{Actor}}",
    });
    expect(props("metadata", `analyticsrule-${SPRING}`)).toMatchObject({
      kind: "AnalyticsRule",
      contentId: SPRING,
      version: "1.0.3",
      source: {
        kind: "SourceRepository",
        name: REPO,
        sourceId: "detections/analytics/avspringshell.yaml",
      },
    });
    expect(String(props("metadata", `analyticsrule-${SPRING}`).customVersion)).toMatch(
      /^sentinel-dac:[0-9a-f]{32}$/,
    );
  });

  test("never deploys a rule's suppress: list", async () => {
    await run(["deploy", "--target", "test"]);
    const bodies = JSON.stringify(server.requests.map((q) => q.body));
    expect(bodies).not.toContain('suppress"');
    expect(bodies).not.toContain("kql-performance");
  });
});

describe("later deploys", () => {
  test("a second deploy writes nothing", async () => {
    await run(["deploy", "--target", "test"]);
    server.reset();
    const r = await run(["deploy", "--target", "test"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/test: 4 unchanged\./);
    expect(server.writes()).toEqual([]);
    expect(server.requests.every((q) => q.method === "GET")).toBe(true);
  });

  test("an edited rule updates that one item, and plan shows the field diff", async () => {
    await run(["deploy", "--target", "test"]);
    repo.write(
      "detections/analytics/avspringshell.yaml",
      ANALYTICS_SPRING.replace("severity: High", "severity: Medium"),
    );
    const plan = await run(["plan", "--target", "test"]);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain(`~ update    analytics ${SPRING}`);
    expect(plan.out).toContain('severity: "High" → "Medium"');
    expect(plan.out).toMatch(
      /Plan: 0 to create, 1 to update, 3 unchanged, 0 drifted, 0 to delete\./,
    );

    server.reset();
    const r = await run(["deploy", "--target", "test"]);
    expect(r.code).toBe(0);
    expect(server.writes().map((w) => `${w.method} ${w.resourceType}/${w.name}`)).toEqual([
      `PUT alertRules/${SPRING}`,
      `PUT metadata/analyticsrule-${SPRING}`,
    ]);
    expect(props("alertRules", SPRING).severity).toBe("Medium");
  });

  test("an edited hunting query is overwritten with the saved search's etag", async () => {
    await run(["deploy", "--target", "test"]);
    const etag = server.get("savedSearches", RARE)!.etag;
    repo.write(
      "detections/hunting/rare-process-as-a-service.yaml",
      HUNTING_RARE.replace("count_ < 6", "count_ < 3"),
    );
    server.reset();
    const r = await run(["deploy", "--target", "test"]);
    expect(r.code).toBe(0);
    const put = server.writes().find((w) => w.resourceType === "savedSearches")!;
    expect((put.body as { etag?: string }).etag).toBe(etag);
    expect(String(props("savedSearches", RARE).query)).toContain("count_ < 3");
  });

  test("--dry-run prints the plan and writes nothing", async () => {
    const r = await run(["deploy", "--target", "test", "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Plan: 4 to create/);
    expect(server.writes()).toEqual([]);
  });
});

describe("drift", () => {
  test("a portal edit of an analytics rule shows as drifted and is kept without --force", async () => {
    await run(["deploy", "--target", "test"]);
    const rule = server.get("alertRules", SPRING)!;
    server.put(
      "alertRules",
      SPRING,
      { ...rule.properties, query: "SecurityAlert | take 1" },
      rule.kind,
    );

    const plan = await run(["plan", "--target", "test"]);
    expect(plan.code).toBe(0);
    expect(plan.out).toContain(`! drifted   analytics ${SPRING}`);
    expect(plan.out).toContain("changed in the workspace since the last deploy");
    const failing = await run(["plan", "--target", "test", "--fail-on-drift"]);
    expect(failing.code).toBe(1);
    expect(failing.err).toContain("1 item(s) drifted");

    server.reset();
    const kept = await run(["deploy", "--target", "test"]);
    expect(kept.code).toBe(1);
    expect(kept.out).toMatch(/drifted\s+analytics\s+3bd33158/);
    expect(server.writes()).toEqual([]);
    expect(props("alertRules", SPRING).query).toBe("SecurityAlert | take 1");

    const forced = await run(["deploy", "--target", "test", "--force"]);
    expect(forced.code).toBe(0);
    expect(String(props("alertRules", SPRING).query)).toContain("MDATP");
    const after = await run(["plan", "--target", "test", "--fail-on-drift"]);
    expect(after.code).toBe(0);
    expect(after.out).toMatch(/4 unchanged, 0 drifted/);
  });

  test("a portal edit of a hunting query no longer matches its content-hash tag", async () => {
    await run(["deploy", "--target", "test"]);
    const s = server.get("savedSearches", RARE)!;
    server.put("savedSearches", RARE, { ...s.properties, displayName: "Renamed in the portal" });
    const plan = await run(["plan", "--target", "test", "--format", "json"]);
    const json = JSON.parse(plan.out);
    const entry = json.entries.find((e: { ruleId: string }) => e.ruleId === RARE);
    expect(entry.action).toBe("drifted");
    expect(entry.changes).toEqual([
      {
        field: "displayName",
        workspace: "Renamed in the portal",
        repository: "Rare process launched as a service",
      },
    ]);
    expect(json.summary).toMatchObject({ drifted: 1, unchanged: 3 });
  });

  test("an edit made in the workspace between plan and write fails that item, and is kept", async () => {
    await run(["deploy", "--target", "test"]);
    repo.write(
      "detections/analytics/avspringshell.yaml",
      ANALYTICS_SPRING.replace("severity: High", "severity: Low"),
    );
    const s = server.get("savedSearches", RARE)!;
    repo.write(
      "detections/hunting/rare-process-as-a-service.yaml",
      HUNTING_RARE.replace("count_ < 6", "count_ < 2"),
    );
    server.inject({
      method: "PUT",
      path: `alertRules/${SPRING}`,
      before: () => {
        const rule = server.get("alertRules", SPRING)!;
        server.put(
          "alertRules",
          SPRING,
          { ...rule.properties, severity: "Informational" },
          rule.kind,
        );
      },
    });
    server.inject({
      method: "PUT",
      path: `savedSearches/${RARE}`,
      before: () => void server.put("savedSearches", RARE, { ...s.properties, query: "edited" }),
    });
    const r = await run(["deploy", "--target", "test"]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/failed\s+analytics\s+3bd33158.*409 Conflict/);
    expect(r.out).toMatch(/failed\s+hunting\s+a60ac80f.*412 PreconditionFailed/);
    expect(props("alertRules", SPRING).severity).toBe("Informational");
    expect(props("savedSearches", RARE).query).toBe("edited");
    const plan = await run(["plan", "--target", "test"]);
    expect(plan.out).toMatch(/2 drifted/);
  });

  test("an item with our id that we never deployed, and that differs, counts as drifted", async () => {
    server.put(
      "alertRules",
      SPRING,
      { displayName: "Someone else's rule", query: "x", severity: "Low", enabled: true },
      "Scheduled",
    );
    const plan = await run(["plan", "--target", "test"]);
    expect(plan.out).toContain("not deployed from this repository");
  });
});

describe("prune", () => {
  function seedForeign() {
    server.put("savedSearches", "foreign-search", {
      category: "Hunting Queries",
      displayName: "A query made in the portal",
      query: "SigninLogs | take 10",
      version: 2,
    });
    server.put("savedSearches", "other-repo-search", {
      category: "Hunting Queries",
      displayName: "From another repository",
      query: "AuditLogs",
      version: 2,
      tags: [
        { name: "sentinel-dac-repository", value: "fabrikam/rules" },
        { name: "sentinel-dac-hash", value: "0".repeat(32) },
      ],
    });
    server.put(
      "alertRules",
      "foreign-rule",
      { displayName: "Portal rule", query: "x", severity: "Low", enabled: true },
      "Scheduled",
    );
    server.put(
      "alertRules",
      "fusion",
      { enabled: true, alertRuleTemplateName: "f71aba3d" },
      "Fusion",
    );
    server.put("metadata", "analyticsrule-foreign-rule", {
      kind: "AnalyticsRule",
      parentId: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/${WS}/providers/Microsoft.SecurityInsights/alertRules/foreign-rule`,
      source: { kind: "LocalWorkspace", name: "portal" },
    });
  }

  test("deletes only our items, and only with --prune", async () => {
    seedForeign();
    await run(["deploy", "--target", "test"]);
    repo.remove("detections/hunting/network-logons-with-local-accounts.yaml");
    repo.remove("detections/analytics/admin-role-assigned.yaml");

    const plan = await run(["plan", "--target", "test"]);
    expect(plan.out).toMatch(
      /Plan: 0 to create, 0 to update, 2 unchanged, 0 drifted, 2 to delete\./,
    );

    server.reset();
    const kept = await run(["deploy", "--target", "test"]);
    expect(kept.code).toBe(0);
    expect(kept.out).toMatch(/kept\s+hunting\s+0a8f410d/);
    expect(server.writes()).toEqual([]);

    const pruned = await run(["deploy", "--target", "test", "--prune"]);
    expect(pruned.code).toBe(0);
    expect(
      server
        .writes()
        .map((w) => `${w.method} ${w.resourceType}/${w.name}`)
        .sort(),
    ).toEqual(
      [
        `DELETE alertRules/${NRT}`,
        `DELETE metadata/analyticsrule-${NRT}`,
        `DELETE metadata/huntingquery-${LOGONS}`,
        `DELETE savedSearches/${LOGONS}`,
      ].sort(),
    );
    expect(
      server
        .resources("savedSearches")
        .map((s) => s.name)
        .sort(),
    ).toEqual(["foreign-search", "other-repo-search", RARE].sort());
    expect(
      server
        .resources("alertRules")
        .map((s) => s.name)
        .sort(),
    ).toEqual(["foreign-rule", "fusion", SPRING].sort());
    expect(server.get("metadata", "analyticsrule-foreign-rule")).toBeDefined();
  });

  test("refuses to prune while a rule file cannot be read", async () => {
    await run(["deploy", "--target", "test"]);
    repo.write(
      "detections/hunting/network-logons-with-local-accounts.yaml",
      "id: [unclosed\nname: broken\n",
    );
    server.reset();
    const r = await run(["deploy", "--target", "test", "--prune"]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/failed\s+hunting/);
    expect(r.out).toContain("network-logons-with-local-accounts.yaml:");
    expect(r.out).toMatch(/not pruned: 1 rule file\(s\) could not be read/);
    expect(server.writes()).toEqual([]);
    expect(server.get("savedSearches", LOGONS)).toBeDefined();
  });
});

describe("failures and retries", () => {
  test("one rule's failure does not stop the others; the run exits 1 and a rerun converges", async () => {
    server.inject({ method: "PUT", path: `alertRules/${SPRING}`, status: 500, times: Infinity });
    const r = await run(["deploy", "--target", "test"]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /failed\s+analytics\s+3bd33158.*500 InternalServerError: Injected failure 500/,
    );
    expect(r.out).toMatch(/test: 1 failed, 3 created\./);
    // The 5xx was retried (maxRetries 3) before giving up.
    expect(server.requests.filter((q) => q.method === "PUT" && q.name === SPRING)).toHaveLength(4);
    expect(server.get("alertRules", SPRING)).toBeUndefined();

    server.reset();
    const rerun = await run(["deploy", "--target", "test"]);
    expect(rerun.code).toBe(0);
    expect(rerun.out).toMatch(/test: 1 created, 3 unchanged\./);
    server.reset();
    const third = await run(["deploy", "--target", "test"]);
    expect(third.out).toMatch(/test: 4 unchanged\./);
    expect(server.writes()).toEqual([]);
  });

  test("a rule written without its metadata is repaired by the next run", async () => {
    server.inject({ method: "PUT", path: `metadata/analyticsrule-${SPRING}`, status: 400 });
    const r = await run(["deploy", "--target", "test"]);
    expect(r.code).toBe(1);
    expect(server.get("alertRules", SPRING)).toBeDefined();
    expect(server.get("metadata", `analyticsrule-${SPRING}`)).toBeUndefined();

    const plan = await run(["plan", "--target", "test"]);
    expect(plan.out).toContain("content matches; deploy records sentinel-dac tags/metadata");
    server.reset();
    const rerun = await run(["deploy", "--target", "test"]);
    expect(rerun.code).toBe(0);
    expect(server.get("metadata", `analyticsrule-${SPRING}`)).toBeDefined();
    server.reset();
    await run(["deploy", "--target", "test"]);
    expect(server.writes()).toEqual([]);
  });

  test("throttling, transient errors, slow answers and reset connections are retried", async () => {
    server.inject({ method: "PUT", path: `savedSearches/${RARE}`, status: 429, retryAfter: 1 });
    server.inject({
      method: "PUT",
      path: `alertRules/${SPRING}`,
      status: 503,
      retryAfter: 0,
      times: 2,
    });
    server.inject({ method: "PUT", path: `metadata/analyticsrule-${NRT}`, reset: true });
    server.inject({ method: "GET", path: "/metadata", delayMs: 300 });
    server.inject({ method: "GET", path: "/alertRules", status: 502 });
    const r = await run(["deploy", "--target", "test"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/test: 4 created\./);
    const count = (name: string) =>
      server.requests.filter((q) => q.method === "PUT" && q.name === name).length;
    expect(count(RARE)).toBe(2);
    expect(count(SPRING)).toBe(3);
    expect(count(`analyticsrule-${NRT}`)).toBe(2);
  });

  test("a request that never answers in time fails its rule, not the run", async () => {
    server.inject({ method: "PUT", path: `alertRules/${NRT}`, delayMs: 1500, times: Infinity });
    const r = await run(["deploy", "--target", "test"], {
      SENTINEL_DAC_TIMEOUT_MS: "300",
      SENTINEL_DAC_MAX_RETRIES: "0",
    });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/failed\s+analytics\s+5b6ee21d/);
    expect(r.out).toMatch(/3 created/);
  });

  test("concurrency is bounded by --concurrency", async () => {
    server.inject({ method: "PUT", delayMs: 100, times: Infinity });
    const r = await run(["deploy", "--target", "test", "--concurrency", "2"]);
    expect(r.code).toBe(0);
    expect(server.maxWritesInFlight()).toBe(2);
    server.reset();
    repo.write(
      "detections/hunting/rare-process-as-a-service.yaml",
      HUNTING_RARE.replace("count_ < 6", "count_ < 7"),
    );
    await run(["deploy", "--target", "test", "--concurrency", "1"]);
    expect(server.maxWritesInFlight()).toBe(1);
  });
});

describe("secrets", () => {
  test("a server that echoes the token in its error never gets it printed", async () => {
    server.inject({
      method: "PUT",
      path: `savedSearches/${RARE}`,
      status: 400,
      echoAuthorization: true,
    });
    const r = await run(["deploy", "--target", "test"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("Token rejected: Bearer ***");
    expect(r.out + r.err).not.toContain(TOKEN);
  });

  test("a rejected token is reported without the token", async () => {
    const wrong = "wrong-token-9d8c7b6a5f4e3d2c1b0a";
    const r = await run(["plan", "--target", "test"], { SENTINEL_DAC_ACCESS_TOKEN: wrong });
    expect(r.code).toBe(2);
    expect(r.err).toContain("401 AuthenticationFailed");
    expect(r.err).toContain("Microsoft Sentinel Contributor and Log Analytics Contributor");
    expect(r.out + r.err).not.toContain(wrong);
  });

  test("an endpoint whose certificate is not trusted is refused, clearly", async () => {
    repo.write(
      "deploy/targets.yaml",
      repo.read("deploy/targets.yaml").replace(/ +caFile: .*\n/, ""),
    );
    const r = await run(["plan", "--target", "test"], { SENTINEL_DAC_MAX_RETRIES: "0" });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /cannot read workspace law-sentinel-test \(target test\): .*self-signed certificate/,
    );
    expect(server.requests).toEqual([]);
  });

  test("a wrong workspace is a clear error", async () => {
    repo.write(
      "deploy/targets.yaml",
      repo.read("deploy/targets.yaml").replace(`workspace: ${WS}`, "workspace: law-missing"),
    );
    const r = await run(["plan", "--target", "test"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /cannot read workspace law-missing \(target test\): 404 ResourceNotFound/,
    );
  });
});

describe("targets", () => {
  test("include, exclude and overrides shape what a target deploys", async () => {
    const extra = `    exclude: ["detections/hunting/network-*"]
    overrides:
      - match: "detections/analytics/**"
        set: { status: Disabled }
      - match: ${RARE}
        set: { name: Renamed for this target }
`;
    fs.rmSync(repo.dir, { recursive: true, force: true });
    repo = makeRepo(server, undefined, extra);
    const r = await run(["deploy", "--target", "test"]);
    expect(r.code).toBe(0);
    expect(server.get("savedSearches", LOGONS)).toBeUndefined();
    expect(props("alertRules", SPRING).enabled).toBe(false);
    expect(props("alertRules", NRT).enabled).toBe(false);
    expect(props("savedSearches", RARE).displayName).toBe("Renamed for this target");
  });

  test("--all deploys every target", async () => {
    const r = await run(["deploy", "--all", "--format", "json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json).toHaveLength(1);
    expect(json[0].summary.created).toBe(4);
  });

  test("a rule without an id is an error outcome, the rest deploy", async () => {
    repo.write("detections/hunting/no-id.yaml", "name: No id\ndescription: x\nquery: SigninLogs\n");
    const r = await run(["deploy", "--target", "test"]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /failed\s+hunting\s+-\s+No id — detections\/hunting\/no-id\.yaml:1:1: `id` is required: it names the deployed resource/,
    );
    expect(r.out).toMatch(/4 created/);
  });

  test("the same id in two files is an error for the second", async () => {
    repo.write("detections/hunting/zz-copy.yaml", HUNTING_RARE);
    const r = await run(["plan", "--target", "test"]);
    expect(r.out).toContain(
      `the id ${RARE} is also used by detections/hunting/rare-process-as-a-service.yaml`,
    );
  });
});

test("the deploy commands' files exist where the CLI dispatches", () => {
  for (const f of ["plan-command", "deploy-command", "export-command", "pull-command"]) {
    expect(fs.existsSync(path.join(__dirname, "../../scripts/deploy", `${f}.ts`))).toBe(true);
  }
});

test("both clients ask for a token scoped to the target's Resource Manager endpoint", async () => {
  const { connect } = await import("../../scripts/deploy/arm");
  const { loadTargets } = await import("../../scripts/deploy/targets");
  const target = loadTargets("deploy/targets.yaml", repo.dir).targets.get("test")!;
  const scopes: string[] = [];
  const api = await connect(
    target,
    {},
    {
      getToken: async (s: string | string[]) => {
        scopes.push(...(Array.isArray(s) ? s : [s]));
        return { token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    },
  );
  await api.listSavedSearches();
  await api.listAlertRules();
  expect([...new Set(scopes)]).toEqual([`${server.url}/.default`]);
  expect(scopes.length).toBeGreaterThanOrEqual(2);
});

test("progress is shown on a terminal only", async () => {
  const { memoryIo } = await import("../../scripts/cli/io");
  const { run: cli } = await import("../../scripts/cli");
  const { TEST_ENV } = await import("./helpers");
  const tty = memoryIo(repo.dir, TEST_ENV);
  tty.stderr.isTTY = true;
  expect(await cli(["deploy", "--target", "test"], tty)).toBe(0);
  expect(tty.err).toContain("\r\x1b[Kdeploy test ");
  expect(tty.out).not.toContain("\x1b[");
  const pipe = await run(["deploy", "--target", "test"]);
  expect(pipe.err).toBe("");
});
