// Sentinel requires only id, name, description and query of a hunting query, but a query
// without tactics, techniques or connectors cannot be found by coverage reports. A warning by
// default; an error where sentinel-dac.config.yaml says `hunting: {requireAttack: true}`.

import type { RuleCheck } from "../check";

const FIELDS = ["tactics", "relevantTechniques", "requiredDataConnectors"] as const;

export const huntingAttack: RuleCheck = {
  scope: "rule",
  appliesTo: (rule) => rule.kind === "hunting",
  meta: {
    id: "hunting-attack",
    severity: "warning",
    description: "hunting queries declare tactics, relevantTechniques and requiredDataConnectors",
    docs: "Optional to Sentinel, needed for ATT&CK coverage and connector health. Set `hunting: {requireAttack: true}` in sentinel-dac.config.yaml to make this an error.",
  },
  check(rule, ctx) {
    for (const field of FIELDS) {
      const v = rule.data[field];
      // A null or mistyped value is the schema check's to report.
      if (v === undefined || (Array.isArray(v) && v.length === 0)) {
        ctx.report({
          range: ctx.rangeOf(v === undefined ? [] : [field]),
          message: `the hunting query has no ${field}`,
          fix: `add \`${field}:\``,
          severity: ctx.config.hunting.requireAttack ? "error" : undefined,
        });
      }
    }
  },
};
