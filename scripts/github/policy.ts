// The security properties every workflow of this repository must keep, checked by
// test/github/workflows.test.ts (and usable on any workflow text):
//
// - never `pull_request_target`: it runs with the base repository's secrets and a write
//   token, and checking out the pull request's code there hands both to a fork;
// - `permissions:` declared at every job (least privilege, not the repository default), and
//   never `write-all`; nothing but `{}` or read scopes at the workflow level;
// - `id-token: write` only in jobs that log in to Azure (azure/login), never in a workflow a
//   pull request triggers;
// - `security-events: write` only in a job that uploads SARIF and runs no shell steps (so no
//   pull-request code ever holds it);
// - every `uses:` pinned to a full 40-hex commit SHA with the release in a comment
//   (`@<sha> # v4.2.2`): tags and branches can be moved to other code, a SHA cannot.

import YAML, { isMap, isScalar, isSeq, LineCounter, Node, Pair, Scalar } from "yaml";

export interface PolicyProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

const SHA_PIN = /^[^@\s]+@[0-9a-f]{40}$/;
const VERSION_COMMENT = /#\s*v?\d+(\.\d+)*\b/;

type Permissions = Record<string, string> | string | undefined;

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? (node as Scalar).value : undefined;
}

function pairOf(map: unknown, key: string): Pair | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

/** The events a workflow's `on:` names, with the node of each. */
function events(on: unknown): { name: string; node: Node }[] {
  if (isScalar(on)) return [{ name: String(on.value), node: on as Node }];
  if (isSeq(on)) {
    return on.items.filter(isScalar).map((s) => ({ name: String(s.value), node: s as Node }));
  }
  if (isMap(on)) {
    return on.items
      .filter((p) => isScalar(p.key))
      .map((p) => ({ name: String((p.key as Scalar).value), node: p.key as Node }));
  }
  return [];
}

function writes(perms: Permissions): string[] {
  if (perms === "write-all") return ["write-all"];
  if (!perms || typeof perms !== "object") return [];
  return Object.entries(perms)
    .filter(([, level]) => level === "write")
    .map(([scope]) => scope);
}

/** Every policy problem of one workflow's text; YAML errors are left to lint-workflows. */
export function workflowPolicy(text: string, file: string): PolicyProblem[] {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, keepSourceTokens: false });
  const problems: PolicyProblem[] = [];
  const at = (node: Node | null | undefined, message: string) => {
    const p = lineCounter.linePos(node?.range?.[0] ?? 0);
    problems.push({ file, line: p.line, column: p.col, message });
  };
  if (doc.errors.length || !isMap(doc.contents)) return problems;
  const root = doc.contents;
  const lines = text.split(/\r?\n/);

  const onPair = pairOf(root, "on");
  const triggers = events(onPair?.value);
  const byPullRequest = triggers.some((t) => t.name === "pull_request");
  for (const t of triggers) {
    if (t.name === "pull_request_target") {
      at(
        t.node,
        "pull_request_target runs fork code with secrets and a write token: use pull_request",
      );
    }
  }

  const workflowPerms = pairOf(root, "permissions");
  const wfPerms = workflowPerms?.value
    ? ((workflowPerms.value as Node).toJSON() as Permissions)
    : undefined;
  for (const scope of writes(wfPerms)) {
    at(
      workflowPerms?.key as Node,
      `the workflow grants '${scope}: write' to every job; grant it in the job that needs it`,
    );
  }

  const jobs = pairOf(root, "jobs")?.value;
  if (!isMap(jobs)) return problems;
  for (const jobPair of jobs.items) {
    const name = String(scalarValue(jobPair.key));
    const job = jobPair.value;
    if (!isMap(job)) continue;
    const permsPair = pairOf(job, "permissions");
    const perms = permsPair?.value
      ? ((permsPair.value as Node).toJSON() as Permissions)
      : undefined;
    if (!permsPair) {
      at(jobPair.key as Node, `job '${name}' declares no permissions: give it only what it needs`);
    }
    const granted = writes(perms);
    if (granted.includes("write-all")) {
      at(permsPair?.value as Node, `job '${name}' has write-all permissions`);
    }

    const steps = pairOf(job, "steps")?.value;
    const stepMaps = isSeq(steps) ? steps.items.filter(isMap) : [];
    const uses = stepMaps
      .map((s) => pairOf(s, "uses")?.value)
      .filter((u): u is Scalar => isScalar(u));
    const jobUses = pairOf(job, "uses")?.value;
    if (isScalar(jobUses)) uses.push(jobUses);
    const runsShell = stepMaps.some((s) => pairOf(s, "run"));

    if (granted.includes("id-token")) {
      const logsIn = uses.some((u) => /^azure\/login@/i.test(String(u.value)));
      if (byPullRequest) {
        at(
          permsPair?.value as Node,
          `job '${name}' gets id-token: write in a workflow pull requests run`,
        );
      } else if (!logsIn) {
        at(
          permsPair?.value as Node,
          `job '${name}' gets id-token: write but does not log in to Azure`,
        );
      }
    }
    if (granted.includes("security-events")) {
      const uploads = uses.some((u) =>
        /^github\/codeql-action\/upload-sarif@/i.test(String(u.value)),
      );
      if (!uploads || runsShell) {
        at(
          permsPair?.value as Node,
          `job '${name}' gets security-events: write but ${uploads ? "also runs shell steps" : "uploads no SARIF"}`,
        );
      }
    }

    for (const u of uses) {
      const ref = String(u.value).trim();
      if (ref.startsWith("./")) continue; // an action in this repository, at this commit
      if (ref.startsWith("docker://")) {
        if (!/@sha256:[0-9a-f]{64}$/.test(ref)) at(u, `${ref} is not pinned to an image digest`);
        continue;
      }
      if (!SHA_PIN.test(ref)) {
        at(u, `${ref} is not pinned to a full commit SHA (owner/repo@<40 hex> # vX.Y.Z)`);
        continue;
      }
      const line = lines[lineCounter.linePos(u.range?.[0] ?? 0).line - 1] ?? "";
      if (!VERSION_COMMENT.test(line.slice(line.indexOf(ref) + ref.length))) {
        at(u, `${ref} has no '# vX.Y.Z' comment saying which release the SHA is`);
      }
    }
  }
  return problems;
}
