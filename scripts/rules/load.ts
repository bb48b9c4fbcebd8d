// Loads rule files into rules that remember where every value came from.
//
// We use the `yaml` package, not js-yaml, for rule files: it keeps the source range of every
// node (so a finding points at the offending value, not the document), limits alias expansion
// (`maxAliasCount`: a "billion laughs" file is an error, not an out-of-memory crash), reports
// every error with its position instead of stopping at the first, and can edit a document
// while keeping comments. js-yaml has none of these.

import * as fs from "node:fs";
import * as path from "node:path";
import YAML, { Document, isMap, isScalar, isSeq, LineCounter, Node, Pair, Scalar } from "yaml";
import type { Finding } from "../lint/finding";
import { mapScalar, ScalarMap, ScalarStyle } from "./scalar-map";
import {
  MAX_RULE_FILE_BYTES,
  positionAt,
  readSource,
  SourceFile,
  sourceFromText,
  displayPath,
} from "./source";

export type RuleKind = "hunting" | "analytics";

export interface Rule {
  file: SourceFile;
  doc: Document.Parsed;
  /** The document as plain data (a mapping: files with another top level are not rules). */
  data: Record<string, unknown>;
  kind: RuleKind;
  id?: string;
  name?: string;
  query?: string;
}

export interface LoadResult {
  /** Absent when the file could not be read or is not a YAML mapping. */
  rule?: Rule;
  /** Problems with the file itself: YAML errors, encoding, size, shape. */
  findings: Finding[];
}

/** Alias expansions allowed in one rule file; real rules use none. */
export const MAX_ALIASES = 100;

export function isTestsFile(p: string): boolean {
  return /\.tests\.ya?ml$/i.test(p);
}

/**
 * Rule files under the given files or directories: `.yaml` and `.yml` files, except tests
 * files (`*.tests.yaml`) and anything in a `fixtures` folder. Directories are walked in sorted
 * order so output is stable. Other files named explicitly are returned as they are (lint then
 * reports their extension).
 */
export function findRuleFiles(paths: string[], cwd: string): string[] {
  const out = new Set<string>();
  const visit = (abs: string, explicit: boolean) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      if (explicit) out.add(abs);
      return;
    }
    if (stat.isDirectory()) {
      const base = path.basename(abs);
      if (!explicit && (base === "node_modules" || base === "fixtures" || base.startsWith(".")))
        return;
      for (const name of fs.readdirSync(abs).sort()) visit(path.join(abs, name), false);
      return;
    }
    if (explicit) {
      out.add(abs);
      return;
    }
    if (/\.ya?ml$/i.test(abs) && !isTestsFile(abs)) out.add(abs);
  };
  for (const p of paths) visit(path.resolve(cwd, p), true);
  return [...out];
}

function finding(
  file: string,
  line: number,
  column: number,
  ruleId: string,
  message: string,
  extra: Partial<Finding> = {},
): Finding {
  return {
    file,
    line,
    column,
    endLine: extra.endLine ?? line,
    endColumn: extra.endColumn ?? column,
    ruleId,
    severity: "error",
    message,
    ...extra,
  };
}

/** Reads, decodes and parses one rule file. Never throws. */
export function loadRuleFile(absPath: string, root: string): LoadResult {
  const rel = displayPath(absPath, root);
  const src = readSource(absPath, root);
  if ("kind" in src) {
    switch (src.kind) {
      case "unreadable":
        return {
          findings: [finding(rel, 1, 1, "file-read", `cannot read the file (${src.message})`)],
        };
      case "too-large":
        return {
          findings: [
            finding(
              rel,
              1,
              1,
              "file-size",
              `the file is ${src.bytes} bytes; rule files are limited to ${MAX_RULE_FILE_BYTES} bytes (1 MiB)`,
              { fix: "split it, or move data into a fixture or watchlist" },
            ),
          ],
        };
      case "invalid-utf8":
        return {
          findings: [
            finding(
              rel,
              src.line,
              src.column,
              "file-encoding",
              `the file is not valid UTF-8 (bad byte at offset ${src.offset})`,
              { fix: "save the file as UTF-8" },
            ),
          ],
        };
    }
  }
  return parseRule(src);
}

/** Parses rule text that is already in memory. */
export function loadRuleText(text: string, relPath: string): LoadResult {
  return parseRule(sourceFromText(text, relPath));
}

function parseRule(file: SourceFile): LoadResult {
  const findings: Finding[] = [];
  const at = (offset: number) => positionAt(file, offset);

  if (file.hasBom) {
    findings.push({
      ...finding(file.path, 1, 1, "file-encoding", "the file starts with a byte order mark (BOM)"),
      severity: "warning",
      fix: "save the file as UTF-8 without BOM",
    });
  }
  if (file.crlf) {
    const first = file.text.indexOf("\r\n");
    const p = at(first);
    findings.push({
      ...finding(file.path, p.line, p.column, "line-endings", "the file has CRLF line endings"),
      severity: "warning",
      fix: "use LF line endings (git config core.autocrlf input)",
    });
  }
  if (file.text.trim() === "" || /^(\s*#[^\n]*\n?)*\s*$/.test(file.text)) {
    findings.push(
      finding(
        file.path,
        1,
        1,
        "yaml-shape",
        "the file is empty: a rule is a YAML mapping with id, name, query…",
      ),
    );
    return { findings };
  }

  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    const docs = YAML.parseAllDocuments(file.text, {
      uniqueKeys: true,
      lineCounter,
      prettyErrors: false,
      keepSourceTokens: true,
    });
    const list = Array.isArray(docs) ? docs : [docs];
    if (list.length > 1) {
      const p = at(list[1].range[0]);
      findings.push(
        finding(
          file.path,
          p.line,
          p.column,
          "yaml-shape",
          "the file holds more than one YAML document; a rule file holds one",
          { fix: "remove the `---` separator and split the file" },
        ),
      );
    }
    doc = list[0] as Document.Parsed;
  } catch (err) {
    findings.push(finding(file.path, 1, 1, "yaml-syntax", `YAML cannot be parsed: ${String(err)}`));
    return { findings };
  }

  // Duplicate keys are independent mistakes: report each. Of the other syntax errors only the
  // first is real; the parser's later ones are usually consequences of it.
  const syntax = doc.errors.filter((e) => e.code !== "DUPLICATE_KEY");
  const reported = [...doc.errors.filter((e) => e.code === "DUPLICATE_KEY"), ...syntax.slice(0, 1)];
  for (const e of reported) {
    const p = at(e.pos[0]);
    const q = at(e.pos[1]);
    const hint = e.code === "DUPLICATE_KEY" ? undefined : syntaxHint(file, p.line);
    findings.push(
      finding(
        file.path,
        hint?.line ?? p.line,
        hint?.column ?? p.column,
        e.code === "DUPLICATE_KEY" ? "yaml-duplicate-key" : "yaml-syntax",
        hint?.message ?? yamlMessage(e.message, e.code),
        {
          endLine: hint ? hint.line : q.line,
          endColumn: hint ? hint.column + 1 : q.column,
          fix: hint?.fix ?? yamlFix(e.code),
        },
      ),
    );
  }
  if (doc.errors.length) return { findings };

  if (!isMap(doc.contents)) {
    const node = doc.contents as Node | null;
    const p = node?.range ? at(node.range[0]) : { line: 1, column: 1 };
    const what = isSeq(node) ? "a list" : isScalar(node) ? "a single value" : "not a mapping";
    findings.push(
      finding(
        file.path,
        p.line,
        p.column,
        "yaml-shape",
        `the top level of the file is ${what}; a rule is a mapping with id, name, query…`,
      ),
    );
    return { findings };
  }

  // `__proto__` and friends as keys: data, never prototypes, but almost surely an attack or a
  // mistake, and dangerous to any tool that copies keys into objects.
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (key === "__proto__" || key === "constructor" || key === "prototype") {
      const r = (pair.key as Node).range ?? [0, 0, 0];
      const p = at(r[0]);
      findings.push(
        finding(
          file.path,
          p.line,
          p.column,
          "yaml-shape",
          `the key \`${key}\` is not allowed in a rule`,
          { fix: "remove it" },
        ),
      );
    }
  }

  let data: Record<string, unknown>;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES }) as Record<string, unknown>;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    findings.push(
      finding(
        file.path,
        1,
        1,
        "yaml-syntax",
        `YAML aliases expand too far (${message}); rule files may not use more than ${MAX_ALIASES} aliases`,
        {
          fix: "write the values out instead of using anchors and aliases",
        },
      ),
    );
    return { findings };
  }

  const rule: Rule = {
    file,
    doc,
    data,
    kind: ruleKind(file.path, data),
    id: typeof data.id === "string" ? data.id : undefined,
    name: typeof data.name === "string" ? data.name : undefined,
    query: typeof data.query === "string" ? data.query : undefined,
  };
  return { rule, findings };
}

/**
 * The usual causes of a YAML syntax error in a rule, named in plain words: a tab used for
 * indentation (anywhere up to the error), or a key with no space after its colon.
 */
function syntaxHint(
  file: SourceFile,
  errorLine: number,
): { line: number; column: number; message: string; fix: string } | undefined {
  const lines = file.text.split("\n");
  for (let i = 0; i < Math.min(lines.length, errorLine + 1); i++) {
    const lead = /^[ \t]*/.exec(lines[i])?.[0] ?? "";
    const tab = lead.indexOf("\t");
    if (tab >= 0 && lines[i].trim() !== "") {
      return {
        line: i + 1,
        column: tab + 1,
        message: "this line is indented with a tab; YAML allows only spaces for indentation",
        fix: "replace the tab with spaces",
      };
    }
  }
  const line = lines[errorLine - 1] ?? "";
  const m = /^(\s*)([A-Za-z_][\w-]*):(?=[^\s:/])/.exec(line);
  if (m) {
    return {
      line: errorLine,
      column: m[1].length + m[2].length + 2,
      message: `\`${m[2]}:\` needs a space after the colon, or YAML does not see a key`,
      fix: `write \`${m[2]}: ${line.slice(m[0].length).trim().slice(0, 30)}\``,
    };
  }
  return undefined;
}

function yamlMessage(message: string, code: string): string {
  const plain = message.replace(/ at line \d+, column \d+:?[\s\S]*$/, "").trim();
  if (code === "TAB_AS_INDENT") return "a tab is used for indentation; YAML allows only spaces";
  if (code === "DUPLICATE_KEY") return `${plain}: this key appears more than once in the mapping`;
  return plain;
}

function yamlFix(code: string): string | undefined {
  switch (code) {
    case "TAB_AS_INDENT":
      return "indent with spaces";
    case "DUPLICATE_KEY":
      return "keep one of the keys";
    default:
      return undefined;
  }
}

/**
 * A rule's kind: by folder first (`hunting/` or `analytics/`, as the repository is laid out),
 * then by content (Scheduled and NRT rules, or schedule fields, are analytics rules).
 */
export function ruleKind(relPath: string, data: Record<string, unknown>): RuleKind {
  if (/(^|\/)hunting\//i.test(relPath)) return "hunting";
  if (/(^|\/)analytics\//i.test(relPath)) return "analytics";
  const kind = typeof data.kind === "string" ? data.kind : "";
  if (/^(scheduled|nrt)$/i.test(kind)) return "analytics";
  if ("queryFrequency" in data || "triggerOperator" in data) return "analytics";
  return "hunting";
}

export type NodePath = readonly (string | number)[];

/** The YAML node at a path (`["tactics", 1]`), if present. */
export function nodeAt(rule: Rule, nodePath: NodePath): Node | undefined {
  if (nodePath.length === 0) return rule.doc.contents as Node;
  const n = rule.doc.getIn(nodePath as (string | number)[], true);
  return (n as Node | undefined) ?? undefined;
}

/** The key/value pair of a mapping entry at a path (`["tactics"]`), if present. */
export function pairAt(rule: Rule, nodePath: NodePath): Pair | undefined {
  const parent = nodePath.length > 1 ? nodeAt(rule, nodePath.slice(0, -1)) : rule.doc.contents;
  const key = nodePath[nodePath.length - 1];
  if (!isMap(parent)) return undefined;
  return parent.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Offsets into the file text. */
  start: number;
  end: number;
}

/**
 * Where to point for a path: the value's node when it exists, else the nearest existing
 * ancestor's key (a missing `tactics` points at the document start; a bad `tactics[1]` at
 * that item).
 */
export function rangeOf(rule: Rule, nodePath: NodePath): Range {
  for (let depth = nodePath.length; depth >= 0; depth--) {
    const p = nodePath.slice(0, depth);
    const node = nodeAt(rule, p);
    if (node?.range) {
      // For mappings and sequences point at the first line, not the whole block.
      const start = node.range[0];
      let end = node.range[1];
      if (isMap(node) || isSeq(node)) {
        const nl = rule.file.text.indexOf("\n", start);
        end = nl < 0 ? end : Math.min(end, nl);
      }
      return toRange(rule.file, start, end);
    }
    if (depth > 0) {
      const pair = pairAt(rule, p);
      const key = pair?.key as Node | undefined;
      if (key?.range) return toRange(rule.file, key.range[0], key.range[1]);
    }
  }
  return toRange(rule.file, 0, 0);
}

/** Where a mapping key sits (`tactics:`), for findings about the entry as a whole. */
export function keyRangeOf(rule: Rule, nodePath: NodePath): Range {
  const pair = pairAt(rule, nodePath);
  const key = pair?.key as Node | undefined;
  if (key?.range) return toRange(rule.file, key.range[0], key.range[1]);
  return rangeOf(rule, nodePath);
}

export function toRange(file: SourceFile, start: number, end: number): Range {
  const a = positionAt(file, start);
  const b = positionAt(file, Math.max(start, end));
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, start, end };
}

const scalarMaps = new WeakMap<Rule, ScalarMap | null>();

/**
 * The map from the query's characters to file offsets (null when the rule has no string
 * query). `offsets[i]` is the file offset of `rule.query[i]`.
 */
export function queryMap(rule: Rule): ScalarMap | null {
  if (scalarMaps.has(rule)) return scalarMaps.get(rule) ?? null;
  const node = nodeAt(rule, ["query"]);
  let map: ScalarMap | null = null;
  if (isScalar(node) && typeof node.value === "string" && node.range) {
    map = mapScalar(
      rule.file,
      node.range[0],
      node.range[1],
      node.value,
      (node as Scalar).type as ScalarStyle,
    );
  }
  scalarMaps.set(rule, map);
  return map;
}

/** The file range of the query characters [start, end). */
export function queryRange(rule: Rule, start: number, end: number): Range {
  const map = queryMap(rule);
  if (!map) return rangeOf(rule, ["query"]);
  const clamp = (i: number) => Math.max(0, Math.min(i, map.offsets.length - 1));
  const a = map.offsets[clamp(start)];
  const lastChar = end > start ? map.offsets[clamp(end - 1)] + 1 : a;
  return toRange(rule.file, a, lastChar);
}
