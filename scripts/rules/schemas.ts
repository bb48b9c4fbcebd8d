// Compiled JSON Schemas for rule files (and any other schema in schemas/), compiled once.
// ajv with allErrors, so a reviewer sees every problem of a file in one run.

import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020, { ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { RuleKind } from "./load";

export const SCHEMA_DIR = path.resolve(__dirname, "../../schemas");

let ajv: Ajv2020 | undefined;

/** One ajv instance holding every `schemas/*.schema.json`, so `$ref`s between them resolve. */
export function schemaRegistry(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  for (const name of fs.readdirSync(SCHEMA_DIR).sort()) {
    if (!name.endsWith(".schema.json")) continue;
    const schema = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, name), "utf8")) as object;
    ajv.addSchema(schema, name);
  }
  return ajv;
}

/** The validator of a schema file in schemas/ (`"hunting-query.schema.json"`). */
export function validatorFor(schemaFile: string): ValidateFunction {
  const v = schemaRegistry().getSchema(schemaFile);
  if (!v) throw new Error(`schema ${schemaFile} is missing from ${SCHEMA_DIR}`);
  return v;
}

export function ruleValidator(kind: RuleKind): ValidateFunction {
  return validatorFor(
    kind === "analytics" ? "analytics-rule.schema.json" : "hunting-query.schema.json",
  );
}

/** The top-level fields a rule kind's schema declares (anything else is "unknown"). */
export function knownFields(kind: RuleKind): Set<string> {
  const file = kind === "analytics" ? "analytics-rule.schema.json" : "hunting-query.schema.json";
  const schema = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), "utf8")) as {
    properties: Record<string, unknown>;
  };
  return new Set(Object.keys(schema.properties));
}
