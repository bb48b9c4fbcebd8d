// Rule files end in `.yaml`, as in the Azure-Sentinel repository (tools and globs rely on it).

import type { RuleCheck } from "../check";

export const fileExtension: RuleCheck = {
  scope: "rule",
  meta: {
    id: "file-extension",
    severity: "error",
    description: "rule files end in .yaml",
    docs: "The Azure-Sentinel repository and this toolkit's globs expect `.yaml`; rename `.yml` files.",
  },
  check(rule, ctx) {
    if (rule.file.path.endsWith(".yaml")) return;
    const base = rule.file.path.split("/").pop() ?? rule.file.path;
    ctx.report({
      range: { line: 1, column: 1, endLine: 1, endColumn: 1, start: 0, end: 0 },
      message: `the file is named '${base}'; rule files end in .yaml`,
      fix: `rename it to ${base.replace(/\.[^.]*$/, "")}.yaml`,
    });
  },
};
