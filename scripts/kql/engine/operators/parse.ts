// parse (simple, regex, relaxed), parse-where, parse-kv. Patterns become one RE2 regex with
// named groups, so user regex groups in kind=regex do not shift the captures.

import { childrenOf, kindOf, type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import { checkTime } from "../context";
import { queryError, unsupported } from "../errors";
import { compileExpr, listItems, nameOf, scopeFor } from "../expressions/compile";
import { re2 } from "../expressions/strings";
import {
  kustoType,
  valueFromInput,
  valueToString,
  type Column,
  type KustoType,
  type Table,
  type Value,
} from "../values";
import { emptyOf, namedParameter, type OpArgs } from "./common";
import { schemaColumns } from "./sources";

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function typeText(e: SyntaxElement | undefined): string {
  if (!e) return "";
  if (e.IsToken) return e.Text ?? "";
  return childrenOf(e).map(typeText).join("");
}

const TYPED: Partial<Record<KustoType, string>> = {
  int: "[-+]?\\d+",
  long: "[-+]?\\d+",
  real: "[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?",
  bool: "(?i:true|false|1|0)",
};

interface Capture {
  column: Column;
  group: string;
}

function convert(text: string, type: KustoType): { ok: boolean; value: Value } {
  if (type === "string") return { ok: true, value: text };
  try {
    const v = valueFromInput(text, type);
    return { ok: v !== null || text === "", value: v };
  } catch {
    return { ok: false, value: null };
  }
}

function parseCore(args: OpArgs, whereOnly: boolean): Table {
  const { node, input, env, ctx } = args;
  const kind = (namedParameter(node, "kind") ?? "simple").toLowerCase();
  const flags = namedParameter(node, "flags") ?? "";
  if (!["simple", "regex", "relaxed"].includes(kind))
    throw unsupported(`parse kind '${kind}'`, node);
  const scope = scopeFor(input.columns, env, ctx);
  const source = compileExpr(child(node, "Expression") as SyntaxElement, scope);
  const patternItems = listItems(child(node, "Patterns"));
  let regex = "^";
  const captures: Capture[] = [];
  patternItems.forEach((item, idx) => {
    const k = kindOf(item);
    const last = idx === patternItems.length - 1;
    if (k === "StarExpression") {
      regex += last ? "(?:.*)" : "(?:.*?)";
      return;
    }
    if (k === "NameAndTypeDeclaration" || k === "NameReference" || k === "NameDeclaration") {
      const name = k === "NameAndTypeDeclaration" ? nameOf(child(item, "Name")) : nameOf(item);
      const t = k === "NameAndTypeDeclaration" ? typeText(child(item, "Type")).trim() : "string";
      const type = kustoType(t);
      if (!type) throw queryError(`unknown type '${t}'`, item);
      const group = `c${captures.length}`;
      captures.push({ column: { name, type }, group });
      // Relaxed mode prefers the typed form but lets a mistyped value through (it becomes null).
      const body = TYPED[type]
        ? kind === "relaxed"
          ? `${TYPED[type]}|.*?`
          : TYPED[type]
        : kind === "regex"
          ? ".*"
          : last
            ? ".*"
            : ".*?";
      regex += `(?P<${group}>${body})`;
      return;
    }
    const c = compileExpr(item, scope);
    if (!c.constant) throw queryError("parse patterns must be constant strings", item);
    const text = valueToString(c.constant.value, c.type);
    regex += kind === "regex" ? text : escapeRegex(text);
  });
  if (kind !== "regex" && kind !== "relaxed") regex += "";
  let prefix = "(?s)";
  if (kind === "regex" && flags) prefix = `(?${flags.replace(/[^imsU]/g, "")})`;
  let re;
  try {
    re = re2(prefix + regex);
  } catch (err) {
    throw queryError(
      `parse: invalid pattern (${err instanceof Error ? err.message : String(err)})`,
      node,
    );
  }
  // New columns are appended; a capture with an existing column's name replaces it.
  const columns = input.columns.map((c) => ({ ...c }));
  const targets = captures.map((cap) => {
    let i = columns.findIndex((c) => c.name === cap.column.name);
    if (i < 0) {
      i = columns.length;
      columns.push(cap.column);
    } else columns[i] = cap.column;
    return i;
  });
  const rows = input.rows;
  const out: Value[][] = [];
  const sf = source.fn;
  const st = source.type;
  for (let i = 0; i < rows.length; i++) {
    checkTime(ctx);
    const r = rows[i];
    const o: Value[] = r.slice();
    for (let k = o.length; k < columns.length; k++) o.push(null);
    const text = valueToString(sf(r, i, rows), st);
    const m = re.matcher(text);
    let matched = m.find();
    const values: Value[] = captures.map((c) => emptyOf(c.column.type));
    if (matched) {
      for (let k = 0; k < captures.length; k++) {
        const g = m.group(captures[k].group);
        if (g === null || g === undefined) continue;
        const { ok, value } = convert(g, captures[k].column.type);
        if (!ok && kind !== "relaxed") {
          matched = false;
          break;
        }
        values[k] = ok ? value : emptyOf(captures[k].column.type);
      }
    }
    if (!matched) {
      if (whereOnly) continue;
      for (let k = 0; k < captures.length; k++) values[k] = emptyOf(captures[k].column.type);
    }
    for (let k = 0; k < captures.length; k++) o[targets[k]] = values[k];
    out.push(o);
  }
  return { columns, rows: out };
}

export function parse(args: OpArgs): Table {
  return parseCore(args, false);
}

export function parseWhere(args: OpArgs): Table {
  return parseCore(args, true);
}

/** parse-kv: key/value pairs out of a string, into the columns of the `as (…)` schema. */
export function parseKv(args: OpArgs): Table {
  const { node, input, env, ctx } = args;
  const scope = scopeFor(input.columns, env, ctx);
  const source = compileExpr(child(node, "Expression") as SyntaxElement, scope);
  const keys = schemaColumns(child(node, "Keys"));
  const withClause = child(node, "WithClause");
  const opts: Record<string, string> = {};
  for (const p of listItems(
    withClause ? (child(withClause, "Properties") ?? withClause) : undefined,
  )) {
    if (kindOf(p) !== "NamedParameter") continue;
    const c = compileExpr(child(p, "Expression") as SyntaxElement, scope);
    opts[nameOf(child(p, "Name")).toLowerCase()] = valueToString(c.constant?.value ?? null, c.type);
  }
  const pairs =
    opts.regex === undefined && opts.pair_delimiter === undefined && opts.kv_delimiter === undefined
      ? keyedPairs(
          keys.map((k) => k.name),
          opts,
        )
      : extractPairs(opts, node);
  const columns = [...input.columns, ...keys];
  const rows = input.rows.map((r, i) => {
    checkTime(ctx);
    const text = valueToString(source.fn(r, i, input.rows), source.type);
    const found = pairs(text);
    return [
      ...r,
      ...keys.map((k) => {
        const v = found.get(k.name);
        if (v === undefined) return emptyOf(k.type);
        return convert(v, k.type).value;
      }),
    ];
  });
  return { columns, rows };
}

function extractPairs(
  opts: Record<string, string>,
  node: SyntaxElement,
): (text: string) => Map<string, string> {
  if (opts.regex !== undefined) {
    const re = re2(opts.regex);
    return (text) => {
      const out = new Map<string, string>();
      const m = re.matcher(text);
      while (m.find()) {
        const k = m.group(1);
        const v = m.group(2);
        if (k !== null && !out.has(k)) out.set(k, v ?? "");
      }
      return out;
    };
  }
  const pairDelim = opts.pair_delimiter;
  const kvDelim = opts.kv_delimiter;
  if (pairDelim === undefined || kvDelim === undefined) {
    throw queryError("parse-kv needs pair_delimiter and kv_delimiter (or regex)", node);
  }
  const quote = opts.quote ?? "";
  const escape = opts.escape ?? "";
  const greedy = opts.greedy === "true";
  return (text) => {
    const out = new Map<string, string>();
    let i = 0;
    const n = text.length;
    const readToken = (stops: string[]): string => {
      while (i < n && text[i] === " ") i++;
      if (i < n && quote.includes(text[i])) {
        const q = text[i++];
        let s = "";
        while (i < n && text[i] !== q) {
          if (escape && text[i] === escape && i + 1 < n) i++;
          s += text[i++];
        }
        i++;
        return s;
      }
      const start = i;
      while (i < n && !stops.some((d) => text.startsWith(d, i))) i++;
      return text.slice(start, i).trim();
    };
    while (i < n) {
      const key = readToken([kvDelim, pairDelim]);
      if (text.startsWith(kvDelim, i)) {
        i += kvDelim.length;
        let value: string;
        if (greedy) {
          // The value runs to the pair delimiter that precedes the next key.
          const rest = text.slice(i);
          const next = new RegExp(
            `${escapeRegex(pairDelim)}[^${escapeRegex(pairDelim + kvDelim)}]*${escapeRegex(kvDelim)}`,
          ).exec(rest);
          value = (next ? rest.slice(0, next.index) : rest).trim();
          i += next ? next.index : rest.length;
        } else value = readToken([pairDelim]);
        if (key && !out.has(key)) out.set(key, value);
      }
      if (text.startsWith(pairDelim, i)) i += pairDelim.length;
      else if (i < n && !text.startsWith(kvDelim, i)) i++;
    }
    return out;
  };
}

/**
 * parse-kv without delimiters: each listed key is found by name, followed by `:` or `=`; its
 * value is a quoted string (with the given quote and escape characters) or runs to the next
 * whitespace, comma or semicolon.
 */
function keyedPairs(
  keys: string[],
  opts: Record<string, string>,
): (text: string) => Map<string, string> {
  const quotes = opts.quote ?? "\"'";
  const escape = opts.escape ?? "";
  return (text) => {
    const out = new Map<string, string>();
    for (const key of keys) {
      const re = new RegExp(`(?:^|[^\\w])${escapeRegex(key)}\\s*[:=]\\s*`, "g");
      const m = re.exec(text);
      if (!m) continue;
      let i = m.index + m[0].length;
      if (i < text.length && quotes.includes(text[i])) {
        const q = text[i++];
        let v = "";
        while (i < text.length && text[i] !== q) {
          if (escape && text[i] === escape && i + 1 < text.length) i++;
          v += text[i++];
        }
        out.set(key, v);
      } else {
        const rest = /^[^\s,;]*/.exec(text.slice(i));
        out.set(key, rest ? rest[0] : "");
      }
    }
    return out;
  };
}
