// GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`, which the
// runner turns into annotations on the pull request's changed lines.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions

import type { Finding } from "../finding";

/** Escapes a message: `%`, CR and LF would end or corrupt the command. */
export function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a property value: additionally `:` and `,`, which separate properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const command: Record<Finding["severity"], string> = {
  error: "error",
  warning: "warning",
  info: "notice",
};

export function github(findings: Finding[]): string {
  return findings
    .map((f) => {
      const props = [
        `file=${escapeProperty(f.file)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        ...(f.endLine === f.line ? [`endColumn=${f.endColumn}`] : []),
        `title=${escapeProperty(`${f.ruleId}`)}`,
      ].join(",");
      const message = f.fix ? `${f.message} (${f.fix})` : f.message;
      return `::${command[f.severity]} ${props}::${escapeData(message)}\n`;
    })
    .join("");
}
