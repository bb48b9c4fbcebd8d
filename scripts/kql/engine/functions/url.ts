// URL and path functions: parse_url, parse_urlquery, url_decode, url_encode,
// url_encode_component, parse_path.

import type { Json } from "../values";
import { newBag } from "./coerce";
import { defineScalar } from "./registry";
import { str } from "./strings";

/** Percent-decodes (UTF-8) and turns '+' into a space; malformed escapes stay as written. */
export function urlDecode(text: string): string {
  const bytes: number[] = [];
  const s = text.replace(/\+/g, " ");
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === "%" && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(ch, "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** .NET HttpUtility-style encoding: unreserved characters stay, the rest is %xx (lowercase). */
function urlEncode(text: string, spaceAsPlus: boolean): string {
  let out = "";
  for (const b of Buffer.from(text, "utf8")) {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.!*()]/.test(ch)) out += ch;
    else if (ch === " " && spaceAsPlus) out += "+";
    else out += "%" + b.toString(16).padStart(2, "0");
  }
  return out;
}

defineScalar({
  name: "url_decode",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => urlDecode(str(args, ctx, 0)),
});

defineScalar({
  name: "url_encode",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => urlEncode(str(args, ctx, 0), true),
});

defineScalar({
  name: "url_encode_component",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => urlEncode(str(args, ctx, 0), false),
});

function queryParameters(query: string): { [key: string]: Json } {
  const bag = newBag();
  for (const pair of query.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = urlDecode(eq < 0 ? pair : pair.slice(0, eq));
    bag[key] = eq < 0 ? "" : urlDecode(pair.slice(eq + 1));
  }
  return bag;
}

const URL_RE =
  /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;

defineScalar({
  name: "parse_url",
  aliases: ["parseurl"],
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const m = URL_RE.exec(str(args, ctx, 0).trim());
    const bag = newBag();
    if (!m) return bag;
    bag.Scheme = m[1];
    bag.Host = m[4];
    bag.Port = m[5] ?? "";
    bag.Path = m[6];
    bag.Username = m[2] ?? "";
    bag.Password = m[3] ?? "";
    bag["Query Parameters"] = queryParameters(m[7] ?? "");
    bag.Fragment = m[8] ?? "";
    return bag;
  },
});

defineScalar({
  name: "parse_urlquery",
  aliases: ["parseurlquery"],
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const q = str(args, ctx, 0).replace(/^\?/, "");
    const bag = newBag();
    bag["Query Parameters"] = queryParameters(q);
    return bag;
  },
});

defineScalar({
  name: "parse_path",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    let rest = str(args, ctx, 0);
    const bag = newBag();
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]+):\/\//.exec(rest);
    bag.Scheme = scheme ? scheme[1] : "";
    if (scheme) rest = rest.slice(scheme[0].length);
    const root = /^[A-Za-z]:/.exec(rest);
    bag.RootPath = root ? root[0] : "";
    const sep = Math.max(rest.lastIndexOf("/"), rest.lastIndexOf("\\"));
    const dir = sep >= 0 ? rest.slice(0, sep) : "";
    let file = sep >= 0 ? rest.slice(sep + 1) : rest;
    // NTFS alternate data streams: "file.txt:stream".
    const colon = file.indexOf(":");
    let stream = "";
    if (colon >= 0 && !(sep < 0 && root)) {
      stream = file.slice(colon + 1);
      file = file.slice(0, colon);
    }
    bag.DirectoryPath = dir;
    const dirParts = dir.split(/[/\\]/).filter((p) => p !== "");
    bag.DirectoryName = dirParts.length ? dirParts[dirParts.length - 1] : "";
    bag.Filename = file;
    const dot = file.lastIndexOf(".");
    bag.Extension = dot >= 0 ? file.slice(dot + 1) : "";
    bag.AlternateDataStreamName = stream;
    return bag;
  },
});
