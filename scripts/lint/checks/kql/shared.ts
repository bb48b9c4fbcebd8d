// What every KQL check shares: the one analysis per lint run, and offsets → file positions.

import type { CheckContext, PrepareContext, RuleCheck } from "../../check";
import type { Rule } from "../../../rules/load";
import { queryRange, Range } from "../../../rules/load";
import { analysisOf, prepareAnalysis, QueryFacts } from "../../../kql/analysis";
import type { Span } from "../../../kql/analysis/facts";

export function hasQuery(rule: Rule): boolean {
  return typeof rule.query === "string" && rule.query.trim() !== "";
}

export async function prepare(rules: Rule[], ctx: PrepareContext): Promise<void> {
  await prepareAnalysis(rules, ctx);
}

/** The file range of query characters: where a GitHub annotation lands. */
export function spanRange(rule: Rule, span: Span): Range {
  return queryRange(rule, span.start, Math.max(span.end, span.start + 1));
}

/** A check whose findings come straight from the analysis's hints for its id. */
export function hintCheck(
  meta: RuleCheck["meta"],
  appliesTo: (rule: Rule) => boolean = hasQuery,
): RuleCheck {
  return {
    scope: "rule",
    meta,
    appliesTo,
    prepare,
    check(rule: Rule, ctx: CheckContext) {
      const facts = analysisOf(rule);
      if (!facts) return;
      for (const h of facts.hints) {
        if (h.check !== meta.id) continue;
        ctx.report({
          range: spanRange(rule, h.span),
          message: h.message,
          ...(h.fix ? { fix: h.fix } : {}),
        });
      }
    },
  };
}

/** True when the query parsed: checks that reason about its meaning skip broken queries. */
export function parsed(facts: QueryFacts): boolean {
  return !facts.diagnostics.some((d) => d.syntax);
}

/** Kusto.Language's message on one line and without its final period (a fix may follow). */
export function plainMessage(message: string): string {
  return message.replace(/\s*\n\s*/g, " ").replace(/\.\s*$/, "");
}
