// String functions: strlen, substring, strcat, strcat_delim, strcat_array, split, replace_*,
// trim*, tolower/toupper, indexof, extract, extract_all, countof, reverse, base64_*, strrep,
// has_any_index, string_size, translate, isascii, to_utf8, unicode_codepoints_*, make_string,
// strcmp, parse_csv, parse_command_line, format_bytes.
//
// Kusto's string is never null (it is ""), and a non-string argument is first converted to
// its Kusto string form (`strcat(1, 1s)` is "100:00:01"), so arguments go through `str()`.

import { randomUUID } from "node:crypto";
import type { Json, KustoType, Value } from "../values";
import { newBag, toGuid, toKustoString, toNumber } from "./coerce";
import { parseDatetime, parseTimespan } from "./datetime-format";
import { defineScalar, type CallContext } from "./registry";
import {
  firstMatch,
  firstMatchGroup,
  groupNames,
  matchAll,
  quoteRegex,
  replaceAllRegex,
} from "./regex";

/** Argument `i` as a Kusto string. */
export function str(args: Value[], ctx: CallContext, i: number): string {
  return toKustoString(args[i] ?? null, ctx.argTypes[i]);
}

function int(v: Value | undefined): number | null {
  if (v === undefined || v === null) return null;
  const n = toNumber(v);
  return n === null || Number.isNaN(n) ? null : Math.trunc(n);
}

function codePoints(s: string): string[] {
  return Array.from(s);
}

defineScalar({
  name: "strlen",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => codePoints(str(args, ctx, 0)).length,
});

defineScalar({
  name: "string_size",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => Buffer.byteLength(str(args, ctx, 0), "utf8"),
});

defineScalar({
  name: "substring",
  minArgs: 2,
  maxArgs: 3,
  impl: (args, ctx) => {
    const chars = codePoints(str(args, ctx, 0));
    let start = int(args[1]);
    if (start === null) return "";
    if (start < 0) start = Math.max(0, chars.length + start);
    const len = args.length > 2 ? int(args[2]) : null;
    if (args.length > 2 && (len === null || len < 0)) return "";
    const end = len === null ? chars.length : Math.min(chars.length, start + len);
    return chars.slice(start, end).join("");
  },
});

defineScalar({
  name: "strcat",
  minArgs: 1,
  maxArgs: 64,
  impl: (args, ctx) => args.map((_, i) => str(args, ctx, i)).join(""),
});

defineScalar({
  name: "strcat_delim",
  minArgs: 3,
  maxArgs: 65,
  impl: (args, ctx) =>
    args
      .slice(1)
      .map((_, i) => str(args, ctx, i + 1))
      .join(str(args, ctx, 0)),
});

/** The string form of a dynamic array element (strings unquoted, the rest as JSON). */
function elementText(v: Json): string {
  return toKustoString(v as Value, "dynamic");
}

defineScalar({
  name: "strcat_array",
  aliases: ["array_strcat"],
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const arr = args[0];
    if (!Array.isArray(arr)) return "";
    return arr.map(elementText).join(str(args, ctx, 1));
  },
});

defineScalar({
  name: "split",
  minArgs: 2,
  maxArgs: 3,
  impl: (args, ctx) => {
    const parts = str(args, ctx, 0).split(str(args, ctx, 1));
    if (args.length < 3) return parts;
    const i = int(args[2]);
    if (i === null) return null;
    return i >= 0 && i < parts.length ? [parts[i]] : [];
  },
});

defineScalar({
  name: "replace_string",
  minArgs: 3,
  maxArgs: 3,
  impl: (args, ctx) => {
    const lookup = str(args, ctx, 1);
    const text = str(args, ctx, 0);
    return lookup === "" ? text : text.split(lookup).join(str(args, ctx, 2));
  },
});

defineScalar({
  name: "replace_strings",
  minArgs: 3,
  maxArgs: 3,
  impl: (args, ctx) => {
    const text = str(args, ctx, 0);
    const lookups = Array.isArray(args[1]) ? args[1].map(elementText) : [];
    const rewrites = Array.isArray(args[2]) ? args[2].map(elementText) : [];
    // Earlier lookups win: their matches are claimed first, later ones only fill the gaps.
    const claimed: { start: number; end: number; rewrite: string }[] = [];
    lookups.forEach((lookup, li) => {
      if (lookup === "") return;
      for (let at = text.indexOf(lookup); at >= 0; at = text.indexOf(lookup, at + lookup.length)) {
        const end = at + lookup.length;
        if (claimed.some((c) => at < c.end && end > c.start)) continue;
        claimed.push({ start: at, end, rewrite: rewrites[li] ?? "" });
      }
    });
    claimed.sort((a, b) => a.start - b.start);
    let out = "";
    let last = 0;
    for (const c of claimed) {
      out += text.slice(last, c.start) + c.rewrite;
      last = c.end;
    }
    return out + text.slice(last);
  },
});

defineScalar({
  name: "replace_regex",
  aliases: ["replace"],
  minArgs: 3,
  maxArgs: 3,
  impl: (args, ctx) => replaceAllRegex(str(args, ctx, 0), str(args, ctx, 1), str(args, ctx, 2)),
});

function trimStart(pattern: string, text: string): string {
  const m = firstMatch(`^(?:${pattern})+`, text);
  return m ? text.slice(m.end) : text;
}

function trimEnd(pattern: string, text: string): string {
  // RE2 finds the leftmost match of `(?:p)+$`, which is the longest trailing run.
  const m = firstMatch(`(?:${pattern})+$`, text);
  return m && m.end > m.start ? text.slice(0, m.start) : text;
}

defineScalar({
  name: "trim",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => trimEnd(str(args, ctx, 0), trimStart(str(args, ctx, 0), str(args, ctx, 1))),
});

defineScalar({
  name: "trim_start",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => trimStart(str(args, ctx, 0), str(args, ctx, 1)),
});

defineScalar({
  name: "trim_end",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => trimEnd(str(args, ctx, 0), str(args, ctx, 1)),
});

defineScalar({
  name: "tolower",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => str(args, ctx, 0).toLowerCase(),
});

defineScalar({
  name: "toupper",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => str(args, ctx, 0).toUpperCase(),
});

/**
 * The search behind `indexof` and `array_index_of`: each occurrence is searched in the window
 * of `length` items starting at the previous occurrence + 1 (that is how Kusto's documented
 * examples behave), and a negative start counts from the end.
 */
export function windowedIndexOf(
  size: number,
  findFrom: (from: number, to: number) => number,
  startArg: number | null,
  lengthArg: number | null,
  occurrenceArg: number | null,
): number | null {
  let start = startArg ?? 0;
  const length = lengthArg ?? -1;
  const occurrence = occurrenceArg ?? 1;
  if (occurrence < 1 || length < -1) return null;
  if (start < 0) start = Math.max(0, size + start);
  if (start > size) return -1;
  let pos = start;
  for (let k = 1; ; k++) {
    const to = length < 0 ? size : Math.min(size, pos + length);
    const at = findFrom(pos, to);
    if (at < 0) return -1;
    if (k === occurrence) return at;
    pos = at + 1;
  }
}

defineScalar({
  name: "indexof",
  minArgs: 2,
  maxArgs: 5,
  impl: (args, ctx) => {
    const text = str(args, ctx, 0);
    const lookup = str(args, ctx, 1);
    return windowedIndexOf(
      text.length,
      (from, to) => {
        const at = text.slice(0, to).indexOf(lookup, from);
        return at;
      },
      int(args[2]),
      int(args[3]),
      int(args[4]),
    );
  },
});

defineScalar({
  name: "indexof_regex",
  minArgs: 2,
  maxArgs: 5,
  impl: (args, ctx) => {
    const text = str(args, ctx, 0);
    const pattern = str(args, ctx, 1);
    return windowedIndexOf(
      text.length,
      (from, to) => {
        const m = firstMatch(pattern, text.slice(from, to));
        return m ? from + m.start : -1;
      },
      int(args[2]),
      int(args[3]),
      int(args[4]),
    );
  },
});

/** Converts extracted text to the type `extract(..., typeof(T))` asks for. */
export function typedText(text: string | null, t: KustoType): Value {
  if (t === "string") return text ?? "";
  if (text === null) return null;
  switch (t) {
    case "int":
    case "long": {
      const n = toNumber(text);
      return n === null || !Number.isFinite(n) ? null : Math.trunc(n);
    }
    case "real":
    case "decimal":
      return toNumber(text);
    case "bool":
      return /^(true|1)$/i.test(text) ? true : /^(false|0)$/i.test(text) ? false : null;
    case "datetime":
      return parseDatetime(text);
    case "timespan":
      return parseTimespan(text);
    case "guid":
      return toGuid(text);
    default:
      return text;
  }
}

defineScalar({
  name: "extract",
  minArgs: 3,
  maxArgs: 4,
  impl: (args, ctx) => {
    const group = int(args[1]);
    const text =
      group === null ? null : firstMatchGroup(str(args, ctx, 0), str(args, ctx, 2), group);
    return typedText(text, ctx.resultType);
  },
});

defineScalar({
  name: "regex_quote",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => quoteRegex(str(args, ctx, 0)),
});

defineScalar({
  name: "extract_all",
  aliases: ["extractall"],
  minArgs: 2,
  maxArgs: 3,
  impl: (args, ctx) => {
    const pattern = str(args, ctx, 0);
    const text = str(args, ctx, args.length - 1);
    const names = groupNames(pattern);
    let wanted: number[];
    if (args.length === 3 && Array.isArray(args[1])) {
      wanted = args[1].map((g) =>
        typeof g === "number" ? g : names.indexOf(typeof g === "string" ? g : undefined),
      );
    } else {
      wanted = names.length > 1 ? names.slice(1).map((_, i) => i + 1) : [0];
    }
    const out: Json[] = [];
    for (const m of matchAll(pattern, text)) {
      const vals = wanted.map((g) => m.groups[g] ?? "");
      out.push(wanted.length === 1 && args.length === 2 ? vals[0] : vals);
    }
    return out.length ? out : null;
  },
});

defineScalar({
  name: "extract_all_named",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const out: Json[] = [];
    for (const m of matchAll(str(args, ctx, 0), str(args, ctx, 1), true)) {
      const bag = newBag();
      for (const [k, v] of Object.entries(m.named)) bag[k] = v ?? "";
      out.push(bag);
    }
    return out;
  },
});

defineScalar({
  name: "countof",
  minArgs: 2,
  maxArgs: 3,
  impl: (args, ctx) => {
    const text = str(args, ctx, 0);
    const search = str(args, ctx, 1);
    const kind = args.length > 2 ? str(args, ctx, 2) : "normal";
    if (kind === "regex") {
      let n = 0;
      for (const m of matchAll(search, text)) if (m.end > m.start || search === "") n++;
      return n;
    }
    if (search === "") return 0;
    // Plain-text occurrences may overlap: countof("aaa", "aa") is 2.
    let n = 0;
    for (let at = text.indexOf(search); at >= 0; at = text.indexOf(search, at + 1)) n++;
    return n;
  },
});

defineScalar({
  name: "reverse",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) =>
    codePoints(str(args, ctx, 0))
      .reverse()
      .join(""),
});

defineScalar({
  name: "strrep",
  minArgs: 2,
  maxArgs: 3,
  impl: (args, ctx) => {
    const n = int(args[1]);
    if (n === null || n <= 0) return "";
    const delim = args.length > 2 ? str(args, ctx, 2) : "";
    return Array(Math.min(n, 1024))
      .fill(str(args, ctx, 0))
      .join(delim);
  },
});

defineScalar({
  name: "strcmp",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const a = str(args, ctx, 0);
    const b = str(args, ctx, 1);
    return a < b ? -1 : a > b ? 1 : 0;
  },
});

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
}

/** Kusto's `has`: `term` occurs in `text` on term boundaries, ignoring case. */
export function hasTerm(text: string, term: string): boolean {
  if (term === "") return true;
  const t = text.toLowerCase();
  const q = term.toLowerCase();
  for (let at = t.indexOf(q); at >= 0; at = t.indexOf(q, at + 1)) {
    const beforeOk = !isWordChar(q[0]) || !isWordChar(t[at - 1]);
    const afterOk = !isWordChar(q[q.length - 1]) || !isWordChar(t[at + q.length]);
    if (beforeOk && afterOk) return true;
  }
  return false;
}

defineScalar({
  name: "has_any_index",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const text = str(args, ctx, 0);
    const lookups = args[1];
    if (!Array.isArray(lookups)) return -1;
    return lookups.findIndex((l) => hasTerm(text, elementText(l)));
  },
});

defineScalar({
  name: "translate",
  minArgs: 3,
  maxArgs: 3,
  impl: (args, ctx) => {
    const from = codePoints(str(args, ctx, 0));
    const to = codePoints(str(args, ctx, 1));
    return codePoints(str(args, ctx, 2))
      .map((ch) => {
        const i = from.indexOf(ch);
        if (i < 0) return ch;
        if (to.length === 0) return "";
        return to[Math.min(i, to.length - 1)];
      })
      .join("");
  },
});

defineScalar({
  name: "isascii",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => /^[\x00-\x7f]*$/.test(str(args, ctx, 0)),
});

defineScalar({
  name: "isutf8",
  minArgs: 1,
  maxArgs: 1,
  // A JS string is UTF-16; it is valid Unicode unless it holds a lone surrogate.
  impl: (args, ctx) =>
    !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(
      str(args, ctx, 0),
    ),
});

defineScalar({
  name: "to_utf8",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => [...Buffer.from(str(args, ctx, 0), "utf8")],
});

defineScalar({
  name: "unicode_codepoints_from_string",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => codePoints(str(args, ctx, 0)).map((c) => c.codePointAt(0) ?? 0),
});

function fromCodePoints(values: Value[]): string | null {
  let out = "";
  for (const v of values) {
    const items = Array.isArray(v) ? v : [v];
    for (const x of items) {
      if (typeof x !== "number" || !Number.isInteger(x) || x < 0 || x > 0x10ffff) return null;
      out += String.fromCodePoint(x);
    }
  }
  return out;
}

defineScalar({
  name: "unicode_codepoints_to_string",
  minArgs: 1,
  maxArgs: Infinity,
  impl: (args) => fromCodePoints(args) ?? "",
});

defineScalar({
  name: "make_string",
  minArgs: 1,
  maxArgs: 64,
  impl: (args) => fromCodePoints(args) ?? "",
});

// --- base64 ---------------------------------------------------------------------------------

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes strict (padded) base64; undefined when malformed. */
function base64Bytes(text: string): Buffer | undefined {
  const s = text.trim();
  return BASE64_RE.test(s) ? Buffer.from(s, "base64") : undefined;
}

defineScalar({
  name: "base64_encode_tostring",
  aliases: ["base64_encodestring"],
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => Buffer.from(str(args, ctx, 0), "utf8").toString("base64"),
});

defineScalar({
  name: "base64_decode_tostring",
  aliases: ["base64_decodestring"],
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const bytes = base64Bytes(str(args, ctx, 0));
    if (!bytes) return "";
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      // Bytes that are not UTF-8 decode to the empty string, as in Kusto.
      return "";
    }
  },
});

defineScalar({
  name: "base64_decode_toarray",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const bytes = base64Bytes(str(args, ctx, 0));
    return bytes ? [...bytes] : null;
  },
});

defineScalar({
  name: "base64_encode_fromarray",
  minArgs: 1,
  maxArgs: 1,
  impl: ([arr]) => {
    if (!Array.isArray(arr)) return "";
    if (!arr.every((b) => typeof b === "number" && Number.isInteger(b) && b >= 0 && b < 256))
      return "";
    return Buffer.from(arr as number[]).toString("base64");
  },
});

/** A guid's 16 bytes in .NET's `Guid.ToByteArray` order (first three fields little-endian). */
function guidBytes(guid: string): Buffer | undefined {
  const hex = guid.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) return undefined;
  const b = Buffer.from(hex, "hex");
  return Buffer.concat([
    Buffer.from(b.subarray(0, 4)).reverse(),
    Buffer.from(b.subarray(4, 6)).reverse(),
    Buffer.from(b.subarray(6, 8)).reverse(),
    b.subarray(8),
  ]);
}

defineScalar({
  name: "base64_encode_fromguid",
  minArgs: 1,
  maxArgs: 1,
  impl: ([g]) => {
    const b = typeof g === "string" ? guidBytes(g) : undefined;
    return b ? b.toString("base64") : "";
  },
});

defineScalar({
  name: "base64_decode_toguid",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const b = base64Bytes(str(args, ctx, 0));
    if (!b || b.length !== 16) return null;
    const hex = Buffer.concat([
      Buffer.from(b.subarray(0, 4)).reverse(),
      Buffer.from(b.subarray(4, 6)).reverse(),
      Buffer.from(b.subarray(6, 8)).reverse(),
      b.subarray(8),
    ]).toString("hex");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  },
});

// --- CSV and command lines --------------------------------------------------------------------

/** The fields of the first record of a CSV text (RFC 4180 quoting). */
export function parseCsvRecord(text: string): string[] {
  const fields: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
      i++;
    } else if (ch === ",") {
      fields.push(field);
      field = "";
      i++;
    } else if (ch === "\n" || ch === "\r") {
      break;
    } else {
      field += ch;
      i++;
    }
  }
  fields.push(field);
  return fields;
}

defineScalar({
  name: "parse_csv",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => parseCsvRecord(str(args, ctx, 0)),
});

/** Splits a Windows command line as CommandLineToArgvW does. */
export function parseWindowsCommandLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  let first = true;
  while (i < n) {
    while (i < n && (line[i] === " " || line[i] === "\t")) i++;
    if (i >= n) break;
    let arg = "";
    if (first) {
      // The program name: quotes group, backslashes are literal.
      first = false;
      if (line[i] === '"') {
        i++;
        while (i < n && line[i] !== '"') arg += line[i++];
        i++;
      } else {
        while (i < n && line[i] !== " " && line[i] !== "\t") arg += line[i++];
      }
      out.push(arg);
      continue;
    }
    let inQuotes = false;
    while (i < n) {
      const ch = line[i];
      if (!inQuotes && (ch === " " || ch === "\t")) break;
      if (ch === "\\") {
        let slashes = 0;
        while (line[i] === "\\") {
          slashes++;
          i++;
        }
        if (line[i] === '"') {
          arg += "\\".repeat(Math.floor(slashes / 2));
          if (slashes % 2 === 1) {
            arg += '"';
            i++;
          }
        } else {
          arg += "\\".repeat(slashes);
        }
        continue;
      }
      if (ch === '"') {
        if (inQuotes && line[i + 1] === '"') {
          arg += '"';
          i += 2;
          continue;
        }
        inQuotes = !inQuotes;
        i++;
        continue;
      }
      arg += ch;
      i++;
    }
    out.push(arg);
  }
  return out;
}

defineScalar({
  name: "parse_command_line",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    if (str(args, ctx, 1).toLowerCase() !== "windows") return null;
    return parseWindowsCommandLine(str(args, ctx, 0));
  },
});

// --- format_bytes ------------------------------------------------------------------------------

const BYTE_UNITS = ["Bytes", "KB", "MB", "GB", "TB", "PB", "EB"];

defineScalar({
  name: "format_bytes",
  minArgs: 1,
  maxArgs: 4,
  impl: (args, ctx) => {
    const size = toNumber(args[0]);
    if (size === null || !Number.isFinite(size)) return "";
    const precision = args.length > 1 ? (int(args[1]) ?? 0) : 0;
    const unitArg = args.length > 2 ? str(args, ctx, 2).toUpperCase() : "";
    const base = args.length > 3 ? (int(args[3]) ?? 1024) : 1024;
    let idx = BYTE_UNITS.findIndex(
      (u) => u.toUpperCase() === unitArg || (u === "Bytes" && unitArg === "B"),
    );
    if (idx < 0) {
      idx = 0;
      while (idx < BYTE_UNITS.length - 1 && Math.abs(size) >= Math.pow(base, idx + 1)) idx++;
    }
    const scaled = size / Math.pow(base, idx);
    return `${scaled.toFixed(Math.max(0, Math.min(precision, 20))).replace(/^-0$/, "0")} ${BYTE_UNITS[idx]}`;
  },
});

// --- versions ---------------------------------------------------------------------------------

defineScalar({
  name: "parse_version",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    // Up to four parts of at most 8 digits each, weighted 10^24, 10^16, 10^8, 1, so that
    // versions compare as numbers (a decimal in Kusto; a double here).
    const parts = str(args, ctx, 0).trim().split(".");
    if (parts.length > 4 || !parts.every((p) => /^\d{1,8}$/.test(p))) return null;
    while (parts.length < 4) parts.push("0");
    return parts.reduce((acc, p) => acc * 1e8 + Number(p), 0);
  },
});

defineScalar({
  name: "new_guid",
  aliases: ["newguid"],
  minArgs: 0,
  maxArgs: 0,
  impl: () => randomUUID(),
});
