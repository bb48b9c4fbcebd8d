// Lints rule files in a temporary repository and returns the KQL findings.

import { cli, tempRepo } from "../helpers/repo";
import type { Finding } from "../../scripts/lint/finding";

export const NO_TESTS = "tests:\n  required: false\n";

export async function lintRepo(
  files: Record<string, string>,
  config = NO_TESTS,
  args: string[] = [],
): Promise<{ code: number; findings: Finding[]; err: string; dir: string }> {
  const dir = tempRepo({ "sentinel-dac.config.yaml": config, ...files });
  const r = await cli(dir, ["lint", "detections", "--format", "json", ...args]);
  let findings: Finding[];
  try {
    findings = JSON.parse(r.out) as Finding[];
  } catch {
    throw new Error(`lint printed no JSON (exit ${r.code}): ${r.out}\n${r.err}`);
  }
  return { code: r.code, findings, err: r.err, dir };
}

export const kql = (findings: Finding[], id?: string): Finding[] =>
  findings.filter((f) => (id ? f.ruleId === id : f.ruleId.startsWith("kql-")));

/** `query: |` with the lines indented by two spaces. */
export function blockQuery(lines: string[], header = "|"): string {
  return `query: ${header}\n${lines.map((l) => (l ? `  ${l}` : "")).join("\n")}`;
}

/** 1-based line and column of the n-th occurrence of `needle` in `text`. */
export function positionOf(
  text: string,
  needle: string,
  nth = 0,
): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' occurs fewer than ${nth + 1} times`);
  }
  const before = text.slice(0, at);
  const line = before.split("\n").length;
  return { line, column: at - (before.lastIndexOf("\n") + 1) + 1 };
}
