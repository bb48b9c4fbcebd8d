// Validates each rule against its JSON Schema (schemas/hunting-query.schema.json or
// schemas/analytics-rule.schema.json) and reports every error, in plain words, at the
// offending value.

import type { ErrorObject } from "ajv";
import type { RuleCheck } from "../check";
import { ruleValidator } from "../../rules/schemas";
import type { Rule } from "../../rules/load";

/** What other checks report better (with a fix): tactic spelling, the `suppress` list. */
const handledElsewhere = (e: ErrorObject) =>
  (/^\/tactics\/\d+$/.test(e.instancePath) && e.keyword === "enum") ||
  /^\/suppress(\/|$)/.test(e.instancePath);

/** `/entityMappings/0/fieldMappings/1` → ["entityMappings", 0, "fieldMappings", 1]. */
export function pathOf(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function describe(pointer: string): string {
  const parts = pathOf(pointer);
  if (!parts.length) return "the rule";
  return parts.reduce<string>(
    (acc, p) => (typeof p === "number" ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p),
    "",
  );
}

function valueText(v: unknown): string {
  if (typeof v === "string") return `'${v.length > 60 ? `${v.slice(0, 57)}…` : v}'`;
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

function valueAt(data: unknown, parts: (string | number)[]): unknown {
  let cur: unknown = data;
  for (const p of parts) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

/** Turns one ajv error into a reviewer's sentence, and the path it is about. */
export function explain(
  e: ErrorObject,
  data: unknown,
): { path: (string | number)[]; message: string; fix?: string } | undefined {
  const where = describe(e.instancePath);
  const path = pathOf(e.instancePath);
  const value = valueAt(data, path);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required": {
      const field = String(p.missingProperty);
      return {
        path: path,
        message: `${where === "the rule" ? "the rule" : where} has no \`${field}\``,
        fix: `add \`${field}:\``,
      };
    }
    case "type":
      return {
        path,
        message: `${where} must be ${article(String(p.type))}, not ${typeName(value)}`,
      };
    case "enum": {
      const allowed = (p.allowedValues as unknown[]).map(String);
      const guess = closest(String(value), allowed);
      return {
        path,
        message: `${where} is ${valueText(value)}, which is not one of: ${allowed.join(", ")}`,
        fix: guess ? `did you mean \`${guess}\`?` : undefined,
      };
    }
    case "const":
      return { path, message: `${where} must be ${valueText(p.allowedValue)}` };
    case "pattern":
      return { path, message: `${where} is ${valueText(value)}, which is not ${patternWords(e)}` };
    case "maxLength":
      return {
        path,
        message: `${where} is ${(value as string).length} characters long; the limit is ${String(p.limit)}`,
      };
    case "minLength":
      return { path, message: `${where} is empty` };
    case "maxItems":
      return {
        path,
        message: `${where} has ${(value as unknown[]).length} items; at most ${String(p.limit)} are allowed`,
      };
    case "minItems":
      return {
        path,
        message: `${where} needs at least ${String(p.limit)} item${p.limit === 1 ? "" : "s"}`,
      };
    case "uniqueItems":
      return {
        path: [...path, Number(p.i)],
        message: `${where} lists ${valueText((value as unknown[])[Number(p.i)])} twice (items ${Number(p.j)} and ${Number(p.i)})`,
        fix: "remove the repeated item",
      };
    case "maximum":
    case "minimum":
      return {
        path,
        message: `${where} is ${valueText(value)}; it must be ${e.keyword === "maximum" ? "at most" : "at least"} ${String(p.limit)}`,
      };
    case "maxProperties":
      return {
        path,
        message: `${where} has ${Object.keys(value as object).length} entries; at most ${String(p.limit)} are allowed`,
      };
    case "additionalProperties":
      return {
        path: [...path, String(p.additionalProperty)],
        message: `${where} has an unknown field \`${String(p.additionalProperty)}\``,
      };
    case "propertyNames":
      return {
        path,
        message: `${where} has a key that is not a valid name (letters, digits and _, at most 20 characters, not starting with a digit)`,
      };
    case "not":
      if (e.instancePath === "" && (data as Record<string, unknown>)?.kind === "NRT") {
        const field = "queryFrequency" in (data as object) ? "queryFrequency" : "queryPeriod";
        return {
          path: [field],
          message: `an NRT rule runs every minute and has no \`${field}\``,
          fix: `remove \`${field}\``,
        };
      }
      return { path, message: `${where} is not valid (${e.message ?? "not"})` };
    case "if":
    case "allOf":
    case "anyOf":
      return undefined; // the specific error underneath is reported
    default:
      return { path, message: `${where} ${e.message ?? "is not valid"}` };
  }
}

function article(t: string): string {
  const words: Record<string, string> = {
    string: "text",
    array: "a list",
    object: "a mapping",
    integer: "a whole number",
    number: "a number",
    boolean: "true or false",
  };
  return t
    .split(",")
    .map((x) => words[x] ?? x)
    .join(" or ");
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return "empty";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return "text";
  if (typeof v === "boolean") return "true/false";
  return `the number ${String(v)}`;
}

function patternWords(e: ErrorObject): string {
  const path = e.instancePath;
  if (path === "/id") return "a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)";
  if (/^\/relevantTechniques\//.test(path)) return "an ATT&CK technique id like T1071 or T1071.001";
  if (path === "/version") return "a version like 1.0.0";
  if (path === "/queryFrequency" || path === "/queryPeriod") return "a duration like 5m, 1h or 14d";
  return `in the expected form (${String((e.params as { pattern: string }).pattern)})`;
}

/** The allowed value nearest to a wrong one, ignoring case, spaces and separators. */
export function closest(value: string, allowed: string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, "");
  const v = norm(value);
  const exact = allowed.find((a) => norm(a) === v);
  if (exact) return exact;
  let best: string | undefined;
  let bestDist = Infinity;
  for (const a of allowed) {
    const d = distance(v, norm(a));
    if (d < bestDist) {
      bestDist = d;
      best = a;
    }
  }
  return bestDist <= Math.max(2, Math.floor(v.length / 4)) ? best : undefined;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

export function schemaErrors(rule: Rule): ErrorObject[] {
  const validate = ruleValidator(rule.kind);
  validate(rule.data);
  return validate.errors ?? [];
}

export const schema: RuleCheck = {
  scope: "rule",
  meta: {
    id: "schema",
    severity: "error",
    description: "the rule matches its JSON Schema (schemas/hunting-query or analytics-rule)",
    docs: "Field names, types, Sentinel's enums and limits (name ≤ 256, description ≤ 5,000, query ≤ 10,000 characters, 1–10 entity mappings…). Every error is reported, at the value it is about.",
  },
  check(rule, ctx) {
    const seen = new Set<string>();
    for (const e of schemaErrors(rule)) {
      if (handledElsewhere(e)) continue;
      // Hunting queries' ATT&CK fields are optional to Sentinel: hunting-attack reports those.
      if (
        rule.kind === "hunting" &&
        e.keyword === "required" &&
        ["tactics", "relevantTechniques", "requiredDataConnectors"].includes(
          String((e.params as { missingProperty: string }).missingProperty),
        )
      )
        continue;
      const x = explain(e, rule.data);
      if (!x) continue;
      const key = `${x.path.join("/")}|${x.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ctx.report({ range: ctx.rangeOf(x.path), message: x.message, fix: x.fix });
    }
  },
};
