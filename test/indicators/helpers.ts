// Rules in memory for the indicator tests.

import { loadRuleText } from "../../scripts/rules/load";
import type { RuleIndicators } from "../../scripts/indicators/dedupe";
import { extractIndicators } from "../../scripts/indicators/extract";

/** A rule file whose query is the given KQL, as a literal block scalar. */
export function ruleText(query: string, id = "1b2c3d4e-0000-4000-8000-000000000001"): string {
  const body = query
    .split("\n")
    .map((l) => (l ? `  ${l}` : l))
    .join("\n");
  return `id: ${id}\nname: Indicator test ${id.slice(-4)}\nquery: |\n${body}\n`;
}

/** Loads rule text and extracts its indicators; throws when the text is not a rule. */
export function indicatorsOf(text: string, file = "detections/hunting/test.yaml"): RuleIndicators {
  const loaded = loadRuleText(text, file);
  if (!loaded.rule || loaded.rule.query === undefined) {
    throw new Error(`not a rule: ${loaded.findings.map((f) => f.message).join("; ")}`);
  }
  return { rule: loaded.rule, extraction: extractIndicators(loaded.rule.query) };
}
