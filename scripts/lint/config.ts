// The repository's config file, `sentinel-dac.config.yaml` at the repository root:
//
//   checks:                      # severity per check id: error | warning | info | off
//     kql-contains: info
//   hunting:
//     requireAttack: true        # missing tactics / relevantTechniques / requiredDataConnectors
//                                # on a hunting query: error (true) or warning (false)
//   tests:
//     required: true             # a rule without a tests file is a lint error
//     requirePositive: true      # at least one case that fires
//     requireNegative: true      # at least one case with count: 0
//
// Everything is optional; a missing file means the defaults below.

import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import type { Severity } from "./finding";

export const CONFIG_FILE = "sentinel-dac.config.yaml";

export type SeveritySetting = Severity | "off";

export interface LintConfig {
  checks: Record<string, SeveritySetting>;
  hunting: { requireAttack: boolean };
  tests: { required: boolean; requirePositive: boolean; requireNegative: boolean };
  /** The whole parsed file, for sections other modules own (e.g. `indicators`, `deploy`). */
  raw: Record<string, unknown>;
  /** Where it was read from, when it exists. */
  file?: string;
}

export function defaultConfig(): LintConfig {
  return {
    checks: {},
    hunting: { requireAttack: false },
    tests: { required: true, requirePositive: true, requireNegative: true },
    raw: {},
  };
}

export class ConfigError extends Error {}

const severities = new Set(["error", "warning", "info", "off"]);

/** Reads the config at the root; a malformed file is a ConfigError naming line and column. */
export function loadConfig(root: string): LintConfig {
  const file = path.join(root, CONFIG_FILE);
  const config = defaultConfig();
  if (!fs.existsSync(file)) return config;
  const text = fs.readFileSync(file, "utf8");
  const doc = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const pos = e.linePos?.[0];
    throw new ConfigError(
      `${CONFIG_FILE}:${pos?.line ?? 1}:${pos?.col ?? 1}: ${e.message.split(" at line")[0]}`,
    );
  }
  const raw = (doc.toJS({ maxAliasCount: 100 }) ?? {}) as Record<string, unknown>;
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(`${CONFIG_FILE}: the top level must be a mapping`);
  }
  config.raw = raw;
  config.file = file;
  const checks = raw.checks;
  if (checks !== undefined) {
    if (!checks || typeof checks !== "object" || Array.isArray(checks)) {
      throw new ConfigError(`${CONFIG_FILE}: \`checks\` must map check ids to a severity`);
    }
    for (const [id, value] of Object.entries(checks)) {
      const v = String(value).toLowerCase();
      if (!severities.has(v)) {
        throw new ConfigError(
          `${CONFIG_FILE}: checks.${id} is '${String(value)}'; use error, warning, info or off`,
        );
      }
      config.checks[id] = v as SeveritySetting;
    }
  }
  const hunting = raw.hunting as Record<string, unknown> | undefined;
  if (hunting && typeof hunting.requireAttack === "boolean") {
    config.hunting.requireAttack = hunting.requireAttack;
  }
  const tests = raw.tests as Record<string, unknown> | undefined;
  if (tests && typeof tests === "object") {
    for (const key of ["required", "requirePositive", "requireNegative"] as const) {
      if (typeof tests[key] === "boolean") config.tests[key] = tests[key] as boolean;
    }
  }
  return config;
}

/** The severity a check's findings get, or "off". */
export function severityFor(config: LintConfig, id: string, fallback: Severity): SeveritySetting {
  return config.checks[id] ?? fallback;
}
