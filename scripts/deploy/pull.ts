// Workspace → rule files: turns saved hunting queries and Scheduled/NRT analytics rules into
// community-format YAML (field order as the community writes it, queries as block scalars),
// such that deploying the file again changes nothing.

import YAML, { isScalar } from "yaml";
import {
  communityOperator,
  HUNTING_CATEGORY,
  RemoteAlertRule,
  RemoteMetadata,
  RemoteSavedSearch,
  savedSearchId,
  shortDuration,
  TAG,
  tagValue,
} from "./convert";
import type { RuleKind } from "../rules/load";

/** The community's field order; fields not listed keep their place after these. */
export const COMMUNITY_ORDER = [
  "id",
  "name",
  "description",
  "severity",
  "status",
  "requiredDataConnectors",
  "queryFrequency",
  "queryPeriod",
  "triggerOperator",
  "triggerThreshold",
  "tactics",
  "relevantTechniques",
  "query",
  "entityMappings",
  "customDetails",
  "alertDetailsOverride",
  "incidentConfiguration",
  "eventGroupingSettings",
  "suppressionDuration",
  "suppressionEnabled",
  "version",
  "kind",
];

export interface PulledRule {
  kind: RuleKind;
  id: string;
  name: string;
  data: Record<string, unknown>;
  /** Why the pulled file may not deploy back onto the same resource, when it may not. */
  warning?: string;
}

function splitList(value: string | undefined): string[] | undefined {
  const items = (value ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
  return items.length ? items : undefined;
}

/** The metadata's version when it is X.Y.Z, else 1.0.0 (what deploy records by default). */
function version(meta: RemoteMetadata | undefined): string {
  return meta?.version && /^\d+\.\d+\.\d+$/.test(meta.version) ? meta.version : "1.0.0";
}

/** A saved search in the Hunting Queries category as a hunting rule; undefined for others. */
export function pullSavedSearch(
  s: RemoteSavedSearch,
  meta: RemoteMetadata | undefined,
): PulledRule | string {
  if ((s.category ?? "").toLowerCase() !== HUNTING_CATEGORY.toLowerCase()) {
    return `saved search '${s.displayName ?? s.name}' is in category '${s.category}', not ${HUNTING_CATEGORY}`;
  }
  if (s.functionAlias) {
    return `saved search '${s.displayName ?? s.name}' is a function (${s.functionAlias}), not a hunting query`;
  }
  const name = s.name ?? "";
  const id = tagValue(s, TAG.ruleId) ?? name;
  const data: Record<string, unknown> = {
    id,
    name: s.displayName ?? name,
    description: tagValue(s, "description") ?? "",
    requiredDataConnectors: [],
    tactics: splitList(tagValue(s, "tactics")),
    relevantTechniques: splitList(tagValue(s, "techniques")),
    query: s.query ?? "",
    version: version(meta),
  };
  const warning =
    savedSearchId(id).toLowerCase() !== name.toLowerCase()
      ? `its saved search name '${name}' cannot be a rule id; deploying will create a new saved search`
      : undefined;
  return { kind: "hunting", id, name: String(data.name), data: compact(data), warning };
}

export function pullAlertRule(
  r: RemoteAlertRule,
  meta: RemoteMetadata | undefined,
): PulledRule | string {
  const kind = r.kind ?? "";
  const display = typeof r.displayName === "string" ? r.displayName : (r.name ?? "");
  if (kind !== "Scheduled" && kind !== "NRT") {
    return `alert rule '${display}' is a ${kind || "rule of unknown kind"} rule; only Scheduled and NRT rules are pulled`;
  }
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const nrt = kind === "NRT";
  const incident = r.incidentConfiguration as
    { createIncident?: boolean; groupingConfiguration?: Record<string, unknown> } | undefined;
  const grouping = incident?.groupingConfiguration;
  const suppressionDuration = str(r.suppressionDuration);
  const data: Record<string, unknown> = {
    id: r.name,
    name: display,
    description: str(r.description) ?? "",
    severity: r.severity,
    status: r.enabled === false ? "Disabled" : undefined,
    requiredDataConnectors: [],
    queryFrequency: nrt ? undefined : shortDuration(String(r.queryFrequency ?? "")),
    queryPeriod: nrt ? undefined : shortDuration(String(r.queryPeriod ?? "")),
    // The community schema asks for a trigger on NRT rules too; deploy ignores it there.
    triggerOperator: nrt ? "gt" : communityOperator(String(r.triggerOperator ?? "GreaterThan")),
    triggerThreshold: nrt ? 0 : (r.triggerThreshold ?? 0),
    tactics: r.tactics,
    relevantTechniques: r.techniques,
    query: str(r.query) ?? "",
    entityMappings: r.entityMappings,
    customDetails: r.customDetails,
    alertDetailsOverride: r.alertDetailsOverride,
    incidentConfiguration: incident
      ? {
          createIncident: incident.createIncident,
          groupingConfiguration: grouping
            ? {
                ...grouping,
                lookbackDuration:
                  typeof grouping.lookbackDuration === "string"
                    ? shortDuration(grouping.lookbackDuration)
                    : grouping.lookbackDuration,
              }
            : undefined,
        }
      : undefined,
    eventGroupingSettings: r.eventGroupingSettings,
    suppressionDuration:
      suppressionDuration &&
      (r.suppressionEnabled === true || shortDuration(suppressionDuration) !== "5h")
        ? shortDuration(suppressionDuration)
        : undefined,
    suppressionEnabled: r.suppressionEnabled === true ? true : undefined,
    version: version(meta),
    kind,
  };
  return { kind: "analytics", id: String(r.name), name: display, data: compact(data) };
}

/** Drops absent values (and empty lists/maps) everywhere, so the YAML has no `null`s. */
function compact(value: Record<string, unknown>): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (v === null || v === undefined) return undefined;
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) {
      const items = v.map(walk).filter((x) => x !== undefined);
      return items.length ? items : undefined;
    }
    if (typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const w = walk(x);
        if (w !== undefined) out[k] = w;
      }
      return out;
    }
    return v;
  };
  const out = walk(value) as Record<string, unknown>;
  // Keep an explicit empty requiredDataConnectors: the community format always has the key.
  if (Array.isArray(value.requiredDataConnectors)) out.requiredDataConnectors = [];
  return out;
}

/** The rule as YAML: community field order, multi-line text as literal block scalars. */
export function ruleYaml(data: Record<string, unknown>): string {
  const ordered: Record<string, unknown> = {};
  for (const key of COMMUNITY_ORDER) if (key in data) ordered[key] = data[key];
  for (const key of Object.keys(data)) if (!(key in ordered)) ordered[key] = data[key];
  const doc = new YAML.Document(ordered);
  for (const key of ["query", "description"]) {
    const node = doc.get(key, true);
    if (isScalar(node) && typeof node.value === "string") {
      if (key === "query" || node.value.includes("\n")) node.type = "BLOCK_LITERAL";
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** A file name for a rule: its display name in lower-case words joined by hyphens. */
export function slugFor(name: string, id: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/, "");
  return slug || id.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
