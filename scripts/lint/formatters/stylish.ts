// For people: findings grouped by file, aligned, with a summary line (ESLint's "stylish").

import type { Finding } from "../finding";
import { countBySeverity } from "../finding";
import type { FormatContext } from "./index";

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function stylish(findings: Finding[], ctx: FormatContext): string {
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const out: string[] = [];
  for (const [file, list] of byFile) {
    out.push(paint(ctx.color, "4", file));
    const pos = list.map((f) => `${f.line}:${f.column}`);
    const sev = list.map((f) => f.severity);
    const wPos = Math.max(...pos.map((p) => p.length));
    const wSev = Math.max(...sev.map((s) => s.length));
    list.forEach((f, i) => {
      const colour = f.severity === "error" ? "31" : f.severity === "warning" ? "33" : "36";
      const message = f.fix ? `${f.message}: ${f.fix}` : f.message;
      out.push(
        `  ${paint(ctx.color, "2", pos[i].padEnd(wPos))}  ${paint(ctx.color, colour, sev[i].padEnd(wSev))}  ${message}  ${paint(ctx.color, "2", f.ruleId)}`,
      );
    });
    out.push("");
  }
  const c = countBySeverity(findings);
  const files = plural(ctx.filesChecked, "file");
  if (findings.length === 0) {
    out.push(paint(ctx.color, "32", `✔ ${files} checked, no problems`));
  } else {
    const parts = [plural(c.error, "error"), plural(c.warning, "warning")];
    if (c.info) parts.push(plural(c.info, "info"));
    const mark = c.error ? paint(ctx.color, "31", "✖") : paint(ctx.color, "33", "⚠");
    out.push(
      `${mark} ${plural(findings.length, "problem")} (${parts.join(", ")}) in ${files} checked`,
    );
    const fixable = findings.filter((f) => f.edits && f.edits.length).length;
    if (fixable) out.push(`  ${plural(fixable, "problem")} can be fixed with --fix`);
  }
  return `${out.join("\n")}\n`;
}
