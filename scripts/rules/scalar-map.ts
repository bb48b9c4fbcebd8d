// Maps a character of a YAML scalar's value back to the character of the file it came from.
//
// A diagnostic at offset N of a rule's query must land on the file line of that query
// character, whatever the scalar's style: block literal (`|`, `|-`, `|+`, `|2`), folded (`>`),
// double-quoted (escapes), single-quoted (`''`) or plain. We rebuild the value from the
// source text while recording where each character came from, then check the rebuild
// against the value the YAML parser produced; if they ever disagree (an exotic form), we fall
// back to a line-by-line approximation instead of pointing at a wrong place silently.

import type { SourceFile } from "./source";

export type ScalarStyle =
  "BLOCK_LITERAL" | "BLOCK_FOLDED" | "QUOTE_DOUBLE" | "QUOTE_SINGLE" | "PLAIN";

export interface ScalarMap {
  /** File offset of each value character; one extra entry for the end of the value. */
  offsets: number[];
  /** True when the map was rebuilt exactly; false when it is a line-level approximation. */
  exact: boolean;
}

interface Built {
  value: string;
  offsets: number[];
}

/**
 * `start`/`end`: the scalar's range in the file text (yaml's `node.range[0]`/`[1]`),
 * `value`: the parsed value, `style`: yaml's scalar type.
 */
export function mapScalar(
  file: SourceFile,
  start: number,
  end: number,
  value: string,
  style: ScalarStyle,
): ScalarMap {
  let built: Built | undefined;
  try {
    if (style === "BLOCK_LITERAL" || style === "BLOCK_FOLDED") built = buildBlock(file, start, end);
    else if (style === "QUOTE_DOUBLE") built = buildDouble(file.text, start, end);
    else if (style === "QUOTE_SINGLE") built = buildSingle(file.text, start, end);
    else built = buildPlain(file.text, start, end);
  } catch {
    built = undefined;
  }
  if (built && built.value === value) {
    return { offsets: [...built.offsets, built.offsets.length ? end : start], exact: true };
  }
  return { offsets: approximate(file.text, start, end, value), exact: false };
}

function lineEnd(text: string, i: number): number {
  const n = text.indexOf("\n", i);
  return n < 0 ? text.length : n;
}

/** Strips a trailing CR: CRLF files decode the break as one "\n" in values. */
function contentEnd(text: string, lineStart: number, lineStop: number): number {
  return lineStop > lineStart && text.charCodeAt(lineStop - 1) === 13 ? lineStop - 1 : lineStop;
}

function buildBlock(file: SourceFile, start: number, end: number): Built {
  const text = file.text;
  const headerEnd = lineEnd(text, start);
  const header = text
    .slice(start, headerEnd)
    .replace(/\s+#.*$/, "")
    .trim();
  const folded = header.startsWith(">");
  const indicator = /[1-9]/.exec(header);
  const chomp = header.includes("-") ? "strip" : header.includes("+") ? "keep" : "clip";

  // Content lines run from the line after the header to `end`.
  const lines: { start: number; stop: number }[] = [];
  let i = headerEnd + 1;
  while (i <= end && i < text.length) {
    const stop = lineEnd(text, i);
    lines.push({ start: i, stop: contentEnd(text, i, stop) });
    i = stop + 1;
  }
  // Drop a trailing partial line that lies beyond the scalar.
  while (lines.length && lines[lines.length - 1].start >= end) lines.pop();

  let indent: number;
  if (indicator) {
    const headerLineStart = text.lastIndexOf("\n", start - 1) + 1;
    const keyLine = text.slice(headerLineStart, start);
    const parentIndent = keyLine.length - keyLine.trimStart().length;
    indent = parentIndent + Number(indicator[0]);
  } else {
    indent = 0;
    for (const l of lines) {
      const s = text.slice(l.start, l.stop);
      if (s.trim().length) {
        indent = s.length - s.trimStart().length;
        break;
      }
    }
  }

  const chars: string[] = [];
  const offsets: number[] = [];
  const push = (ch: string, at: number) => {
    chars.push(ch);
    offsets.push(at);
  };

  // Literal: each content line minus its indentation, joined by "\n".
  // Folded: a break between two non-empty, non-more-indented lines becomes a space;
  // each empty line between them contributes a "\n" instead.
  let prevKind: "none" | "normal" | "more" | "empty" = "none";
  let pendingBreaks: number[] = [];
  const flushBreaks = (nextKind: "normal" | "more") => {
    if (!folded) {
      for (const at of pendingBreaks) push("\n", at);
    } else if (pendingBreaks.length) {
      const [first, ...rest] = pendingBreaks;
      if (prevKind === "normal" && nextKind === "normal") {
        if (rest.length === 0) push(" ", first);
        else for (const at of rest) push("\n", at);
      } else {
        for (const at of pendingBreaks) push("\n", at);
      }
    }
    pendingBreaks = [];
  };

  for (const l of lines) {
    const raw = text.slice(l.start, l.stop);
    const isEmpty = raw.slice(0, Math.max(indent, 0)).trim() === "" && raw.length <= indent;
    const blankish = raw.trim() === "" && raw.length <= indent;
    if (blankish || isEmpty) {
      if (prevKind !== "none") pendingBreaks.push(l.start - 1);
      else pendingBreaks.push(l.start);
      if (prevKind === "none") prevKind = "empty";
      continue;
    }
    const kind: "normal" | "more" = /^[ \t]/.test(raw.slice(indent)) ? "more" : "normal";
    if (prevKind === "normal" || prevKind === "more") {
      // the break that ends the previous content line
      pendingBreaks.unshift(l.start - 1);
    }
    if (prevKind === "empty" && chars.length === 0) {
      // leading empty lines are plain newlines in both styles
      for (const at of pendingBreaks) push("\n", at);
      pendingBreaks = [];
    } else flushBreaks(kind);
    for (let k = l.start + indent; k < l.stop; k++) push(text[k], k);
    prevKind = kind;
  }
  // Trailing breaks: the final line break, then trailing empty lines (kept only with `+`).
  const finalBreaks: number[] = [];
  if (prevKind === "normal" || prevKind === "more") {
    const last = lines.filter((l) => text.slice(l.start, l.stop).trim() !== "").pop();
    if (last) finalBreaks.push(last.stop);
  }
  if (chomp === "keep") {
    for (const at of [...finalBreaks, ...pendingBreaks]) push("\n", at);
  } else if (chomp === "clip" && finalBreaks.length) {
    push("\n", finalBreaks[0]);
  }
  return { value: chars.join(""), offsets };
}

function buildSingle(text: string, start: number, end: number): Built {
  const chars: string[] = [];
  const offsets: number[] = [];
  // Quoted multi-line scalars fold like plain ones; handle the common single-line case
  // exactly and let the verifier reject anything else.
  for (let i = start + 1; i < end - 1; i++) {
    if (text[i] === "'" && text[i + 1] === "'") {
      chars.push("'");
      offsets.push(i);
      i++;
      continue;
    }
    if (text[i] === "\n" || text[i] === "\r") return foldQuoted(text, start, end, "'");
    chars.push(text[i]);
    offsets.push(i);
  }
  return { value: chars.join(""), offsets };
}

const simpleEscapes: Record<string, string> = {
  "0": "\0",
  a: "\x07",
  b: "\b",
  t: "\t",
  "\t": "\t",
  n: "\n",
  v: "\v",
  f: "\f",
  r: "\r",
  e: "\x1b",
  " ": " ",
  '"': '"',
  "/": "/",
  "\\": "\\",
  N: "\x85",
  _: "\xa0",
  L: "\u2028",
  P: "\u2029",
};

function buildDouble(text: string, start: number, end: number): Built {
  const chars: string[] = [];
  const offsets: number[] = [];
  for (let i = start + 1; i < end - 1; i++) {
    const ch = text[i];
    if (ch === "\n" || ch === "\r") return foldQuoted(text, start, end, '"');
    if (ch !== "\\") {
      chars.push(ch);
      offsets.push(i);
      continue;
    }
    const e = text[i + 1];
    if (e in simpleEscapes) {
      chars.push(simpleEscapes[e]);
      offsets.push(i);
      i++;
      continue;
    }
    const hexLen = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (!hexLen) return foldQuoted(text, start, end, '"');
    const cp = parseInt(text.slice(i + 2, i + 2 + hexLen), 16);
    for (const c of String.fromCodePoint(cp)) {
      chars.push(c);
      offsets.push(i);
    }
    i += 1 + hexLen;
  }
  return { value: chars.join(""), offsets };
}

/**
 * Multi-line flow scalars (quoted or plain): YAML folds them. Trailing white space of a line
 * and leading white space of the next are dropped; one line break becomes a space, and each
 * further (empty) line a "\n". In double quotes, a backslash before the break joins the lines
 * without a space, and escapes apply; in single quotes `''` is a quote.
 */
function foldQuoted(text: string, start: number, end: number, quote: string): Built {
  const chars: string[] = [];
  const offsets: number[] = [];
  const push = (ch: string, at: number) => {
    chars.push(ch);
    offsets.push(at);
  };
  const from = quote ? start + 1 : start;
  const to = quote ? end - 1 : end;
  const isBreak = (i: number) => text[i] === "\n" || (text[i] === "\r" && text[i + 1] === "\n");
  const breakWidth = (i: number) => (text[i] === "\r" ? 2 : 1);
  const skipBlanks = (i: number) => {
    while (i < to && (text[i] === " " || text[i] === "\t")) i++;
    return i;
  };
  let pending: number[] = [];
  let i = from;
  while (i < to) {
    const c = text[i];
    if (isBreak(i)) {
      pending = [];
      const breaks = [i];
      let j = skipBlanks(i + breakWidth(i));
      while (j < to && isBreak(j)) {
        breaks.push(j);
        j = skipBlanks(j + breakWidth(j));
      }
      if (breaks.length === 1) push(" ", i);
      else for (const at of breaks.slice(1)) push("\n", at);
      i = j;
      continue;
    }
    if (c === " " || c === "\t") {
      pending.push(i);
      i++;
      continue;
    }
    for (const at of pending) push(text[at], at);
    pending = [];
    if (quote === '"' && c === "\\") {
      const e = text[i + 1];
      if (isBreak(i + 1)) {
        i = skipBlanks(i + 1 + breakWidth(i + 1));
        continue;
      }
      if (e in simpleEscapes) {
        push(simpleEscapes[e], i);
        i += 2;
        continue;
      }
      const hexLen = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
      if (!hexLen) return { value: "\u0000unmapped", offsets: [] };
      const cp = parseInt(text.slice(i + 2, i + 2 + hexLen), 16);
      for (const ch of String.fromCodePoint(cp)) push(ch, i);
      i += 2 + hexLen;
      continue;
    }
    if (quote === "'" && c === "'" && text[i + 1] === "'") {
      push("'", i);
      i += 2;
      continue;
    }
    push(c, i);
    i++;
  }
  // Inside quotes, white space before the closing quote is content; a plain scalar ends at
  // its last non-blank character.
  if (quote) for (const at of pending) push(text[at], at);
  return { value: chars.join(""), offsets };
}

function buildPlain(text: string, start: number, end: number): Built {
  const raw = text.slice(start, end);
  if (raw.includes("\n")) return foldQuoted(text, start, end, "");
  const offsets: number[] = [];
  for (let i = 0; i < raw.length; i++) offsets.push(start + i);
  return { value: raw, offsets };
}

/**
 * Line-level fallback: each value line is looked up in the source lines of the scalar, in
 * order; characters map to the found line (column by position where the text matches).
 */
function approximate(text: string, start: number, end: number, value: string): number[] {
  const offsets: number[] = [];
  let cursor = start;
  const valueLines = value.split("\n");
  for (let li = 0; li < valueLines.length; li++) {
    const vl = valueLines[li];
    const probe = vl.trim();
    let at = probe ? text.indexOf(probe, cursor) : -1;
    if (at < 0 || at > end) at = Math.min(cursor, end);
    const lead = vl.length - vl.trimStart().length;
    for (let k = 0; k < vl.length; k++) offsets.push(Math.min(at - lead + k, end));
    const nextLine = text.indexOf("\n", at);
    cursor = nextLine < 0 ? end : Math.min(nextLine + 1, end);
    if (li < valueLines.length - 1) offsets.push(Math.min(nextLine < 0 ? end : nextLine, end));
  }
  offsets.push(end);
  return offsets;
}
