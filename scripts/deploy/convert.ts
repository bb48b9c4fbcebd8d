// Rule YAML ⇄ workspace resources. One rule becomes one saved search (hunting) or one alert
// rule (Scheduled/NRT analytics) plus a Sentinel metadata resource. The *content* of an item is
// the canonical form of the fields we manage; its hash is what we record on deploy (a tag on
// saved searches, `customVersion` of the metadata for alert rules), so a later plan can tell a
// portal edit (the body no longer matches the recorded hash) from a repository edit.

import { createHash } from "node:crypto";
import type { RuleKind } from "../rules/load";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/**
 * A rule that cannot be turned into a resource; the message says what to fix, `field` (as
 * `incidentConfiguration.groupingConfiguration.lookbackDuration` or `entityMappings[0]`) where.
 */
export class ConversionError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** `entityMappings[0].fieldMappings[1]` → ["entityMappings", 0, "fieldMappings", 1]. */
export function fieldPath(field: string): (string | number)[] {
  return field
    .split(/\.|(?=\[)/)
    .map((p) => (/^\[\d+\]$/.test(p) ? Number(p.slice(1, -1)) : p))
    .filter((p) => p !== "");
}

export const HUNTING_CATEGORY = "Hunting Queries";
export const TOOL_MARKER = "sentinel-dac";
/** Our bookkeeping tags on saved searches; everything else in `tags` is content. */
export const TAG = {
  ruleId: "sentinel-dac-ruleid",
  repository: "sentinel-dac-repository",
  path: "sentinel-dac-path",
  hash: "sentinel-dac-hash",
} as const;
/** The content tags Content Hub writes on hunting queries. */
const CONTENT_TAGS = new Set(["description", "tactics", "techniques"]);

export const SAVED_SEARCH_API_VERSION = "2025-07-01";
export const SECURITY_INSIGHTS_API_VERSION = "2022-09-01-preview";

/** The fields of an alert rule we manage and compare; anything else is the service's. */
export const ANALYTICS_FIELDS = [
  "kind",
  "displayName",
  "description",
  "severity",
  "enabled",
  "query",
  "queryFrequency",
  "queryPeriod",
  "triggerOperator",
  "triggerThreshold",
  "suppressionDuration",
  "suppressionEnabled",
  "tactics",
  "techniques",
  "entityMappings",
  "customDetails",
  "alertDetailsOverride",
  "incidentConfiguration",
  "eventGroupingSettings",
] as const;

export interface Workspace {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
}

export interface DesiredItem {
  kind: RuleKind;
  ruleId: string;
  name: string;
  /** Repository-relative path of the rule file. */
  path: string;
  /** The saved search id or the alert rule name. */
  resourceName: string;
  metadataName: string;
  /** Canonical managed fields (see canonical()). */
  content: JsonObject;
  hash: string;
  /** The rule's `version`, recorded in the metadata. */
  version: string;
}

// ---------------------------------------------------------------------------------------------
// Canonical form and hashing

/**
 * Drops absent and empty values and sorts object keys, so the same content always serialises
 * the same way whether it comes from a rule file or back from the service (which omits empty
 * lists and may reorder keys).
 */
export function canonical(value: unknown): Json | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map(canonical).filter((v): v is Json => v !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === "object") {
    const out: JsonObject = {};
    for (const key of Object.keys(value as object).sort()) {
      const v = canonical((value as Record<string, unknown>)[key]);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number" || typeof value === "boolean") return value;
  return String(value);
}

export function canonicalObject(value: unknown): JsonObject {
  const c = canonical(value);
  return c && typeof c === "object" && !Array.isArray(c) ? c : {};
}

export function contentHash(content: JsonObject): string {
  return createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 32);
}

// ---------------------------------------------------------------------------------------------
// Names and ids

/** The saved search id for a rule id: the id itself when it is a safe name, else a hash. */
export function savedSearchId(ruleId: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(ruleId)
    ? ruleId
    : `sdac-${createHash("sha256").update(ruleId).digest("hex").slice(0, 32)}`;
}

export function metadataName(kind: RuleKind, resourceName: string): string {
  return `${kind === "hunting" ? "huntingquery" : "analyticsrule"}-${resourceName}`;
}

export function workspaceId(w: Workspace): string {
  return `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${w.workspace}`;
}

export function resourceId(w: Workspace, kind: RuleKind, resourceName: string): string {
  return kind === "hunting"
    ? `${workspaceId(w)}/savedSearches/${resourceName}`
    : `${workspaceId(w)}/providers/Microsoft.SecurityInsights/alertRules/${resourceName}`;
}

// ---------------------------------------------------------------------------------------------
// Durations and community spellings

/** Whole minutes of a duration (`5m`, `1h`, `14d`, `PT1H30M`, `P1D`), or undefined. */
function durationMinutes(text: string): number | undefined {
  const short = /^\s*(\d+)\s*([mhd])\s*$/i.exec(text);
  if (short) {
    const n = Number(short[1]);
    return n * { m: 1, h: 60, d: 1440 }[short[2].toLowerCase() as "m" | "h" | "d"];
  }
  const iso = /^P(?=\d|T\d)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?)?$/i.exec(text.trim());
  if (iso) return Number(iso[1] ?? 0) * 1440 + Number(iso[2] ?? 0) * 60 + Number(iso[3] ?? 0);
  return undefined;
}

/** Minutes as ISO 8601 in the largest exact unit, so `24h`, `1d` and `PT24H` compare equal. */
function isoFromMinutes(min: number): string {
  if (min > 0 && min % 1440 === 0) return `P${min / 1440}D`;
  if (min > 0 && min % 60 === 0) return `PT${min / 60}H`;
  return `PT${min}M`;
}

/** `5m`, `1h`, `14d` (community) or ISO 8601 → ISO 8601 (`PT5M`, `PT1H`, `P14D`). */
export function isoDuration(value: unknown, field: string): string {
  const text = typeof value === "string" ? value : "";
  const min = durationMinutes(text);
  if (min !== undefined && min > 0) return isoFromMinutes(min);
  // Seconds are rare but valid ISO; pass them through as they are.
  if (/^PT?(\d+[DHMS])+$/i.test(text.trim()) && /S$/i.test(text.trim()))
    return text.trim().toUpperCase();
  throw new ConversionError(
    `${field} ${JSON.stringify(value)} is not a duration: write 5m, 1h, 14d (or ISO 8601 like PT5H)`,
    field,
  );
}

/** A duration from the service in our normal form (unknown forms unchanged). */
export function normalDuration(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const min = durationMinutes(value);
  return min !== undefined && min > 0 ? isoFromMinutes(min) : value;
}

/** ISO 8601 → the community's short form (`PT1H` → `1h`, `P1DT2H` → `26h`); else unchanged. */
export function shortDuration(iso: string): string {
  const min = durationMinutes(iso);
  if (min === undefined || min <= 0) return iso;
  if (min % 1440 === 0) return `${min / 1440}d`;
  if (min % 60 === 0) return `${min / 60}h`;
  return `${min}m`;
}

const OPERATORS: Record<string, string> = {
  gt: "GreaterThan",
  greaterthan: "GreaterThan",
  lt: "LessThan",
  lessthan: "LessThan",
  eq: "Equal",
  equal: "Equal",
  ne: "NotEqual",
  notequal: "NotEqual",
};
const COMMUNITY_OPERATORS: Record<string, string> = {
  GreaterThan: "gt",
  LessThan: "lt",
  Equal: "eq",
  NotEqual: "ne",
};

export function triggerOperator(value: unknown): string {
  const op = typeof value === "string" ? OPERATORS[value.trim().toLowerCase()] : undefined;
  if (!op) {
    throw new ConversionError(
      `triggerOperator ${JSON.stringify(value)} is not one of gt, lt, eq, ne (or GreaterThan, LessThan, Equal, NotEqual)`,
      "triggerOperator",
    );
  }
  return op;
}

export function communityOperator(apiValue: string): string {
  return COMMUNITY_OPERATORS[apiValue] ?? apiValue;
}

// ---------------------------------------------------------------------------------------------
// Rule → desired item

function str(data: Record<string, unknown>, key: string): string | undefined {
  const v = data[key];
  return typeof v === "string" && v.trim() !== "" ? v : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string").map((v) => v.trim())
    : [];
}

function required(data: Record<string, unknown>, key: string, what: string): string {
  const v = str(data, key);
  if (v === undefined) throw new ConversionError(`\`${key}\` is required: ${what}`, key);
  return v;
}

export interface RuleInput {
  kind: RuleKind;
  /** The rule's data after the target's overrides. */
  data: Record<string, unknown>;
  path: string;
}

/** Builds the item a rule deploys as. Throws ConversionError for a rule that cannot deploy. */
export function desiredItem(rule: RuleInput): DesiredItem {
  const data = rule.data;
  const ruleId = required(data, "id", "it names the deployed resource");
  const name = required(data, "name", "it is the display name");
  required(data, "query", "it is what runs");
  const content = rule.kind === "hunting" ? huntingContent(data) : analyticsContent(data);
  const resourceName = rule.kind === "hunting" ? savedSearchId(ruleId) : ruleId;
  const version =
    data.version === undefined || data.version === null ? "1.0.0" : String(data.version);
  return {
    kind: rule.kind,
    ruleId,
    name,
    path: rule.path,
    resourceName,
    metadataName: metadataName(rule.kind, resourceName),
    content,
    hash: contentHash(content),
    version,
  };
}

function huntingContent(data: Record<string, unknown>): JsonObject {
  const tags: { name: string; value: string }[] = [];
  const description = str(data, "description");
  if (description) tags.push({ name: "description", value: description });
  const tactics = commaList(strings(data.tactics).join(","));
  if (tactics) tags.push({ name: "tactics", value: tactics });
  const techniques = commaList(strings(data.relevantTechniques).join(","));
  if (techniques) tags.push({ name: "techniques", value: techniques });
  return canonicalObject({
    category: HUNTING_CATEGORY,
    displayName: data.name,
    query: data.query,
    version: 2,
    tags: sortTags(tags),
  });
}

/**
 * Tactics and techniques as Content Hub writes them in tags: comma-separated, no spaces. An
 * item that itself holds a comma (`Malware, component`) splits; the service could not keep it.
 */
export function commaList(value: string): string {
  return value
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean)
    .join(",");
}

function sortTags<T extends { name?: string }>(tags: T[]): T[] {
  return [...tags].sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

function record(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConversionError(`\`${field}\` must be a mapping`, field);
  }
  return value as Record<string, unknown>;
}

function analyticsContent(data: Record<string, unknown>): JsonObject {
  const nrt = typeof data.kind === "string" && data.kind.toUpperCase() === "NRT";
  const severity = required(
    data,
    "severity",
    "analytics rules need Informational, Low, Medium or High",
  );
  const body: Record<string, unknown> = {
    kind: nrt ? "NRT" : "Scheduled",
    displayName: data.name,
    description: str(data, "description"),
    severity,
    enabled: data.status !== "Disabled",
    query: data.query,
    suppressionDuration:
      data.suppressionDuration === undefined
        ? "PT5H"
        : isoDuration(data.suppressionDuration, "suppressionDuration"),
    suppressionEnabled: data.suppressionEnabled === true,
    tactics: strings(data.tactics),
    // This API version takes techniques only (T1078); sub-techniques (T1078.004) are folded.
    techniques: [
      ...new Set(
        strings(data.relevantTechniques)
          .map((t) => /^T\d{4}/i.exec(t)?.[0].toUpperCase())
          .filter((t): t is string => Boolean(t)),
      ),
    ],
    entityMappings: entityMappings(data.entityMappings),
    customDetails: customDetails(data.customDetails),
    alertDetailsOverride: alertDetailsOverride(data.alertDetailsOverride),
    incidentConfiguration: incidentConfiguration(data.incidentConfiguration),
    eventGroupingSettings: {
      aggregationKind:
        str(record(data.eventGroupingSettings, "eventGroupingSettings") ?? {}, "aggregationKind") ??
        "SingleAlert",
    },
  };
  if (!nrt) {
    if (data.queryFrequency === undefined)
      throw new ConversionError("`queryFrequency` is required for Scheduled rules", "kind");
    if (data.queryPeriod === undefined)
      throw new ConversionError("`queryPeriod` is required for Scheduled rules", "kind");
    body.queryFrequency = isoDuration(data.queryFrequency, "queryFrequency");
    body.queryPeriod = isoDuration(data.queryPeriod, "queryPeriod");
    body.triggerOperator = triggerOperator(data.triggerOperator ?? "gt");
    const threshold = data.triggerThreshold ?? 0;
    if (typeof threshold !== "number" || !Number.isInteger(threshold) || threshold < 0) {
      throw new ConversionError(
        `triggerThreshold ${JSON.stringify(threshold)} must be a whole number ≥ 0`,
        "triggerThreshold",
      );
    }
    body.triggerThreshold = threshold;
  }
  return canonicalObject(body);
}

function entityMappings(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    throw new ConversionError("`entityMappings` must be a list", "entityMappings");
  }
  return value.map((m, i) => {
    const e = record(m, `entityMappings[${i}]`) ?? {};
    const fields = Array.isArray(e.fieldMappings) ? e.fieldMappings : [];
    return {
      entityType: e.entityType,
      fieldMappings: fields.map((f: unknown, j: number) => {
        const fm = record(f, `entityMappings[${i}].fieldMappings[${j}]`) ?? {};
        return { identifier: fm.identifier, columnName: fm.columnName };
      }),
    };
  });
}

function customDetails(value: unknown): Record<string, string> | undefined {
  const r = record(value, "customDetails");
  if (!r) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r)) out[k] = String(v);
  return out;
}

function alertDetailsOverride(value: unknown): Record<string, unknown> | undefined {
  const r = record(value, "alertDetailsOverride");
  if (!r) return undefined;
  return {
    alertDisplayNameFormat: r.alertDisplayNameFormat,
    alertDescriptionFormat: r.alertDescriptionFormat,
    alertTacticsColumnName: r.alertTacticsColumnName,
    alertSeverityColumnName: r.alertSeverityColumnName,
  };
}

/** The portal's defaults when the rule has none, so the service fills in nothing we manage. */
function incidentConfiguration(value: unknown): Record<string, unknown> {
  const r = record(value, "incidentConfiguration") ?? {};
  const g = record(r.groupingConfiguration, "incidentConfiguration.groupingConfiguration") ?? {};
  return {
    createIncident: r.createIncident !== false,
    groupingConfiguration: {
      enabled: g.enabled === true,
      reopenClosedIncident: g.reopenClosedIncident === true,
      lookbackDuration:
        g.lookbackDuration === undefined
          ? "PT5H"
          : isoDuration(
              g.lookbackDuration,
              "incidentConfiguration.groupingConfiguration.lookbackDuration",
            ),
      matchingMethod: g.matchingMethod ?? "AllEntities",
      groupByEntities: g.groupByEntities,
      groupByAlertDetails: g.groupByAlertDetails,
      groupByCustomDetails: g.groupByCustomDetails,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Resource bodies

export interface TagPair {
  name: string;
  value: string;
}

export function bookkeepingTags(item: DesiredItem, repository: string): TagPair[] {
  return [
    { name: TAG.ruleId, value: item.ruleId },
    { name: TAG.repository, value: repository },
    { name: TAG.path, value: item.path },
    { name: TAG.hash, value: item.hash },
  ];
}

/** The saved search body: content plus our bookkeeping tags. */
export function savedSearchBody(item: DesiredItem, repository: string): JsonObject {
  const content = item.content as JsonObject & { tags?: TagPair[] };
  return {
    ...content,
    tags: [...(content.tags ?? []), ...bookkeepingTags(item, repository)] as unknown as Json,
  };
}

export function metadataBody(item: DesiredItem, w: Workspace, repository: string): JsonObject {
  return {
    kind: item.kind === "hunting" ? "HuntingQuery" : "AnalyticsRule",
    parentId: resourceId(w, item.kind, item.resourceName),
    contentId: item.ruleId,
    version: item.version,
    source: { kind: "SourceRepository", name: repository, sourceId: item.path },
    customVersion: `${TOOL_MARKER}:${item.hash}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Workspace resources → content

export interface RemoteSavedSearch {
  name?: string;
  etag?: string;
  category?: string;
  displayName?: string;
  query?: string;
  version?: number;
  functionAlias?: string;
  functionParameters?: string;
  tags?: { name?: string; value?: string }[];
}

export interface RemoteMetadata {
  name?: string;
  etag?: string;
  parentId?: string;
  contentId?: string;
  version?: string;
  kind?: string;
  source?: { kind?: string; name?: string; sourceId?: string };
  customVersion?: string;
}

export type RemoteAlertRule = { name?: string; etag?: string; kind?: string } & Record<
  string,
  unknown
>;

export function tagValue(s: RemoteSavedSearch, name: string): string | undefined {
  return s.tags?.find((t) => t.name === name)?.value;
}

export function huntingContentOf(s: RemoteSavedSearch): JsonObject {
  const tags = sortTags((s.tags ?? []).filter((t) => t.name && CONTENT_TAGS.has(t.name))).map(
    (t) => (t.name === "description" ? t : { name: t.name, value: commaList(t.value ?? "") }),
  );
  return canonicalObject({
    category: s.category,
    displayName: s.displayName,
    query: s.query,
    version: s.version,
    functionAlias: s.functionAlias,
    functionParameters: s.functionParameters,
    tags: tags.map((t) => ({ name: t.name, value: t.value })),
  });
}

export function analyticsContentOf(r: RemoteAlertRule): JsonObject {
  const picked: Record<string, unknown> = {};
  for (const f of ANALYTICS_FIELDS) picked[f] = r[f];
  for (const f of ["queryFrequency", "queryPeriod", "suppressionDuration"]) {
    picked[f] = normalDuration(picked[f]);
  }
  const incident = picked.incidentConfiguration as
    { groupingConfiguration?: Record<string, unknown> } | undefined;
  if (incident?.groupingConfiguration) {
    picked.incidentConfiguration = {
      ...incident,
      groupingConfiguration: {
        ...incident.groupingConfiguration,
        lookbackDuration: normalDuration(incident.groupingConfiguration.lookbackDuration),
      },
    };
  }
  return canonicalObject(picked);
}

/** Whether a saved search carries our tags for this repository. */
export function isOurSavedSearch(s: RemoteSavedSearch, repository: string): boolean {
  return tagValue(s, TAG.repository) === repository && Boolean(tagValue(s, TAG.hash));
}

export function isOurMetadata(m: RemoteMetadata, repository: string): boolean {
  return (
    m.source?.kind === "SourceRepository" &&
    m.source.name === repository &&
    typeof m.customVersion === "string" &&
    m.customVersion.startsWith(`${TOOL_MARKER}:`)
  );
}

export function metadataHash(m: RemoteMetadata | undefined): string | undefined {
  const v = m?.customVersion;
  return v?.startsWith(`${TOOL_MARKER}:`) ? v.slice(TOOL_MARKER.length + 1) : undefined;
}

/** Whether a metadata resource already says what we would write. */
export function metadataUpToDate(m: RemoteMetadata | undefined, want: JsonObject): boolean {
  if (!m) return false;
  const have = canonicalObject({
    kind: m.kind,
    parentId: m.parentId?.toLowerCase(),
    contentId: m.contentId,
    version: m.version,
    source: m.source,
    customVersion: m.customVersion,
  });
  const w = canonicalObject({ ...want, parentId: String(want.parentId).toLowerCase() });
  return JSON.stringify(have) === JSON.stringify(w);
}

/** Whether the saved search's bookkeeping tags say what we would write. */
export function savedSearchTagsUpToDate(
  s: RemoteSavedSearch,
  item: DesiredItem,
  repository: string,
): boolean {
  return bookkeepingTags(item, repository).every((t) => tagValue(s, t.name) === t.value);
}
