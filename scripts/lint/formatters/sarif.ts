// SARIF 2.1.0 for GitHub code scanning (upload with github/codeql-action/upload-sarif).

import type { Finding } from "../finding";
import type { FormatContext } from "./index";

const level: Record<Finding["severity"], string> = {
  error: "error",
  warning: "warning",
  info: "note",
};

export function sarif(findings: Finding[], ctx: FormatContext): string {
  const ruleIds = [...new Set([...ctx.rules.map((r) => r.id), ...findings.map((f) => f.ruleId)])];
  const meta = new Map(ctx.rules.map((r) => [r.id, r]));
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "sentinel-dac",
            version: ctx.toolVersion,

            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: meta.get(id)?.description ?? id },
              ...(meta.get(id)?.docs ? { fullDescription: { text: meta.get(id)?.docs } } : {}),
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId),
          level: level[f.severity],
          message: { text: f.fix ? `${f.message} (${f.fix})` : f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file, uriBaseId: "%SRCROOT%" },
                region: {
                  startLine: f.line,
                  startColumn: f.column,
                  endLine: f.endLine,
                  endColumn: Math.max(f.endColumn, f.endLine === f.line ? f.column + 1 : 1),
                },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
