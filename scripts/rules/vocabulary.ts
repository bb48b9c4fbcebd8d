// Microsoft Sentinel's fixed vocabularies, read from the rule schemas so there is one list.

import { SCHEMA_DIR } from "./schemas";
import * as fs from "node:fs";
import * as path from "node:path";

interface EntityRuleSchema {
  if: { properties: { entityType: { const: string } } };
  then: {
    properties: { fieldMappings: { items: { properties: { identifier: { enum: string[] } } } } };
  };
}

const common = JSON.parse(
  fs.readFileSync(path.join(SCHEMA_DIR, "rule-common.schema.json"), "utf8"),
) as {
  $defs: Record<
    string,
    {
      enum?: string[];
      items?: { properties?: Record<string, { enum?: string[] }>; allOf?: EntityRuleSchema[] };
    }
  >;
};

/** The tactic names Sentinel accepts, in its spelling. */
export const SENTINEL_TACTICS: readonly string[] = common.$defs.tactic.enum ?? [];

/** The entity types Sentinel accepts in entity mappings. */
export const ENTITY_TYPES: readonly string[] =
  common.$defs.entityMappings.items?.properties?.entityType.enum ?? [];

/** The identifiers each entity type accepts. */
export const ENTITY_IDENTIFIERS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  (common.$defs.entityMappings.items?.allOf ?? []).map((rule) => [
    rule.if.properties.entityType.const,
    rule.then.properties.fieldMappings.items.properties.identifier.enum,
  ]),
);
