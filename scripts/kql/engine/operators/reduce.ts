// reduce by: groups strings by similarity, after the SLCT algorithm the Kusto documentation
// names (Vaarandi, "A Data Clustering Algorithm for Mining Patterns From Event Logs"):
//   1. split each value into terms at the separator characters;
//   2. a (position, term) pair is frequent when it occurs in more than threshold × N values;
//   3. each value's frequent pairs form its cluster candidate; a candidate held by more than
//      threshold × N values is a cluster, every other value goes to the `others` row.
// A cluster's pattern is its first value with the infrequent terms replaced by `*`. Default
// separators (every character that is not an ASCII letter or digit) stay in the pattern
// (`San *`, `* -on- *`); separators given with `characters=` are absorbed by a neighbouring
// wildcard (`fooZ1` with characters="Z" gives `foo*`), as the documented examples show.
// `kind=source` appends each row's Pattern instead of aggregating.

import { child } from "../syntax";
import { queryError } from "../errors";
import { compileExpr, scopeFor } from "../expressions/compile";
import { checkTime } from "../context";
import type { SyntaxElement } from "../../kusto";
import type { Table, Value } from "../values";
import { namedParameter, type OpArgs } from "./common";

interface Token {
  text: string;
  isTerm: boolean;
}

function tokenize(text: string, isSeparator: (ch: string) => boolean): Token[] {
  const out: Token[] = [];
  let cur = "";
  let curTerm = false;
  for (const ch of text) {
    const term = !isSeparator(ch);
    if (cur !== "" && term !== curTerm) {
      out.push({ text: cur, isTerm: curTerm });
      cur = "";
    }
    cur += ch;
    curTerm = term;
  }
  if (cur !== "") out.push({ text: cur, isTerm: curTerm });
  return out;
}

function patternOf(
  tokens: Token[],
  frequent: (pos: number, term: string) => boolean,
  customSeparators: boolean,
): string {
  const parts: { text: string; kind: "term" | "separator" | "wildcard" }[] = [];
  let pos = 0;
  for (const t of tokens) {
    if (!t.isTerm) parts.push({ text: t.text, kind: "separator" });
    else
      parts.push(
        frequent(pos++, t.text) ? { text: t.text, kind: "term" } : { text: "*", kind: "wildcard" },
      );
  }
  const kept = customSeparators
    ? parts.filter(
        (p, i) =>
          p.kind !== "separator" ||
          (parts[i - 1]?.kind !== "wildcard" && parts[i + 1]?.kind !== "wildcard"),
      )
    : parts;
  return kept
    .filter((p, i) => !(p.kind === "wildcard" && kept[i - 1]?.kind === "wildcard"))
    .map((p) => p.text)
    .join("");
}

export function reduce({ node, input, env, ctx }: OpArgs): Table {
  const scope = scopeFor(input.columns, env, ctx);
  const expr = compileExpr(child(node, "Expression") as SyntaxElement, scope);
  const withClause = child(node, "With");
  const thresholdText = withClause ? namedParameter(withClause, "threshold") : undefined;
  const threshold = thresholdText === undefined ? 0.1 : Number(thresholdText);
  if (!(threshold >= 0 && threshold <= 1))
    throw queryError("reduce: threshold must be a number between 0 and 1", node);
  const characters = withClause ? namedParameter(withClause, "characters") : undefined;
  const custom = characters !== undefined && characters !== "";
  const isSeparator = custom
    ? (ch: string) => characters.includes(ch)
    : (ch: string) => !/^[A-Za-z0-9]$/.test(ch);
  const source = (namedParameter(node, "kind") ?? "").toLowerCase() === "source";

  const rows = input.rows;
  const values = rows.map((r, i) => {
    const v = expr.fn(r, i, rows);
    return v === null ? "" : String(v);
  });
  const tokens = values.map((v) => tokenize(v, isSeparator));
  const support = threshold * values.length;
  const key = (pos: number, term: string) => `${pos}\u0000${term}`;
  const wordCounts = new Map<string, number>();
  tokens.forEach((ts, i) => {
    if ((i & 0xfff) === 0) checkTime(ctx);
    let pos = 0;
    for (const t of ts) {
      if (!t.isTerm) continue;
      const k = key(pos++, t.text);
      wordCounts.set(k, (wordCounts.get(k) ?? 0) + 1);
    }
  });
  const frequent = (pos: number, term: string) => (wordCounts.get(key(pos, term)) ?? 0) > support;

  // Cluster candidates: a value's frequent (position, term) pairs.
  const candidateOf = tokens.map((ts) => {
    const parts: string[] = [];
    let pos = 0;
    for (const t of ts) {
      if (!t.isTerm) continue;
      if (frequent(pos, t.text)) parts.push(key(pos, t.text));
      pos++;
    }
    return parts.length ? parts.join("\u0001") : undefined;
  });
  const candidates = new Map<string, { count: number; first: number }>();
  candidateOf.forEach((c, i) => {
    if (c === undefined) return;
    const e = candidates.get(c);
    if (e) e.count++;
    else candidates.set(c, { count: 1, first: i });
  });
  const isCluster = (c: string | undefined) =>
    c !== undefined && (candidates.get(c)?.count ?? 0) > support;
  const patternFor = (i: number) => {
    const c = candidateOf[i];
    if (!isCluster(c)) return "others";
    const first = (candidates.get(c as string) as { first: number }).first;
    return patternOf(tokens[first], frequent, custom);
  };

  if (source) {
    return {
      columns: [...input.columns, { name: "Pattern", type: "string" }],
      rows: rows.map((r, i) => [...r, patternFor(i)]),
    };
  }
  const out: Value[][] = [];
  let others = 0;
  candidateOf.forEach((c, i) => {
    if (!isCluster(c)) others++;
    else if ((candidates.get(c as string) as { first: number }).first === i)
      out.push([
        patternFor(i),
        (candidates.get(c as string) as { count: number }).count,
        values[i],
      ]);
  });
  if (others > 0) out.push(["others", others, ""]);
  return {
    columns: [
      { name: "Pattern", type: "string" },
      { name: "Count", type: "long" },
      { name: "Representative", type: "string" },
    ],
    rows: out,
  };
}
