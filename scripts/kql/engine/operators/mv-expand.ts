// mv-expand and mv-apply: one row per element of dynamic arrays (or per property of bags).

import { kindOf, type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import { checkRows, checkTime, type Env } from "../context";
import { queryError } from "../errors";
import { compileExpr, listItems, nameOf, scopeFor, type Compiled } from "../expressions/compile";
import {
  kustoType,
  newBag,
  parseDatetime,
  parseTimespan,
  type Column,
  type Json,
  type KustoType,
  type Table,
  type Value,
} from "../values";
import { namedParameter, type OpArgs } from "./common";
import { countArgument } from "./where";

interface Expansion {
  name: string;
  compiled: Compiled;
  type: KustoType;
}

function typeOfClause(e: SyntaxElement): KustoType {
  const clause = child(e, "ToTypeOf");
  if (!clause) return "dynamic";
  const t = child(clause, "TypeOf") as SyntaxElement;
  let text = "";
  const visit = (x: SyntaxElement) => {
    if (x.IsToken) {
      if (!/typeof|\(|\)/i.test(x.Text ?? "")) text += x.Text ?? "";
      return;
    }
    for (let i = 0; i < x.ChildCount; i++) {
      const c = x.GetChild(i);
      if (c) visit(c);
    }
  };
  visit(t);
  return kustoType(text) ?? "dynamic";
}

function expansions(node: SyntaxElement, input: Table, env: Env, args: OpArgs): Expansion[] {
  const scope = scopeFor(input.columns, env, args.ctx);
  return listItems(child(node, "Expressions")).map((item) => {
    const inner = child(item, "Expression") as SyntaxElement;
    let name: string;
    let expr = inner;
    if (kindOf(inner) === "SimpleNamedExpression") {
      name = nameOf(child(inner, "Name"));
      expr = child(inner, "Expression") as SyntaxElement;
    } else {
      const c = compileExpr(inner, scope);
      name = c.column !== undefined ? input.columns[c.column].name : nameOf(inner);
    }
    return { name, compiled: compileExpr(expr, scope), type: typeOfClause(item) };
  });
}

function elements(v: Value, bagAsArray: boolean): Value[] {
  if (Array.isArray(v)) return v as Value[];
  if (v !== null && typeof v === "object") {
    return Object.entries(v).map(([k, x]) => {
      if (bagAsArray) return [k, x] as Json[];
      const b = newBag();
      b[k] = x;
      return b;
    });
  }
  if (typeof v === "string" && /^\s*[[{]/.test(v)) {
    try {
      return elements(JSON.parse(v) as Value, bagAsArray);
    } catch {
      return [v];
    }
  }
  return [v];
}

function castElement(v: Value, type: KustoType): Value {
  if (v === null || type === "dynamic") return v;
  switch (type) {
    case "string":
      return typeof v === "string" ? v : JSON.stringify(v);
    // `to typeof()` casts, it does not parse: an element of another type becomes null.
    case "long":
    case "int":
      return typeof v === "number" ? Math.trunc(v) : null;
    case "real":
    case "decimal":
      return typeof v === "number" ? v : null;
    case "bool":
      return typeof v === "boolean" ? v : null;
    case "datetime":
      return typeof v === "string" ? parseDatetime(v) : null;
    case "timespan":
      return typeof v === "string" ? parseTimespan(v) : null;
    default:
      return typeof v === "string" ? v : null;
  }
}

interface Expanded {
  columns: Column[];
  /** Expanded rows and, per row, the input row it came from. */
  rows: Value[][];
  from: number[];
  /** Input columns an expansion overwrites in place (`mv-expand A`, not `B = A`). */
  replaced: Set<number>;
}

function expand(node: SyntaxElement, input: Table, args: OpArgs, env: Env): Expanded {
  const exps = expansions(node, input, env, args);
  const bagAsArray =
    (namedParameter(node, "bagexpansion") ?? "").toLowerCase() === "array" ||
    (namedParameter(node, "kind") ?? "").toLowerCase() === "array";
  const indexName = namedParameter(node, "with_itemindex");
  const limitClause = child(node, "RowLimitClause");
  const limit = limitClause ? countArgument({ ...args, node: limitClause }, "RowLimit") : Infinity;
  const columns = input.columns.map((c) => ({ ...c }));
  const targets = exps.map((e) => {
    let i = columns.findIndex((c) => c.name === e.name);
    if (i < 0) {
      i = columns.length;
      columns.push({ name: e.name, type: e.type });
    } else columns[i] = { name: e.name, type: e.type };
    return i;
  });
  let indexTarget = -1;
  if (indexName) {
    indexTarget = columns.length;
    columns.push({ name: indexName, type: "long" });
  }
  const rows: Value[][] = [];
  const from: number[] = [];
  input.rows.forEach((r, ri) => {
    checkTime(args.ctx);
    const lists = exps.map((e) => elements(e.compiled.fn(r, ri, input.rows), bagAsArray));
    const n = Math.min(limit, Math.max(0, ...lists.map((l) => l.length)));
    for (let k = 0; k < n; k++) {
      const o = r.slice();
      for (let c = o.length; c < columns.length; c++) o.push(null);
      exps.forEach((e, j) => {
        const v = lists[j][k];
        o[targets[j]] = v === undefined ? null : castElement(v, e.type);
      });
      if (indexTarget >= 0) o[indexTarget] = k;
      rows.push(o);
      from.push(ri);
    }
    if (rows.length > args.ctx.budget.maxRows) checkRows(args.ctx, rows.length, "mv-expand");
  });
  return {
    columns,
    rows,
    from,
    replaced: new Set(targets.filter((i) => i < input.columns.length)),
  };
}

export function mvExpand(args: OpArgs): Table {
  const e = expand(args.node, args.input, args, args.env);
  return { columns: e.columns, rows: e.rows };
}

/** Runs a tabular operator chain (mv-apply's subquery) over a table. */
export type SubqueryRunner = (subquery: SyntaxElement, input: Table, env: Env) => Table;

export function mvApply(args: OpArgs, runSubquery: SubqueryRunner): Table {
  const { node, input, env, ctx } = args;
  const e = expand(node, input, args, env);
  const sub = child(child(node, "Subquery") as SyntaxElement, "Expression") as SyntaxElement;
  if (!sub) throw queryError("mv-apply needs a subquery after 'on'", node);
  // The output row is the input row (less the columns expanded in place, which only the
  // subquery sees) followed by the subquery's columns, which win a name clash.
  const keptInput = (result: Table) =>
    input.columns
      .map((_, i) => i)
      .filter(
        (i) => !e.replaced.has(i) && !result.columns.some((d) => d.name === input.columns[i].name),
      );
  let outColumns: Column[] | undefined;
  // Every run of the subquery has the same columns, so what is kept is worked out once.
  let keep: number[] | undefined;
  const outRows: Value[][] = [];
  let next = 0;
  for (let ri = 0; ri < input.rows.length; ri++) {
    checkTime(ctx);
    // Expanded rows come in input order, so each input row's rows are one contiguous run.
    const part: Value[][] = [];
    while (next < e.rows.length && e.from[next] === ri) part.push(e.rows[next++]);
    const result = runSubquery(sub, { columns: e.columns, rows: part }, env);
    keep ??= keptInput(result);
    outColumns ??= [...keep.map((i) => input.columns[i]), ...result.columns];
    const kept = keep.map((i) => input.rows[ri][i]);
    for (const rr of result.rows) outRows.push([...kept, ...rr]);
    checkRows(ctx, outRows.length, "mv-apply");
  }
  if (!outColumns) {
    const result = runSubquery(sub, { columns: e.columns, rows: [] }, env);
    outColumns = [...keptInput(result).map((i) => input.columns[i]), ...result.columns];
  }
  return { columns: outColumns, rows: outRows };
}
