// The plan: what the repository wants in a workspace against what the workspace holds.
// Per rule: create, update (with a field diff), unchanged, drifted (edited in the workspace
// since our last deploy, or never deployed by us and different), and delete (ours, no longer
// wanted). Reading the plan never writes anything.

import { findRuleFiles, loadRuleFile, rangeOf, RuleKind, ruleKind } from "../rules/load";
import type { WorkspaceApi } from "./arm";
import {
  analyticsContentOf,
  ConversionError,
  contentHash,
  fieldPath,
  DesiredItem,
  desiredItem,
  huntingContentOf,
  isOurMetadata,
  isOurSavedSearch,
  Json,
  JsonObject,
  metadataBody,
  metadataHash,
  metadataUpToDate,
  RemoteAlertRule,
  RemoteMetadata,
  RemoteSavedSearch,
  resourceId,
  savedSearchTagsUpToDate,
  TAG,
  tagValue,
} from "./convert";
import { applyOverrides, Target, targetIncludes } from "./targets";

export type PlanAction = "create" | "update" | "unchanged" | "drifted" | "delete" | "error";

export interface FieldChange {
  field: string;
  /** The value in the workspace (absent for a field the workspace lacks). */
  workspace?: Json;
  /** The value the repository wants. */
  repository?: Json;
}

export interface PlanEntry {
  action: PlanAction;
  kind: RuleKind;
  ruleId?: string;
  name?: string;
  path?: string;
  resourceName?: string;
  /** Why: for drifted, delete and error. */
  reason?: string;
  changes?: FieldChange[];
  /** Unchanged content whose tags or metadata deploy will (re)write (adoption, repair). */
  bookkeeping?: boolean;
  desired?: DesiredItem;
  /** The resource's etag when read: writes carry it, so an edit made since fails, not vanishes. */
  etag?: string;
  /** For deletes: the metadata to remove with (or without) the resource. */
  metadataName?: string;
}

export interface DesiredSet {
  items: DesiredItem[];
  /** Rule files that cannot deploy (load errors, missing id…): error outcomes. */
  errors: PlanEntry[];
}

/** Loads the rules under `paths` that the target deploys and turns them into items. */
export function desiredForTarget(target: Target, paths: string[], cwd: string): DesiredSet {
  const items: DesiredItem[] = [];
  const errors: PlanEntry[] = [];
  const byResource = new Map<string, DesiredItem>();
  for (const abs of findRuleFiles(paths, cwd)) {
    const { rule, findings } = loadRuleFile(abs, cwd);
    const rel = rule?.file.path ?? findings[0]?.file ?? abs;
    if (!targetIncludes(target, rel)) continue;
    const bad = findings.find((f) => f.severity === "error");
    if (!rule || bad) {
      const f = bad ?? findings[0];
      errors.push({
        action: "error",
        kind: rule?.kind ?? ruleKind(rel, {}),
        path: rel,
        reason: f ? `${f.file}:${f.line}:${f.column}: ${f.message}` : "cannot load the rule",
      });
      continue;
    }
    const data = applyOverrides(target, rule.data, rule.id, rel);
    try {
      const item = desiredItem({ kind: rule.kind, data, path: rel });
      const key = `${item.kind}/${item.resourceName.toLowerCase()}`;
      const first = byResource.get(key);
      if (first) {
        throw new ConversionError(
          `the id ${item.ruleId} is also used by ${first.path}; ids must be unique`,
          "id",
        );
      }
      byResource.set(key, item);
      items.push(item);
    } catch (err) {
      if (!(err instanceof ConversionError)) throw err;
      // Point at the value when the rule has it, else at the top of the file.
      const at = err.field ? rangeOf(rule, fieldPath(err.field)) : { line: 1, column: 1 };
      errors.push({
        action: "error",
        kind: rule.kind,
        ruleId: rule.id,
        name: rule.name,
        path: rel,
        reason: `${rel}:${at.line}:${at.column}: ${err.message}`,
      });
    }
  }
  return { items, errors };
}

export interface WorkspaceState {
  savedSearches: Map<string, RemoteSavedSearch>;
  alertRules: Map<string, RemoteAlertRule>;
  metadata: Map<string, RemoteMetadata>;
}

const key = (name: string | undefined) => (name ?? "").toLowerCase();

/** Reads everything plan needs, in parallel (three list calls, alert rules and metadata paged). */
export async function readState(api: WorkspaceApi): Promise<WorkspaceState> {
  // allSettled: a failed list must not leave the other two running after we report it.
  const settled = await Promise.allSettled([
    api.listSavedSearches(),
    api.listAlertRules(),
    api.listMetadata(),
  ] as const);
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const [searches, rules, metadata] = settled.map(
    (s) => (s as PromiseFulfilledResult<unknown[]>).value,
  ) as [RemoteSavedSearch[], RemoteAlertRule[], RemoteMetadata[]];
  return {
    savedSearches: new Map(searches.map((s) => [key(s.name), s])),
    alertRules: new Map(rules.map((r) => [key(r.name), r])),
    metadata: new Map(metadata.map((m) => [key(m.name), m])),
  };
}

/** Top-level field differences, workspace → repository. */
export function diffContent(workspace: JsonObject, repository: JsonObject): FieldChange[] {
  const fields = [...new Set([...Object.keys(workspace), ...Object.keys(repository)])].sort();
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const a = workspace[field];
    const b = repository[field];
    if (JSON.stringify(a) !== JSON.stringify(b))
      changes.push({ field, workspace: a, repository: b });
  }
  return changes;
}

export interface PlanOptions {
  repository: string;
}

/** Compares the desired items with the workspace. Pure: no I/O. */
export function computePlan(
  target: Target,
  desired: DesiredSet,
  state: WorkspaceState,
  options: PlanOptions,
): PlanEntry[] {
  const { repository } = options;
  const entries: PlanEntry[] = [...desired.errors];
  const wanted = new Set<string>();
  for (const item of desired.items) {
    wanted.add(`${item.kind}/${key(item.resourceName)}`);
    const base: PlanEntry = {
      action: "create",
      kind: item.kind,
      ruleId: item.ruleId,
      name: item.name,
      path: item.path,
      resourceName: item.resourceName,
      desired: item,
    };
    const meta = state.metadata.get(key(item.metadataName));
    const metaOk = metadataUpToDate(meta, metadataBody(item, target, repository));
    let remoteContent: JsonObject;
    let managed: boolean;
    let storedHash: string | undefined;
    let bookkeepingOk: boolean;
    if (item.kind === "hunting") {
      const s = state.savedSearches.get(key(item.resourceName));
      if (!s) {
        entries.push(base);
        continue;
      }
      base.etag = s.etag;
      remoteContent = huntingContentOf(s);
      managed = isOurSavedSearch(s, repository);
      storedHash = managed ? tagValue(s, TAG.hash) : undefined;
      bookkeepingOk = metaOk && savedSearchTagsUpToDate(s, item, repository);
    } else {
      const r = state.alertRules.get(key(item.resourceName));
      if (!r) {
        entries.push(base);
        continue;
      }
      base.etag = r.etag;
      remoteContent = analyticsContentOf(r);
      managed = meta !== undefined && isOurMetadata(meta, repository);
      storedHash = managed ? metadataHash(meta) : undefined;
      bookkeepingOk = metaOk;
    }
    const changes = diffContent(remoteContent, item.content);
    if (!changes.length) {
      entries.push({ ...base, action: "unchanged", bookkeeping: !bookkeepingOk || undefined });
    } else if (!managed) {
      entries.push({
        ...base,
        action: "drifted",
        changes,
        reason: "exists in the workspace but was not deployed from this repository, and differs",
      });
    } else if (storedHash !== contentHash(remoteContent)) {
      entries.push({
        ...base,
        action: "drifted",
        changes,
        reason: "changed in the workspace since the last deploy",
      });
    } else {
      entries.push({ ...base, action: "update", changes });
    }
  }

  // Deletes: only items that carry our marker for this repository.
  const ourByParent = new Map<string, RemoteMetadata>();
  for (const m of state.metadata.values()) {
    if (isOurMetadata(m, repository) && m.parentId) ourByParent.set(key(m.parentId), m);
  }
  for (const s of state.savedSearches.values()) {
    if (!isOurSavedSearch(s, repository) || wanted.has(`hunting/${key(s.name)}`)) continue;
    entries.push({
      action: "delete",
      kind: "hunting",
      ruleId: tagValue(s, TAG.ruleId),
      name: s.displayName,
      path: tagValue(s, TAG.path),
      resourceName: s.name,
      metadataName: ourByParent.get(key(resourceId(target, "hunting", s.name ?? "")))?.name,
      reason: "no longer in the repository for this target",
    });
  }
  const covered = new Set(
    entries.filter((e) => e.action === "delete").map((e) => key(e.metadataName)),
  );
  for (const m of state.metadata.values()) {
    if (!isOurMetadata(m, repository) || covered.has(key(m.name))) continue;
    const kind: RuleKind = m.kind === "HuntingQuery" ? "hunting" : "analytics";
    const parentName = (m.parentId ?? "").split("/").pop() ?? "";
    if (wanted.has(`${kind}/${key(parentName)}`)) continue;
    // Metadata pointing into another workspace is not this target's business.
    if (key(m.parentId) !== key(resourceId(target, kind, parentName))) continue;
    // Our metadata marks an alert rule as ours; a saved search must carry our own tags
    // (handled above), so here only its metadata goes.
    const rule = kind === "analytics" ? state.alertRules.get(key(parentName)) : undefined;
    entries.push({
      action: "delete",
      kind,
      ruleId: m.contentId,
      name: typeof rule?.displayName === "string" ? rule.displayName : undefined,
      path: m.source?.sourceId,
      resourceName: rule ? parentName : undefined,
      metadataName: m.name,
      reason: rule
        ? "no longer in the repository for this target"
        : "metadata left over from an item that is gone",
    });
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Rendering

const ORDER: PlanAction[] = ["error", "drifted", "delete", "create", "update", "unchanged"];
const SYMBOL: Record<PlanAction, string> = {
  create: "+",
  update: "~",
  unchanged: "=",
  drifted: "!",
  delete: "-",
  error: "x",
};

export function sortEntries(entries: PlanEntry[]): PlanEntry[] {
  return [...entries].sort(
    (a, b) =>
      ORDER.indexOf(a.action) - ORDER.indexOf(b.action) ||
      (a.path ?? a.resourceName ?? "").localeCompare(b.path ?? b.resourceName ?? ""),
  );
}

export function countActions(entries: PlanEntry[]): Record<PlanAction, number> {
  const counts: Record<PlanAction, number> = {
    create: 0,
    update: 0,
    unchanged: 0,
    drifted: 0,
    delete: 0,
    error: 0,
  };
  for (const e of entries) counts[e.action]++;
  return counts;
}

function short(value: Json | undefined): string {
  if (value === undefined) return "(none)";
  if (typeof value === "string") {
    if (value.includes("\n") || value.length > 60) {
      return `${value.split("\n").length} line(s), ${value.length} chars`;
    }
    return JSON.stringify(value);
  }
  const s = JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

export function describeChange(c: FieldChange): string {
  if (typeof c.workspace === "string" && typeof c.repository === "string") {
    const multi = c.workspace.includes("\n") || c.repository.includes("\n");
    if (multi || c.workspace.length > 60 || c.repository.length > 60) {
      const a = c.workspace.replace(/\n$/, "").split("\n");
      const b = c.repository.replace(/\n$/, "").split("\n");
      let first = 0;
      while (first < a.length && first < b.length && a[first] === b[first]) first++;
      return `${c.field}: changed from line ${first + 1} (${a.length} → ${b.length} lines)`;
    }
  }
  return `${c.field}: ${short(c.workspace)} → ${short(c.repository)}`;
}

export function renderPlanText(target: Target, entries: PlanEntry[]): string {
  const lines: string[] = [
    `Plan for ${target.name}: workspace ${target.workspace} (resource group ${target.resourceGroup})`,
  ];
  const sorted = sortEntries(entries);
  const kindWidth = 9;
  for (const e of sorted) {
    const label = `${SYMBOL[e.action]} ${e.action.padEnd(9)} ${e.kind.padEnd(kindWidth)} ${e.ruleId ?? e.resourceName ?? "-"}`;
    const where = e.path ? `  ${e.path}` : "";
    lines.push(`  ${label}${e.name ? `  ${e.name}` : ""}${where}`);
    if (e.reason) lines.push(`        ${e.reason}`);
    if (e.bookkeeping)
      lines.push("        content matches; deploy records sentinel-dac tags/metadata");
    if (e.action !== "unchanged") {
      for (const c of e.changes ?? []) lines.push(`        ${describeChange(c)}`);
    }
  }
  lines.push(summaryLine(countActions(entries)));
  return `${lines.join("\n")}\n`;
}

export function summaryLine(c: Record<PlanAction, number>): string {
  return (
    `Plan: ${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ` +
    `${c.drifted} drifted, ${c.delete} to delete` +
    (c.error ? `, ${c.error} with errors` : "") +
    "."
  );
}

export function planJson(target: Target, entries: PlanEntry[]) {
  return {
    target: target.name,
    workspace: {
      subscriptionId: target.subscriptionId,
      resourceGroup: target.resourceGroup,
      workspace: target.workspace,
    },
    summary: countActions(entries),
    entries: sortEntries(entries).map((e) => ({
      action: e.action,
      kind: e.kind,
      ruleId: e.ruleId,
      name: e.name,
      path: e.path,
      resourceName: e.resourceName,
      reason: e.reason,
      bookkeeping: e.bookkeeping,
      changes: e.changes,
    })),
  };
}
