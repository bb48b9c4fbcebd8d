// --fix on many generated lists: whatever the layout (one line or many, comments, quoting,
// CRLF, indentation), a fix is accepted, leaves exactly the intended values, and is a fixed
// point. Deterministic: the same seeds every run.

import { fixRule } from "../../scripts/indicators/fix";
import { extractIndicators } from "../../scripts/indicators/extract";
import { refang } from "../../scripts/indicators/normalise";
import { loadRuleText } from "../../scripts/rules/load";
import { indicatorsOf } from "./helpers";

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POOL = ["a.com", "b.net", "c.org", "1.2.3.4", "http://d.io/x", "bob@e.com"];
const DEFANG: Record<string, string> = {
  "a.com": "a[.]com",
  "b.net": "b(.)net",
  "c.org": "c{.}org",
  "1.2.3.4": "1[.]2[.]3[.]4",
  "http://d.io/x": "hxxp://d[.]io/x",
  "bob@e.com": "bob[@]e.com",
};

function generate(seed: number): { text: string; values: string[] } {
  const rnd = random(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const n = 2 + Math.floor(rnd() * 7);
  const values: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = pick(POOL);
    values.push(rnd() < 0.3 ? DEFANG[v] : v);
  }
  const quote = (v: string) => pick([`"${v}"`, `'${v}'`, `@"${v}"`]);
  const multiLine = rnd() < 0.6;
  const indent = pick(["", "  ", "    "]);
  const parts: string[] = [];
  values.forEach((v, i) => {
    const last = i === values.length - 1;
    let item = `${quote(v)}${last ? "" : ","}`;
    if (multiLine && rnd() < 0.25) item += ` // note ${i}`;
    if (multiLine && rnd() < 0.2) parts.push(`${indent}//"commented-${i}.com",`);
    parts.push(multiLine ? `${indent}${item}` : item);
  });
  const op = pick(["in", "in~", "has_any", "!in"]);
  // A comment after the last item would swallow a closing parenthesis on its line.
  const closeOnOwnLine = multiLine && (rnd() < 0.5 || / note \d+$/.test(parts[parts.length - 1]));
  const list = multiLine
    ? `(\n${parts.join("\n")}${closeOnOwnLine ? `\n${indent})` : ")"}`
    : `(${parts.join(" ")})`;
  const query = pick([
    `T\n| where RemoteUrl ${op} ${list}\n| project RemoteUrl`,
    `let L = dynamic([${values.map((v) => `"${v}"`).join(", ")}]);\nT | where RemoteUrl ${op} (L)`,
  ]);
  const blockIndent = pick(["  ", "    "]);
  const body = query
    .split("\n")
    .map((l) => `${blockIndent}${l}`)
    .join("\n");
  let text = `id: 1b2c3d4e-0000-4000-8000-${String(seed).padStart(12, "0")}\nname: gen ${seed}\nquery: |\n${body}\n`;
  if (rnd() < 0.3) text = text.replace(/\n/g, "\r\n");
  return { text, values };
}

function expectedAfterFix(values: string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const fixed = refang(v);
    if (!out.includes(fixed)) out.push(fixed);
  }
  return out;
}

describe("--fix on generated lists", () => {
  const seeds = Array.from({ length: 150 }, (_, i) => i + 1);
  it.each(seeds)("seed %i: verified, exact values, a fixed point", (seed) => {
    const { text, values } = generate(seed);
    expect(extractIndicators(indicatorsOf(text).rule.query ?? "").syntaxErrors).toBe(0);
    const result = fixRule(indicatorsOf(text));
    expect(result.refusal).toBeUndefined();
    const after = result.text ?? text;
    expect(after.includes("\r\n")).toBe(text.includes("\r\n"));
    const rule = loadRuleText(after, "gen.yaml").rule;
    const lists = extractIndicators(rule?.query ?? "").lists;
    expect(lists[0].items.map((i) => i.value)).toEqual(expectedAfterFix(values));
    expect(extractIndicators(rule?.query ?? "").syntaxErrors).toBe(0);
    // Comments survive.
    for (const c of text.match(/\/\/(?: note \d+|"commented-\d+\.com",)/g) ?? [])
      expect(after).toContain(c);
    const again = fixRule(indicatorsOf(after));
    expect(again.text).toBeUndefined();
    expect(again.refusal).toBeUndefined();
  });
});
