// Prints findings in the chosen format and turns them into the exit code; shared by every
// command that reports findings (lint, dedupe, validate).

import type { CommandIo } from "../cli/io";
import { UsageError } from "../cli/io";
import type { Finding } from "../lint/finding";
import { FORMAT_NAMES, formatters } from "../lint/formatters";

export interface PrintOptions {
  format: string;
  filesChecked: number;
  rules: { id: string; description: string; docs?: string }[];
}

export function checkFormat(format: string): void {
  if (!formatters[format]) {
    throw new UsageError(`unknown format '${format}'; use one of: ${FORMAT_NAMES.join(", ")}`);
  }
}

export function toolVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("../../package.json") as { version: string }).version;
}

/** Writes the findings to stdout; returns 1 when any is an error, else 0. */
export function printFindings(findings: Finding[], io: CommandIo, options: PrintOptions): number {
  checkFormat(options.format);
  const text = formatters[options.format](findings, {
    toolVersion: toolVersion(),
    rules: options.rules,
    filesChecked: options.filesChecked,
    color: Boolean(io.stdout.isTTY) && !io.env.NO_COLOR,
  });
  io.stdout.write(text);
  return exitCodeFor(findings);
}

export function exitCodeFor(findings: Finding[]): number {
  return findings.some((f) => f.severity === "error") ? 1 : 0;
}
