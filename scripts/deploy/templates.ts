// The same content deploy writes, as ARM templates (one per rule), for teams that deploy with
// templates or Bicep. The workspace is a parameter; the bodies and the bookkeeping (tags,
// metadata with the content hash) are exactly what deploy sends, so plan recognises items
// deployed from these templates as ours.

import {
  DesiredItem,
  Json,
  JsonObject,
  metadataBody,
  SAVED_SEARCH_API_VERSION,
  savedSearchBody,
  SECURITY_INSIGHTS_API_VERSION,
  Workspace,
} from "./convert";

export const TEMPLATE_SCHEMA =
  "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/** A template expression's string literal: single quotes doubled. */
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * ARM evaluates a string that starts with `[` and ends with `]` as an expression; `[[` makes
 * it a literal again. Queries rarely look like that, but a rule's text is never code.
 */
export function escapeTemplateStrings(value: Json): Json {
  if (typeof value === "string") return /^\[[\s\S]*\]$/.test(value) ? `[${value}` : value;
  if (Array.isArray(value)) return value.map(escapeTemplateStrings);
  if (value && typeof value === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = escapeTemplateStrings(v);
    return out;
  }
  return value;
}

export function ruleTemplate(item: DesiredItem, w: Workspace, repository: string): JsonObject {
  const ws = "parameters('workspace')";
  const resourceIdExpr =
    item.kind === "hunting"
      ? `resourceId('Microsoft.OperationalInsights/workspaces/savedSearches', ${ws}, ${lit(item.resourceName)})`
      : `resourceId('Microsoft.OperationalInsights/workspaces/providers/alertRules', ${ws}, 'Microsoft.SecurityInsights', ${lit(item.resourceName)})`;
  let resource: JsonObject;
  if (item.kind === "hunting") {
    resource = {
      type: "Microsoft.OperationalInsights/workspaces/savedSearches",
      apiVersion: SAVED_SEARCH_API_VERSION,
      name: `[concat(${ws}, '/', ${lit(item.resourceName)})]`,
      properties: escapeTemplateStrings(savedSearchBody(item, repository)),
    };
  } else {
    const { kind, ...properties } = item.content;
    resource = {
      type: "Microsoft.OperationalInsights/workspaces/providers/alertRules",
      apiVersion: SECURITY_INSIGHTS_API_VERSION,
      name: `[concat(${ws}, '/Microsoft.SecurityInsights/', ${lit(item.resourceName)})]`,
      kind,
      properties: escapeTemplateStrings(properties),
    };
  }
  const meta = metadataBody(item, w, repository);
  const metadata: JsonObject = {
    type: "Microsoft.OperationalInsights/workspaces/providers/metadata",
    apiVersion: SECURITY_INSIGHTS_API_VERSION,
    name: `[concat(${ws}, '/Microsoft.SecurityInsights/', ${lit(item.metadataName)})]`,
    dependsOn: [`[${resourceIdExpr}]`],
    properties: {
      ...(escapeTemplateStrings(meta) as JsonObject),
      parentId: `[${resourceIdExpr}]`,
    },
  };
  return {
    $schema: TEMPLATE_SCHEMA,
    contentVersion: "1.0.0.0",
    metadata: {
      generator: "sentinel-dac",
      source: item.path,
      ruleId: item.ruleId,
      contentHash: item.hash,
    },
    parameters: {
      workspace: {
        type: "string",
        defaultValue: w.workspace,
        metadata: { description: "The Log Analytics workspace with Microsoft Sentinel" },
      },
    },
    resources: [resource, metadata],
  };
}
