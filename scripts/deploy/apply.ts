// Applies a plan: creates and updates (drifted items only with force, deletes only with
// prune), with bounded concurrency. One item's failure never stops the others; every item
// ends with an outcome for the summary table. Writes are ordered resource first, metadata
// second, so a run cut short leaves a state the next plan recognises and finishes.

import { describeArmError, WorkspaceApi } from "./arm";
import { DesiredItem, metadataBody, savedSearchBody } from "./convert";
import type { PlanEntry } from "./plan";
import type { Target } from "./targets";

export type Outcome =
  "created" | "updated" | "unchanged" | "drifted" | "deleted" | "kept" | "failed";

export interface ItemResult {
  entry: PlanEntry;
  outcome: Outcome;
  message?: string;
}

export interface ApplyOptions {
  repository: string;
  force: boolean;
  prune: boolean;
  concurrency: number;
  redact: (text: string) => string;
  /** Called after each item (progress display). */
  onDone?: (done: number, result: ItemResult) => void;
}

/** Runs `work` over `items` with at most `limit` in flight, keeping results in input order. */
export async function mapBounded<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

async function writeItem(
  api: WorkspaceApi,
  target: Target,
  item: DesiredItem,
  repository: string,
  etag: string | undefined,
): Promise<void> {
  if (item.kind === "hunting") {
    await api.putSavedSearch(item.resourceName, savedSearchBody(item, repository), etag);
  } else {
    await api.putAlertRule(item.resourceName, item.content, etag);
  }
  await api.putMetadata(item.metadataName, metadataBody(item, target, repository));
}

export async function applyPlan(
  api: WorkspaceApi,
  target: Target,
  entries: PlanEntry[],
  options: ApplyOptions,
): Promise<ItemResult[]> {
  const loadErrors = entries.filter((e) => e.action === "error").length;
  let done = 0;
  return mapBounded(entries, options.concurrency, async (entry) => {
    const result = await applyEntry(api, target, entry, options, loadErrors);
    options.onDone?.(++done, result);
    return result;
  });
}

async function applyEntry(
  api: WorkspaceApi,
  target: Target,
  entry: PlanEntry,
  options: ApplyOptions,
  loadErrors: number,
): Promise<ItemResult> {
  const { repository } = options;
  try {
    switch (entry.action) {
      case "error":
        return { entry, outcome: "failed", message: entry.reason };
      case "create":
        await writeItem(api, target, entry.desired!, repository, undefined);
        return { entry, outcome: "created" };
      case "update":
        await writeItem(api, target, entry.desired!, repository, entry.etag);
        return { entry, outcome: "updated" };
      case "drifted":
        if (!options.force) {
          return {
            entry,
            outcome: "drifted",
            message: `${entry.reason}; not overwritten (review with plan, then deploy --force)`,
          };
        }
        await writeItem(api, target, entry.desired!, repository, entry.etag);
        return {
          entry,
          outcome: "updated",
          message: "overwrote the changes made in the workspace (--force)",
        };
      case "unchanged":
        if (!entry.bookkeeping) return { entry, outcome: "unchanged" };
        await writeItem(api, target, entry.desired!, repository, entry.etag);
        return {
          entry,
          outcome: "updated",
          message: "content unchanged; recorded sentinel-dac tags/metadata",
        };
      case "delete":
        if (!options.prune)
          return { entry, outcome: "kept", message: "not in the repository; --prune deletes it" };
        if (loadErrors) {
          return {
            entry,
            outcome: "kept",
            message: `not pruned: ${loadErrors} rule file(s) could not be read, so what is wanted is unknown`,
          };
        }
        if (entry.resourceName) {
          if (entry.kind === "hunting") await api.deleteSavedSearch(entry.resourceName);
          else await api.deleteAlertRule(entry.resourceName);
        }
        if (entry.metadataName) await api.deleteMetadata(entry.metadataName);
        return { entry, outcome: "deleted" };
    }
  } catch (err) {
    return { entry, outcome: "failed", message: describeArmError(err, options.redact) };
  }
}

const OUTCOME_ORDER: Outcome[] = [
  "failed",
  "drifted",
  "deleted",
  "created",
  "updated",
  "kept",
  "unchanged",
];

export function countOutcomes(results: ItemResult[]): Record<Outcome, number> {
  const c = Object.fromEntries(OUTCOME_ORDER.map((o) => [o, 0])) as Record<Outcome, number>;
  for (const r of results) c[r.outcome]++;
  return c;
}

/** The summary table: every item's outcome, failures first. */
export function renderResults(target: Target, results: ItemResult[], dryRun = false): string {
  const sorted = [...results].sort(
    (a, b) =>
      OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome) ||
      (a.entry.path ?? "").localeCompare(b.entry.path ?? ""),
  );
  const rows = sorted.map((r) => [
    r.outcome,
    r.entry.kind,
    r.entry.ruleId ?? r.entry.resourceName ?? "-",
    `${r.entry.name ?? r.entry.path ?? ""}${r.message ? ` — ${r.message}` : ""}`,
  ]);
  const header = ["RESULT", "KIND", "RULE", "NAME"];
  const widths = [0, 1, 2].map((i) => Math.max(header[i].length, ...rows.map((r) => r[i].length)));
  const line = (cols: string[]) =>
    cols
      .map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c))
      .join("  ")
      .trimEnd();
  const c = countOutcomes(results);
  const parts = OUTCOME_ORDER.filter((o) => c[o] > 0).map((o) => `${c[o]} ${o}`);
  return [
    `Deploy to ${target.name} (${target.workspace})${dryRun ? " — dry run" : ""}:`,
    line(header),
    ...rows.map(line),
    `${target.name}: ${parts.join(", ") || "nothing to do"}.`,
    "",
  ].join("\n");
}
