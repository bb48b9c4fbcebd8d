// Every rule ships with fixture tests (`<rule>.tests.yaml`, run by `sentinel-dac test`): one
// case that shows it fires and one that shows it stays quiet. Configurable in
// sentinel-dac.config.yaml: `tests: {required, requirePositive, requireNegative}`.
// The tests file's own problems (YAML, schema) are reported here too, so `lint` catches a
// broken tests file before `test` runs it.

import * as path from "node:path";
import type { RuleCheck } from "../check";
import {
  findTestsFile,
  isNegative,
  isPositive,
  loadTestsFile,
  testsPathFor,
} from "../../fixtures/format";

export const testsPolicy: RuleCheck = {
  scope: "rule",
  meta: {
    id: "tests-policy",
    severity: "error",
    description: "the rule has a valid tests file with a case that fires and one that stays quiet",
    docs: "A rule without tests can break silently: a typo in an indicator or a renamed column makes it match nothing. Add `<rule>.tests.yaml` next to the rule (see the README, section Testing rules with fixtures) with a case that expects rows (count > 0, rows or contains) and one with `count: 0`. Turn parts off in sentinel-dac.config.yaml: `tests: {required: false}` or `requirePositive` / `requireNegative`.",
  },
  check(rule, ctx) {
    const policy = ctx.config.tests;
    const testsAbs = findTestsFile(rule.file.absPath);
    const expected = path.posix.basename(testsPathFor(rule.file.path));
    if (!testsAbs) {
      if (policy.required) {
        ctx.report({
          range: ctx.rangeOf(["name"]),
          message: `the rule has no tests file (${expected})`,
          fix: `add ${expected} next to the rule with a case that fires and one that stays quiet (README, section Testing rules with fixtures)`,
        });
      }
      return;
    }
    const loaded = loadTestsFile(testsAbs, ctx.root);
    const errors = loaded.findings.filter((f) => f.severity === "error");
    for (const f of errors) {
      // Point into the tests file itself, so the annotation lands on the broken line.
      ctx.report({
        file: f.file,
        range: {
          line: f.line,
          column: f.column,
          endLine: f.endLine,
          endColumn: f.endColumn,
          start: 0,
          end: 0,
        },
        message: f.message,
        fix: f.fix,
      });
    }
    const tests = loaded.tests;
    if (!tests) return;
    if (policy.requirePositive && !tests.cases.some(isPositive)) {
      ctx.report({
        range: ctx.rangeOf(["name"]),
        message: `${tests.path} has no case that shows the rule fires`,
        fix: "add a case whose expect has count > 0, rows or contains",
      });
    }
    if (policy.requireNegative && !tests.cases.some(isNegative)) {
      ctx.report({
        range: ctx.rangeOf(["name"]),
        message: `${tests.path} has no case that shows the rule stays quiet`,
        fix: "add a case with benign data and `expect: {count: 0}`",
      });
    }
  },
};
