// scan: a state machine over the (ordered) rows. Each step keeps the state of the match that
// last reached it; every row is tried against the steps from last to first. A row moves a
// match from step k-1 to step k when step k's condition holds, or extends the match already
// at step k; the first step starts a new match. Matched rows are output with the declared
// columns (and the match id), unless the step says `output=none`.

import type { SyntaxElement } from "../../kusto";
import { checkRows, checkTime } from "../context";
import { queryError, unsupported } from "../errors";
import {
  compileExpr,
  listItems,
  nameOf,
  scopeFor,
  type Compiled,
  type Scope,
} from "../expressions/compile";
import { child } from "../syntax";
import { kustoType, type Column, type Table, type Value } from "../values";
import { emptyOf, namedParameter, type OpArgs } from "./common";

interface StepState {
  row: Value[];
  matchId: number;
  /** The row each step of this match captured: `s_j.col` reads history[j]. */
  history: (Value[] | undefined)[];
}

interface Step {
  name: string;
  condition: Compiled;
  assignments: { target: number; value: Compiled }[];
  output: boolean;
}

function typeText(e: SyntaxElement | undefined): string {
  if (!e) return "";
  if (e.IsToken) return e.Text ?? "";
  let s = "";
  for (let i = 0; i < e.ChildCount; i++) {
    const c = e.GetChild(i);
    if (c) s += typeText(c);
  }
  return s;
}

export function scan({ node, input, env, ctx }: OpArgs): Table {
  if (child(node, "OrderByClause") || child(node, "PartitionByClause")) {
    throw unsupported("scan order by / partition by", node);
  }
  const matchIdName = namedParameter(node, "with_match_id");
  const declared: Column[] = [];
  const defaults: Value[] = [];
  const declScope = scopeFor([], env, ctx);
  for (const p of listItems(child(child(node, "DeclareClause"), "Declarations"))) {
    const decl = child(p, "NameAndType");
    const name = nameOf(child(decl, "Name"));
    const t = typeText(child(decl, "Type")).trim();
    const type = kustoType(t);
    if (!type) throw queryError(`unknown type '${t}'`, p);
    declared.push({ name, type });
    const def = child(child(p, "DefaultValue"), "Value");
    defaults.push(def ? compileExpr(def, declScope).fn([], 0, []) : emptyOf(type));
  }
  const columns: Column[] = [...input.columns, ...declared];
  const width = columns.length;
  const stepNodes = listItems(child(node, "Steps"));
  const stepNames = stepNodes.map((s) => nameOf(child(s, "Name")));
  // `s_k.col` reads the state of step k (or the declared default while it is empty).
  const states: (StepState | null)[] = stepNames.map(() => null);
  // The match whose step rows `s_j.col` refers to while a condition is evaluated.
  let current: StepState | null = null;
  const stepRefs = new Map<string, (column: string, at: SyntaxElement) => Compiled>();
  stepNames.forEach((sn, k) => {
    stepRefs.set(sn, (column, at) => {
      const idx = columns.findIndex((c) => c.name === column);
      if (idx < 0) throw queryError(`scan: no column '${column}' in step '${sn}'`, at);
      const fallback =
        idx >= input.columns.length
          ? defaults[idx - input.columns.length]
          : emptyOf(columns[idx].type);
      return {
        fn: () => {
          const row = current?.history[k];
          return row ? row[idx] : fallback;
        },
        type: columns[idx].type,
      };
    });
  });
  const scope: Scope = { ...scopeFor(columns, env, ctx), stepRefs };
  const steps: Step[] = stepNodes.map((s, k) => {
    const out = child(s, "ScanStepOutput");
    const outputNone = out ? /none/i.test(typeText(out)) : false;
    const assignments = listItems(child(child(s, "ComputationClause"), "Assignments")).map((a) => {
      const name = nameOf(child(a, "Name"));
      const target = columns.findIndex((c) => c.name === name);
      if (target < input.columns.length)
        throw queryError(`scan can only assign declared columns ('${name}')`, a);
      return { target, value: compileExpr(child(a, "Expression") as SyntaxElement, scope) };
    });
    return {
      name: stepNames[k],
      condition: compileExpr(child(s, "Condition") as SyntaxElement, scope),
      assignments,
      output: !outputNone,
    };
  });
  if (steps.length === 0) throw queryError("scan needs at least one step", node);

  const out: Value[][] = [];
  let nextMatchId = 0;
  const rows = input.rows;
  for (let i = 0; i < rows.length; i++) {
    checkTime(ctx);
    const r = rows[i];
    for (let k = steps.length - 1; k >= 0; k--) {
      const step = steps[k];
      // The row under test: the record's columns, the declared columns of the match it joins.
      const attempt = (
        from: StepState | null,
        refs: StepState | null,
        matchId: number,
      ): boolean => {
        const work: Value[] = new Array(width);
        for (let c = 0; c < r.length; c++) work[c] = r[c];
        for (let d = 0; d < declared.length; d++)
          work[r.length + d] = from ? from.row[r.length + d] : defaults[d];
        current = refs;
        if (step.condition.fn(work, i, rows) !== true) return false;
        const assigned = step.assignments.map((a) => a.value.fn(work, i, rows));
        step.assignments.forEach((a, j) => (work[a.target] = assigned[j]));
        const history = from ? from.history.slice() : [];
        history[k] = work;
        if (k > 0 && from === states[k - 1]) states[k - 1] = null;
        states[k] = { row: work, matchId, history };
        if (step.output) out.push(matchIdName ? [...work, matchId] : work);
        return true;
      };
      let matched = false;
      if (k === 0) {
        matched = attempt(null, states[0], nextMatchId);
        if (matched) nextMatchId++;
      } else {
        const prev = states[k - 1];
        if (prev) matched = attempt(prev, prev, prev.matchId);
        const own = states[k];
        if (!matched && own) matched = attempt(own, own, own.matchId);
      }
      if (matched) break;
    }
    if ((out.length & 0xfff) === 0) checkRows(ctx, out.length, "scan");
  }
  const outColumns = matchIdName
    ? [...columns, { name: matchIdName, type: "long" as const }]
    : columns;
  return { columns: outColumns, rows: out };
}
