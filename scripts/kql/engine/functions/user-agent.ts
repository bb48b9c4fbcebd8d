// parse_user_agent(ua, lookFor): browser, OS and device of a user-agent string.
//
// Kusto builds it on the ua-parser project's patterns (uap-core's regexes.yaml, the same
// Family/Major/Minor/Patch model), so the engine reads that file from the `uap-core` package
// and follows the project's specification (node_modules/uap-core/docs/specification.md): the
// first matching pattern of each list wins; replacements fill in `$1`…`$9`; results are
// trimmed. Patterns run on RE2 (re2js), so a hostile string cannot make them backtrack.
// Kusto prints a missing part as "" and an unmatched family as "Other".

import * as fs from "node:fs";
import { RE2JS } from "re2js";
import { parse as parseYaml } from "yaml";
import { KqlError } from "../errors";
import type { Json, Value } from "../values";
import { newBag } from "./coerce";
import { defineScalar } from "./registry";
import { str } from "./strings";

interface Pattern {
  regex: string;
  regex_flag?: string;
  [replacement: string]: string | undefined;
}

interface Compiled {
  re: RE2JS;
  pattern: Pattern;
}

interface Parsers {
  browser: Compiled[];
  os: Compiled[];
  device: Compiled[];
}

let parsers: Parsers | undefined;

function load(): Parsers {
  if (parsers) return parsers;
  const doc = parseYaml(
    fs.readFileSync(require.resolve("uap-core/regexes.yaml"), "utf8"),
  ) as Record<string, Pattern[]>;
  const compile = (list: Pattern[]): Compiled[] =>
    list.map((pattern) => ({
      re: RE2JS.compile(pattern.regex, pattern.regex_flag === "i" ? RE2JS.CASE_INSENSITIVE : 0),
      pattern,
    }));
  parsers = {
    browser: compile(doc.user_agent_parsers),
    os: compile(doc.os_parsers),
    device: compile(doc.device_parsers),
  };
  return parsers;
}

/** The first pattern that matches, with its groups (index 0 is the whole match). */
function firstMatch(list: Compiled[], ua: string): { pattern: Pattern; groups: string[] } | null {
  for (const { re, pattern } of list) {
    const m = re.matcher(ua);
    if (!m.find()) continue;
    const groups: string[] = [];
    for (let g = 0; g <= m.groupCount(); g++) groups.push(m.group(g) ?? "");
    return { pattern, groups };
  }
  return null;
}

/** A replacement with `$1`…`$9` filled in, else the default group; trimmed, "" when absent. */
function field(
  match: { pattern: Pattern; groups: string[] },
  replacement: string,
  group: number,
): string {
  const r = match.pattern[replacement];
  const value =
    r !== undefined
      ? r.replace(/\$(\d)/g, (_, d: string) => match.groups[Number(d)] ?? "")
      : group > 0
        ? match.groups[group]
        : "";
  return (value ?? "").trim();
}

function browser(ua: string): Json {
  const m = firstMatch(load().browser, ua);
  if (!m) return { Family: "Other", MajorVersion: "", MinorVersion: "", Patch: "" };
  return {
    Family: field(m, "family_replacement", 1) || "Other",
    MajorVersion: field(m, "v1_replacement", 2),
    MinorVersion: field(m, "v2_replacement", 3),
    Patch: field(m, "v3_replacement", 4),
  };
}

function os(ua: string): Json {
  const m = firstMatch(load().os, ua);
  if (!m) return { Family: "Other", MajorVersion: "", MinorVersion: "", Patch: "", PatchMinor: "" };
  return {
    Family: field(m, "os_replacement", 1) || "Other",
    MajorVersion: field(m, "os_v1_replacement", 2),
    MinorVersion: field(m, "os_v2_replacement", 3),
    Patch: field(m, "os_v3_replacement", 4),
    PatchMinor: field(m, "os_v4_replacement", 5),
  };
}

function device(ua: string): Json {
  const m = firstMatch(load().device, ua);
  if (!m) return { Family: "Other", Brand: "", Model: "" };
  return {
    Family: field(m, "device_replacement", 1) || "Other",
    Brand: field(m, "brand_replacement", 0),
    Model: field(m, "model_replacement", 1),
  };
}

// Matching walks up to ~1,200 patterns (a few ms per string), and logs repeat the same few
// user agents, so each target keeps the parts it found for recent strings.
function cached(parse: (ua: string) => Json): (ua: string) => Json {
  const seen = new Map<string, Json>();
  return (ua) => {
    let parts = seen.get(ua);
    if (parts === undefined) {
      parts = parse(ua);
      if (seen.size >= 10_000) seen.clear();
      seen.set(ua, parts);
    }
    return { ...(parts as Record<string, Json>) };
  };
}

const TARGETS: Record<string, [string, (ua: string) => Json]> = {
  browser: ["Browser", cached(browser)],
  os: ["OperatingSystem", cached(os)],
  device: ["Device", cached(device)],
};

defineScalar({
  name: "parse_user_agent",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    if (args[0] === null) return null;
    const ua = str(args, ctx, 0);
    const lookFor: Value[] = Array.isArray(args[1]) ? (args[1] as Value[]) : [args[1]];
    const out = newBag();
    for (const target of lookFor) {
      const t = typeof target === "string" ? TARGETS[target.toLowerCase()] : undefined;
      if (!t)
        throw new KqlError(
          `look-for must be "browser", "os" or "device", or an array of them, not ${JSON.stringify(target)}`,
        );
      out[t[0]] = t[1](ua);
    }
    return out;
  },
});
