// A lenient JSON reader for the text Kusto's parser (Json.NET) accepts beyond strict JSON:
// single-quoted strings, unquoted property names, trailing commas, comments, NaN/Infinity.
// Used only after strict JSON.parse has failed, so well-formed input stays fast.

import type { Json } from "../values";
import { newBag } from "./coerce";

class LenientJsonError extends Error {}

/** Parses `text`; undefined when it is not JSON even leniently. */
export function parseLenientJson(text: string): Json | undefined {
  let pos = 0;
  const fail = (what: string): never => {
    throw new LenientJsonError(`${what} at ${pos}`);
  };
  const skip = () => {
    for (;;) {
      while (pos < text.length && /\s/.test(text[pos])) pos++;
      if (text.startsWith("//", pos)) {
        const nl = text.indexOf("\n", pos);
        pos = nl < 0 ? text.length : nl + 1;
      } else if (text.startsWith("/*", pos)) {
        const end = text.indexOf("*/", pos + 2);
        if (end < 0) fail("unterminated comment");
        pos = end + 2;
      } else return;
    }
  };
  const string = (): string => {
    const quote = text[pos++];
    let out = "";
    while (pos < text.length && text[pos] !== quote) {
      const ch = text[pos++];
      if (ch !== "\\") {
        out += ch;
        continue;
      }
      const e = text[pos++];
      if (e === "u") {
        const hex = text.slice(pos, pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
        out += String.fromCharCode(parseInt(hex, 16));
        pos += 4;
      } else {
        const map: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        out += map[e] ?? e;
      }
    }
    if (text[pos] !== quote) fail("unterminated string");
    pos++;
    return out;
  };
  const value = (): Json => {
    skip();
    const ch = text[pos];
    if (ch === "{") {
      pos++;
      const bag = newBag();
      for (;;) {
        skip();
        if (text[pos] === "}") {
          pos++;
          return bag;
        }
        let key: string;
        if (text[pos] === '"' || text[pos] === "'") key = string();
        else {
          const m = /^[A-Za-z_$][\w$]*/.exec(text.slice(pos, pos + 1024));
          if (!m) fail("expected a property name");
          key = (m as RegExpExecArray)[0];
          pos += key.length;
        }
        skip();
        if (text[pos] !== ":") fail("expected ':'");
        pos++;
        bag[key] = value();
        skip();
        if (text[pos] === ",") pos++;
        else if (text[pos] !== "}") fail("expected ',' or '}'");
      }
    }
    if (ch === "[") {
      pos++;
      const arr: Json[] = [];
      for (;;) {
        skip();
        if (text[pos] === "]") {
          pos++;
          return arr;
        }
        arr.push(value());
        skip();
        if (text[pos] === ",") pos++;
        else if (text[pos] !== "]") fail("expected ',' or ']'");
      }
    }
    if (ch === '"' || ch === "'") return string();
    const m = /^(?:-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity)/.exec(
      text.slice(pos, pos + 64),
    );
    if (!m) return fail("unexpected character");
    pos += m[0].length;
    const t = m[0];
    if (t === "true") return true;
    if (t === "false") return false;
    if (t === "null") return null;
    // JSON has no NaN/Infinity; Kusto keeps them as the strings it prints.
    if (t === "NaN" || t.endsWith("Infinity")) return t;
    return Number(t);
  };
  try {
    const v = value();
    skip();
    return pos === text.length ? v : undefined;
  } catch (e) {
    if (e instanceof LenientJsonError) return undefined;
    throw e;
  }
}
