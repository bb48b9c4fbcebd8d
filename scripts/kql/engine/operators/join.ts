// join (every kind) and lookup. Equality keys only: `on a`, `on $left.a == $right.b`, and
// combinations of them. The right side is hashed once; the output keeps the left side's order.

import { kindOf, type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import { checkRows, checkTime, type Env, type RunContext } from "../context";
import { queryError, unsupported } from "../errors";
import { keyOf } from "../expressions/compare";
import { listItems, nameOf, scopeFor, tabular, type Compiled } from "../expressions/compile";
import type { Column, Table, Value } from "../values";
import { emptyOf, nameLike, namedParameter, uniqueName, type OpArgs } from "./common";

interface KeyPair {
  left: Compiled;
  right: Compiled;
  /** Same-named key: lookup shows it once. */
  sameName?: string;
}

function sideOf(e: SyntaxElement): "left" | "right" | undefined {
  if (kindOf(e) !== "PathExpression") return undefined;
  const base = nameOf(child(e, "Expression"));
  if (base === "$left") return "left";
  if (base === "$right") return "right";
  return undefined;
}

function keyPairs(
  clause: SyntaxElement,
  left: Table,
  right: Table,
  env: Env,
  ctx: RunContext,
): KeyPair[] {
  const ls = scopeFor(left.columns, env, ctx);
  const rs = scopeFor(right.columns, env, ctx);
  const pairs: KeyPair[] = [];
  const column = (
    scope: ReturnType<typeof scopeFor>,
    name: string,
    node: SyntaxElement,
  ): Compiled => {
    const idx = scope.index.get(name);
    if (idx === undefined) throw queryError(`join: no column '${name}' on one side`, node);
    return { fn: (r) => r[idx], type: scope.columns[idx].type, column: idx };
  };
  const visit = (e: SyntaxElement): void => {
    const k = kindOf(e);
    if (k === "NameReference") {
      const name = nameOf(e);
      pairs.push({ left: column(ls, name, e), right: column(rs, name, e), sameName: name });
      return;
    }
    if (k === "AndExpression") {
      visit(child(e, "Left") as SyntaxElement);
      visit(child(e, "Right") as SyntaxElement);
      return;
    }
    if (k === "EqualExpression") {
      const a = child(e, "Left") as SyntaxElement;
      const b = child(e, "Right") as SyntaxElement;
      const sa = sideOf(a);
      const sb = sideOf(b);
      if (sa && sb && sa !== sb) {
        const [l, r] = sa === "left" ? [a, b] : [b, a];
        const ln = nameOf(child(l, "Selector"));
        const rn = nameOf(child(r, "Selector"));
        pairs.push({
          left: column(ls, ln, l),
          right: column(rs, rn, r),
          sameName: ln === rn ? ln : undefined,
        });
        return;
      }
    }
    throw unsupported(`join condition '${k}' (only equality of $left/$right columns)`, e);
  };
  for (const item of listItems(child(clause, "Expressions"))) visit(item);
  if (pairs.length === 0) throw queryError("join needs at least one key", clause);
  return pairs;
}

const NO_ROWS: Value[][] = [];

function compositeKey(fns: Compiled["fn"][], row: Value[]): Value {
  if (fns.length === 1) return keyOf(fns[0](row, 0, NO_ROWS));
  let s = "";
  for (const f of fns) {
    const v = f(row, 0, NO_ROWS);
    s += `${typeof v}:${v !== null && typeof v === "object" ? JSON.stringify(v) : String(v)}\u0001`;
  }
  return s;
}

function hashRows(rows: Value[][], fns: Compiled["fn"][], ctx: RunContext): Map<Value, number[]> {
  const map = new Map<Value, number[]>();
  for (let i = 0; i < rows.length; i++) {
    checkTime(ctx);
    const k = compositeKey(fns, rows[i]);
    const list = map.get(k);
    if (list) list.push(i);
    else map.set(k, [i]);
  }
  return map;
}

export function join({ node, input, env, ctx }: OpArgs): Table {
  if (
    child(node, "WhereClause") ||
    kindOf(child(node, "ConditionClause") as SyntaxElement) === "JoinWhereClause"
  ) {
    throw unsupported("join … where (non-equality join condition)", node);
  }
  const right = tabular(child(node, "Expression") as SyntaxElement, env, ctx);
  return joinWithRight(node, input, right, env, ctx);
}

/** `join` with its right side already evaluated. */
export function joinWithRight(
  node: SyntaxElement,
  input: Table,
  right: Table,
  env: Env,
  ctx: RunContext,
): Table {
  const kind = (namedParameter(node, "kind") ?? "innerunique").toLowerCase();
  const pairs = keyPairs(child(node, "ConditionClause") as SyntaxElement, input, right, env, ctx);
  return joinTables(node, kind, input, right, pairs, ctx, false);
}

export function lookup({ node, input, env, ctx }: OpArgs): Table {
  const kind = (namedParameter(node, "kind") ?? "leftouter").toLowerCase();
  const right = tabular(child(node, "Expression") as SyntaxElement, env, ctx);
  const pairs = keyPairs(child(node, "LookupClause") as SyntaxElement, input, right, env, ctx);
  return joinTables(node, kind, input, right, pairs, ctx, true);
}

function joinTables(
  node: SyntaxElement,
  kind: string,
  left: Table,
  right: Table,
  pairs: KeyPair[],
  ctx: RunContext,
  isLookup: boolean,
): Table {
  const lf = pairs.map((p) => p.left.fn);
  const rf = pairs.map((p) => p.right.fn);
  const rightHash = hashRows(right.rows, rf, ctx);
  switch (kind) {
    case "leftsemi":
    case "leftanti":
    case "anti":
    case "leftantisemi": {
      const semi = kind === "leftsemi";
      const rows = left.rows.filter((r) => rightHash.has(compositeKey(lf, r)) === semi);
      return { columns: left.columns, rows };
    }
    case "rightsemi":
    case "rightanti":
    case "rightantisemi": {
      const leftKeys = new Set<Value>(left.rows.map((r) => compositeKey(lf, r)));
      const semi = kind === "rightsemi";
      const rows = right.rows.filter((r) => leftKeys.has(compositeKey(rf, r)) === semi);
      return { columns: right.columns, rows };
    }
  }
  if (!["inner", "innerunique", "leftouter", "rightouter", "fullouter"].includes(kind)) {
    throw unsupported(`join kind '${kind}'`, node);
  }
  // Lookup shows a same-named key once; join keeps both sides' columns, renaming clashes.
  const dropRight = new Set<number>();
  if (isLookup) {
    for (const p of pairs)
      if (p.sameName !== undefined && p.right.column !== undefined) dropRight.add(p.right.column);
  }
  const rightKeep = right.columns.map((_, i) => i).filter((i) => !dropRight.has(i));
  const taken = new Set(left.columns.map((c) => c.name));
  const columns: Column[] = [...left.columns];
  for (const i of rightKeep) {
    const n = uniqueName(right.columns[i].name, taken);
    taken.add(n);
    columns.push({ name: n, type: right.columns[i].type });
  }
  let leftRows = left.rows;
  if (kind === "innerunique") {
    const seen = new Set<Value>();
    leftRows = leftRows.filter((r) => {
      const k = compositeKey(lf, r);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  const keepLeftUnmatched = kind === "leftouter" || kind === "fullouter";
  const keepRightUnmatched = kind === "rightouter" || kind === "fullouter";
  const rightMatched = keepRightUnmatched ? new Uint8Array(right.rows.length) : undefined;
  const out: Value[][] = [];
  const nullRight = rightKeep.map((i) => emptyOf(right.columns[i].type));
  for (const l of leftRows) {
    checkTime(ctx);
    const matches = rightHash.get(compositeKey(lf, l));
    if (matches) {
      for (const j of matches) {
        const r = right.rows[j];
        const row = l.slice();
        for (const i of rightKeep) row.push(r[i]);
        out.push(row);
        if (rightMatched) rightMatched[j] = 1;
      }
      if (out.length > ctx.budget.maxRows) checkRows(ctx, out.length, "join");
    } else if (keepLeftUnmatched) {
      out.push([...l, ...nullRight]);
    }
  }
  if (rightMatched) {
    const nullLeft = left.columns.map((c) => emptyOf(c.type));
    right.rows.forEach((r, j) => {
      if (rightMatched[j]) return;
      const row = nullLeft.slice();
      // In a right/full outer join the left key columns stay empty; Kusto shows the right's.
      for (const i of rightKeep) row.push(r[i]);
      out.push(row);
    });
  }
  return { columns: nameLike(node, columns), rows: out };
}
