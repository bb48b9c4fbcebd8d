// The one shape every check, the KQL analyser, the indicator deduper and the fixture runner
// report in, so every formatter (stylish, json, github, sarif) prints all of them.

export type Severity = "error" | "warning" | "info";

/** A replacement of source text, by byte-independent character offsets into the file's text. */
export interface TextEdit {
  /** Offset of the first character replaced (into the decoded text, BOM excluded). */
  start: number;
  /** Offset just past the last character replaced. */
  end: number;
  replacement: string;
}

export interface Finding {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** 1-based line and column of the offending node (not of the document). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The id of the check that found it (`schema`, `attack-tactic`, `kql-syntax`, …). */
  ruleId: string;
  severity: Severity;
  /** Plain words, for a reviewer. */
  message: string;
  /** What to do about it, when there is something specific: "did you mean `LateralMovement`?" */
  fix?: string;
  /** The mechanical edits `--fix` may apply; only for safe fixes. */
  edits?: TextEdit[];
}

/** Findings sorted by file, then position, then rule id: stable output for people and tests. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.message.localeCompare(b.message),
  );
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
