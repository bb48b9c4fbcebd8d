// Schema loading, the analysis cache and the worker pool.

import * as fs from "node:fs";
import * as path from "node:path";
import { tempRepo, huntingRule } from "../helpers/repo";
import {
  loadFunctionSchemas,
  loadSchemaSet,
  loadTableSchemas,
  loadWatchlistSchemas,
  SchemaError,
} from "../../scripts/kql/analysis/schemas";
import { analyseQueries } from "../../scripts/kql/analysis";
import { kql, lintRepo, NO_TESTS } from "./helpers";

const QUERIES = [
  "SecurityEvent | where TimeGenerated > ago(1d) | where EventID == '4688'",
  "DeviceProcessEvents | where Timestamp > ago(1d) | project DeviceName, Nope",
  "SigninLogs | summarize count() by UserPrincipalName",
  "let x = 1d; AuditLogs | where TimeGenerated > ago(x) | extend n = strlen(OperationName)",
];

describe("schemas", () => {
  it("loads the shipped tables and functions, plus the repository's, its own winning", () => {
    const dir = tempRepo({
      "schemas/tables/MyApp_CL.json": JSON.stringify({
        Name: "MyApp_CL",
        Properties: [{ Name: "Msg_s", Type: "string" }],
      }),
      "schemas/tables/Heartbeat.json": JSON.stringify({
        Name: "Heartbeat",
        Properties: [{ Name: "Only", Type: "string" }],
      }),
      "schemas/watchlists/VIPs.json": JSON.stringify({
        Name: "VIPs",
        Properties: [{ Name: "UPN", Type: "string" }],
      }),
    });
    const tables = loadTableSchemas(dir);
    expect(tables.find((t) => t.Name === "MyApp_CL")?.Properties).toEqual([
      { Name: "Msg_s", Type: "string" },
    ]);
    expect(tables.find((t) => t.Name === "Heartbeat")?.Properties).toEqual([
      { Name: "Only", Type: "string" },
    ]);
    expect(tables.find((t) => t.Name === "SecurityEvent")?.Properties.length).toBeGreaterThan(100);
    expect(loadFunctionSchemas(dir).map((f) => f.Name)).toContain("_GetWatchlist");
    expect(loadWatchlistSchemas(dir).map((w) => w.Name)).toEqual(["VIPs"]);
  });

  it("throws a SchemaError naming file, line and column for a bad file", () => {
    const dir = tempRepo({
      "schemas/tables/Bad_CL.json": '{\n  "Name": "Bad_CL",\n  "Properties": [\n',
    });
    expect(() => loadTableSchemas(dir)).toThrow(SchemaError);
    expect(() => loadTableSchemas(dir)).toThrow(
      /schemas\/tables\/Bad_CL\.json:\d+:\d+: not valid JSON/,
    );
    const named = tempRepo({
      "schemas/tables/Other.json": JSON.stringify({ Name: "NotOther", Properties: [] }),
    });
    expect(() => loadTableSchemas(named)).toThrow(
      /"Name" is 'NotOther' but the file is named Other\.json/,
    );
  });

  it("changes the fingerprint when any schema changes", () => {
    const dir = tempRepo();
    const before = loadSchemaSet(dir).fingerprint;
    fs.mkdirSync(path.join(dir, "schemas/watchlists"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "schemas/watchlists/VIPs.json"),
      JSON.stringify({ Name: "VIPs", Properties: [{ Name: "UPN", Type: "string" }] }),
    );
    expect(loadSchemaSet(dir).fingerprint).not.toBe(before);
  });
});

describe("analysis cache", () => {
  it("stores facts by query and schema, and reuses them", async () => {
    const dir = tempRepo();
    const first = await analyseQueries(QUERIES, dir, { workers: 0 });
    expect(first.stats).toMatchObject({ queries: 4, cached: 0, analysed: 4 });
    const cacheDir = path.join(dir, ".cache/sentinel-dac/kql");
    expect(fs.readdirSync(cacheDir).length).toBeGreaterThan(0);

    const second = await analyseQueries(QUERIES, dir, { workers: 0 });
    expect(second.stats).toMatchObject({ cached: 4, analysed: 0 });
    expect([...second.facts]).toEqual([...first.facts]);

    // A new table schema invalidates every entry.
    fs.mkdirSync(path.join(dir, "schemas/tables"), { recursive: true });
    fs.writeFileSync(
      path.join(dir, "schemas/tables/MyApp_CL.json"),
      JSON.stringify({ Name: "MyApp_CL", Properties: [{ Name: "A", Type: "string" }] }),
    );
    const third = await analyseQueries(QUERIES, dir, { workers: 0 });
    expect(third.stats).toMatchObject({ cached: 0, analysed: 4 });
  });

  it("treats a corrupt cache entry as a miss", async () => {
    const dir = tempRepo();
    await analyseQueries(QUERIES.slice(0, 1), dir, { workers: 0 });
    const cacheDir = path.join(dir, ".cache/sentinel-dac/kql");
    for (const sub of fs.readdirSync(cacheDir)) {
      for (const f of fs.readdirSync(path.join(cacheDir, sub))) {
        fs.writeFileSync(path.join(cacheDir, sub, f), "{not json");
      }
    }
    const again = await analyseQueries(QUERIES.slice(0, 1), dir, { workers: 0 });
    expect(again.stats).toMatchObject({ cached: 0, analysed: 1 });
  });
});

describe("worker threads", () => {
  it("give the same facts as in-process analysis (workers load TypeScript under jest)", async () => {
    const dir = tempRepo();
    const many = Array.from({ length: 40 }, (_, i) => `${QUERIES[i % 4]} | take ${i + 1}`);
    const inProcess = await analyseQueries(many, dir, { workers: 0, cache: false });
    const threaded = await analyseQueries(many, dir, { workers: 2, cache: false });
    expect(threaded.stats.workers).toBe(2);
    expect([...threaded.facts]).toEqual([...inProcess.facts]);
  });

  it("lint gives the same findings with `kql: {workers: 2}` in the config", async () => {
    const files: Record<string, string> = {};
    QUERIES.forEach((q, i) => {
      files[`detections/hunting/r${i}.yaml`] = huntingRule({
        id: `id: 1b2c3d4e-0000-4000-8000-00000000010${i}`,
        name: `name: rule ${i}`,
        query: `query: |\n  ${q}`,
      });
    });
    const serial = await lintRepo(files, `${NO_TESTS}kql:\n  workers: 0\n  cache: false\n`);
    const threaded = await lintRepo(files, `${NO_TESTS}kql:\n  workers: 2\n  cache: false\n`);
    expect(kql(serial.findings).length).toBeGreaterThan(3);
    expect(kql(threaded.findings)).toEqual(kql(serial.findings));
  });
});
