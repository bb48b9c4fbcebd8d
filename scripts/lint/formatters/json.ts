import type { Finding } from "../finding";

/** An array of `{file, line, column, endLine, endColumn, ruleId, severity, message, fix?}`. */
export function json(findings: Finding[]): string {
  const plain = findings.map((f) => ({
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    ...(f.fix !== undefined ? { fix: f.fix } : {}),
  }));
  return `${JSON.stringify(plain, null, 2)}\n`;
}
