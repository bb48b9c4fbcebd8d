// Real-world input: the community rules (../shared, skipped when absent) deployed to the fake
// workspace, deployed again (nothing written), and pulled back (plan: unchanged).

import * as fs from "node:fs";
import * as path from "node:path";
import { ArmServer, startArmServer } from "./arm-server";
import { dac, makeRepo, RG, SUB, TestRepo, TOKEN, WS } from "./helpers";

const shared = path.resolve(__dirname, "../../../shared/community-rules");
const d = fs.existsSync(shared) ? describe : describe.skip;

d("community rules", () => {
  let server: ArmServer;
  let repo: TestRepo;
  const rules: Record<string, string> = {};

  beforeAll(async () => {
    for (const kind of ["hunting", "analytics"]) {
      for (const f of fs.readdirSync(path.join(shared, kind))) {
        if (f.endsWith(".yaml"))
          rules[`detections/${kind}/${f}`] = fs.readFileSync(path.join(shared, kind, f), "utf8");
      }
    }
    server = await startArmServer({
      subscriptionId: SUB,
      resourceGroup: RG,
      workspace: WS,
      token: TOKEN,
      pageSize: 50,
    });
    repo = makeRepo(server, rules);
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(repo.dir, { recursive: true, force: true });
  });

  test("every rule deploys or fails with a reason; a second run writes nothing", async () => {
    const first = await dac(repo, [
      "deploy",
      "--target",
      "test",
      "--format",
      "json",
      "--concurrency",
      "8",
    ]);
    const json = JSON.parse(first.out) as {
      summary: Record<string, number>;
      results: { outcome: string; path: string; message?: string }[];
    };
    expect(json.results).toHaveLength(Object.keys(rules).length);
    for (const r of json.results) {
      expect(["created", "failed"]).toContain(r.outcome);
      if (r.outcome === "failed") expect(r.message).toMatch(/\S/);
    }
    // Most community rules are deployable; the rest lack an id, do not parse, or repeat an id.
    expect(json.summary.created).toBeGreaterThan(60);
    expect(first.code).toBe(json.summary.failed ? 1 : 0);
    const created = json.summary.created;
    expect(server.resources("savedSearches").length + server.resources("alertRules").length).toBe(
      created,
    );
    expect(server.resources("metadata")).toHaveLength(created);

    server.reset();
    const second = await dac(repo, ["deploy", "--target", "test", "--format", "json"]);
    expect(JSON.parse(second.out).summary).toMatchObject({
      unchanged: created,
      failed: json.summary.failed,
    });
    expect(server.writes()).toEqual([]);
  });

  test("pulling the workspace into an empty repository round-trips to unchanged", async () => {
    const empty = makeRepo(server, {});
    try {
      const pull = await dac(empty, ["pull", "--target", "test"]);
      expect(pull.code).toBe(0);
      const plan = await dac(empty, ["plan", "--target", "test", "--format", "json"]);
      const json = JSON.parse(plan.out);
      const notUnchanged = json.entries.filter((e: { action: string }) => e.action !== "unchanged");
      expect(notUnchanged).toEqual([]);
      expect(json.summary.unchanged).toBe(
        server.resources("savedSearches").length + server.resources("alertRules").length,
      );
    } finally {
      fs.rmSync(empty.dir, { recursive: true, force: true });
    }
  });
});
