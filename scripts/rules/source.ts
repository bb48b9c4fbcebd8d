// A rule file as read from disk: its text and the facts needed to turn offsets into the
// line:column a reviewer sees, and to write the file back byte-for-byte.

import * as fs from "node:fs";
import * as path from "node:path";

export const MAX_RULE_FILE_BYTES = 1024 * 1024;

export interface SourceFile {
  /** Path relative to the repository root, forward slashes (what findings print). */
  path: string;
  absPath: string;
  /** The decoded text, without a BOM. Offsets everywhere index into this string. */
  text: string;
  hasBom: boolean;
  /** True when any line ends with CRLF. */
  crlf: boolean;
  /** Offset of the first character of each line. */
  lineStarts: number[];
}

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
}

export type ReadFailure =
  | { kind: "unreadable"; message: string }
  | { kind: "too-large"; bytes: number }
  | { kind: "invalid-utf8"; offset: number; line: number; column: number };

/** The repository-relative form of a path, as printed in findings. */
export function displayPath(absPath: string, root: string): string {
  const rel = path.relative(root, absPath);
  return (path.isAbsolute(rel) ? absPath : rel).split(path.sep).join("/");
}

export function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

/** Makes a SourceFile from text already in memory (tests, stdin, fixes). */
export function sourceFromText(text: string, relPath: string, absPath = relPath): SourceFile {
  const hasBom = text.charCodeAt(0) === 0xfeff;
  const body = hasBom ? text.slice(1) : text;
  return {
    path: relPath,
    absPath,
    text: body,
    hasBom,
    crlf: body.includes("\r\n"),
    lineStarts: computeLineStarts(body),
  };
}

/** Reads and decodes a rule file; never throws. */
export function readSource(absPath: string, root: string): SourceFile | ReadFailure {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(absPath);
    if (stat.size > MAX_RULE_FILE_BYTES) return { kind: "too-large", bytes: stat.size };
    bytes = fs.readFileSync(absPath);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { kind: "unreadable", message: e.code ? `${e.code}: ${e.message}` : String(err) };
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { kind: "invalid-utf8", ...firstInvalidUtf8(bytes) };
  }
  return sourceFromText(text, displayPath(absPath, root), absPath);
}

/** Where the first byte that is not valid UTF-8 sits, as offset and line:column. */
function firstInvalidUtf8(bytes: Buffer): { offset: number; line: number; column: number } {
  let i = 0;
  let line = 1;
  let column = 1;
  while (i < bytes.length) {
    const b = bytes[i];
    let len = 0;
    if (b < 0x80) len = 1;
    else if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) len = 3;
    else if (b >= 0xf0 && b <= 0xf4) len = 4;
    let ok = len > 0 && i + len <= bytes.length;
    for (let k = 1; ok && k < len; k++) ok = (bytes[i + k] & 0xc0) === 0x80;
    if (ok && len > 1) {
      // Overlong and surrogate forms are invalid too; TextDecoder agrees.
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(i, i + len));
      } catch {
        ok = false;
      }
    }
    if (!ok) return { offset: i, line, column };
    if (b === 10) {
      line++;
      column = 1;
    } else column++;
    i += len;
  }
  return { offset: i, line, column };
}

/** The 1-based line and column of a character offset. */
export function positionAt(file: SourceFile, offset: number): Position {
  const starts = file.lineStarts;
  const o = Math.max(0, Math.min(offset, file.text.length));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= o) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: o - starts[lo] + 1 };
}

/** The offset of a 1-based line and column. */
export function offsetAt(file: SourceFile, pos: Position): number {
  const start = file.lineStarts[Math.max(0, Math.min(pos.line - 1, file.lineStarts.length - 1))];
  return Math.min(start + pos.column - 1, file.text.length);
}

/** The file's bytes for a new text, keeping the BOM it had. */
export function encodeSource(file: SourceFile, text: string): Buffer {
  return Buffer.from((file.hasBom ? "\ufeff" : "") + text, "utf8");
}
