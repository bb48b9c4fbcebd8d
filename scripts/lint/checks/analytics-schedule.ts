// Sentinel's schedule limits for Scheduled rules: frequency and period 5 minutes to 14 days,
// the period at least the frequency, and a frequency of at least 1 hour when the period is
// 2 days or more.

import type { RuleCheck } from "../check";

const MINUTE = 1;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Minutes in a community duration (`5m`, `1h`, `14d`), or undefined if not in that form. */
export function durationMinutes(v: unknown): number | undefined {
  if (typeof v !== "string") return undefined;
  const m = /^([1-9][0-9]*)([mhd])$/.exec(v.trim());
  if (!m) return undefined;
  return Number(m[1]) * (m[2] === "m" ? MINUTE : m[2] === "h" ? HOUR : DAY);
}

export const analyticsSchedule: RuleCheck = {
  scope: "rule",
  appliesTo: (rule) => rule.kind === "analytics" && rule.data.kind !== "NRT",
  meta: {
    id: "analytics-schedule",
    severity: "error",
    description: "queryFrequency and queryPeriod are within Sentinel's limits",
    docs: "Both between 5 minutes and 14 days; queryPeriod ≥ queryFrequency; when queryPeriod is 2 days or more, queryFrequency is at least 1 hour. Sentinel refuses the rule otherwise.",
  },
  check(rule, ctx) {
    const freq = durationMinutes(rule.data.queryFrequency);
    const period = durationMinutes(rule.data.queryPeriod);
    for (const [field, v] of [
      ["queryFrequency", freq],
      ["queryPeriod", period],
    ] as const) {
      if (v === undefined) continue;
      if (v < 5 * MINUTE || v > 14 * DAY) {
        ctx.report({
          range: ctx.rangeOf([field]),
          message: `${field} is ${String(rule.data[field])}; it must be between 5m and 14d`,
        });
      }
    }
    if (freq === undefined || period === undefined) return;
    if (period < freq) {
      ctx.report({
        range: ctx.rangeOf(["queryPeriod"]),
        message: `queryPeriod (${String(rule.data.queryPeriod)}) is shorter than queryFrequency (${String(rule.data.queryFrequency)}): runs would leave gaps`,
        fix: `make queryPeriod at least ${String(rule.data.queryFrequency)}`,
      });
    }
    if (period >= 2 * DAY && freq < HOUR) {
      ctx.report({
        range: ctx.rangeOf(["queryFrequency"]),
        message: `with a queryPeriod of ${String(rule.data.queryPeriod)} (2 days or more), queryFrequency must be at least 1h, not ${String(rule.data.queryFrequency)}`,
        fix: "set queryFrequency to 1h or more, or shorten queryPeriod",
      });
    }
  },
};
