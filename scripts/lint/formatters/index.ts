// Output formats for findings. Every command that reports findings (lint, dedupe, test's
// policy checks) prints through one of these, so a reviewer reads one style everywhere.

import type { Finding } from "../finding";
import { stylish } from "./stylish";
import { json } from "./json";
import { github } from "./github";
import { sarif } from "./sarif";

export interface FormatContext {
  /** The tool's name and version, for SARIF's driver. */
  toolVersion: string;
  /** Check metadata, for SARIF rules and stylish footers. */
  rules: { id: string; description: string; docs?: string }[];
  /** Files looked at (stylish prints "N files checked"). */
  filesChecked: number;
  /** Colour output (stylish only). */
  color: boolean;
}

export type Formatter = (findings: Finding[], ctx: FormatContext) => string;

export const formatters: Record<string, Formatter> = { stylish, json, github, sarif };

export const FORMAT_NAMES = Object.keys(formatters);
