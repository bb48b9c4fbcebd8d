// project, project-away, project-keep, project-rename, project-reorder, extend.

import { kindOf, type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import { checkTime } from "../context";
import { queryError, unsupported } from "../errors";
import {
  compileExpr,
  listItems,
  nameOf,
  scopeFor,
  spreadTuple,
  tupleColumns,
  type Compiled,
  compoundNames,
} from "../expressions/compile";
import type { Column, Table, Value } from "../values";
import { analysedColumns, nameLike, type OpArgs } from "./common";

interface Assignment {
  name: string | undefined;
  compiled: Compiled;
}

/** The `name = expr` / `expr` items of project and extend, compiled over the input. */
function assignments({ node, input, env, ctx }: OpArgs): Assignment[] {
  const scope = scopeFor(input.columns, env, ctx);
  return listItems(child(node, "Expressions"))
    .map((item) => {
      const k = kindOf(item);
      if (k === "SimpleNamedExpression") {
        return {
          name: nameOf(child(item, "Name")),
          compiled: compileExpr(child(item, "Expression") as SyntaxElement, scope),
        };
      }
      if (k === "CompoundNamedExpression") throw unsupported("'(a, b) = …' assignment", item);
      if (k === "NameReference") {
        return { name: nameOf(item), compiled: compileExpr(item, scope) };
      }
      const compiled = compileExpr(item, scope);
      const tuple = tupleColumns(item);
      if (tuple) {
        return spreadTuple(compiled, tuple.length, item).map((part, k) => ({
          name: tuple[k].name,
          compiled: { ...part, type: tuple[k].type },
        }));
      }
      return { name: undefined, compiled };
    })
    .flat();
}

function evaluate(input: Table, parts: Compiled[], keep: number[], args: OpArgs): Value[][] {
  const rows = input.rows;
  const out: Value[][] = new Array(rows.length);
  const fns = parts.map((p) => p.fn);
  for (let i = 0; i < rows.length; i++) {
    checkTime(args.ctx);
    const r = rows[i];
    const o: Value[] = new Array(keep.length + fns.length);
    let k = 0;
    for (; k < keep.length; k++) o[k] = r[keep[k]];
    for (let j = 0; j < fns.length; j++) o[k + j] = fns[j](r, i, rows);
    out[i] = o;
  }
  return out;
}

export function project(args: OpArgs): Table {
  const parts = assignments(args);
  const analysed = analysedColumns(args.node);
  const columns: Column[] = parts.map((p, i) => ({
    name: p.name ?? analysed?.[i]?.name ?? `Column${i + 1}`,
    type: p.compiled.type,
  }));
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw queryError(`project: column '${c.name}' appears twice`, args.node);
    seen.add(c.name);
  }
  const rows = evaluate(
    args.input,
    parts.map((p) => p.compiled),
    [],
    args,
  );
  return { columns: nameLike(args.node, columns), rows };
}

export function extend(args: OpArgs): Table {
  const { node, input, env, ctx } = args;
  const analysed = analysedColumns(node);
  const columns: Column[] = input.columns.map((c) => ({ ...c }));
  // Assignments run left to right over the row being built, so `extend a = 1, b = a + 1`
  // sees the new `a`, and an assignment to an existing name replaces it in place.
  const targets: number[] = [];
  const fns: Compiled["fn"][] = [];
  let unnamed = 0;
  for (const item of listItems(child(node, "Expressions"))) {
    const scope = { ...scopeFor(columns, env, ctx), inputWidth: input.columns.length };
    let name: string | undefined;
    let expr = item;
    const k = kindOf(item);
    if (k === "SimpleNamedExpression") {
      name = nameOf(child(item, "Name"));
      expr = child(item, "Expression") as SyntaxElement;
    } else if (k === "CompoundNamedExpression") {
      // `(a, b) = f(…)`: f returns its several values as one list (see functions/registry.ts).
      const names = compoundNames(item);
      const valueExpr = child(item, "Expression") as SyntaxElement;
      const c = compileExpr(valueExpr, scope);
      const types = tupleColumns(valueExpr)?.map((t) => t.type) ?? [];
      names.forEach((n, pos) => {
        const type = types[pos] ?? "dynamic";
        let idx = columns.findIndex((col) => col.name === n);
        if (idx < 0) {
          idx = columns.length;
          columns.push({ name: n, type });
        } else columns[idx] = { name: n, type };
        targets.push(idx);
        const f = c.fn;
        fns.push((r, i, rs) => {
          const v = f(r, i, rs);
          if (!Array.isArray(v) || v.length < names.length) {
            throw queryError(
              `the function does not return ${names.length} values for '(${names.join(", ")}) ='`,
              item,
            );
          }
          return v[pos] as Value;
        });
      });
      continue;
    }
    const compiled = compileExpr(expr, scope);
    const tuple = name === undefined ? tupleColumns(expr) : undefined;
    if (tuple) {
      spreadTuple(compiled, tuple.length, expr).forEach((part, k) => {
        let idx = columns.findIndex((c) => c.name === tuple[k].name);
        if (idx < 0) {
          idx = columns.length;
          columns.push({ name: tuple[k].name, type: tuple[k].type });
        } else columns[idx] = { name: tuple[k].name, type: tuple[k].type };
        targets.push(idx);
        fns.push(part.fn);
      });
      continue;
    }
    if (name === undefined) {
      name = analysed?.[columns.length]?.name ?? `Column${++unnamed}`;
      if (k === "NameReference") name = nameOf(item);
    }
    let idx = columns.findIndex((c) => c.name === name);
    if (idx < 0) {
      idx = columns.length;
      columns.push({ name, type: compiled.type });
    } else columns[idx] = { name, type: compiled.type };
    targets.push(idx);
    fns.push(compiled.fn);
  }
  const rows = input.rows;
  const width = columns.length;
  const inWidth = input.columns.length;
  const out: Value[][] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    checkTime(ctx);
    const r = rows[i];
    const o: Value[] = new Array(width);
    for (let k = 0; k < inWidth; k++) o[k] = r[k];
    for (let j = 0; j < fns.length; j++) o[targets[j]] = fns[j](o, i, rows);
    out[i] = o;
  }
  return { columns: nameLike(node, columns), rows: out };
}

/** Column names matched by a project-away/keep item: a name or a `*` wildcard pattern. */
function matchNames(item: SyntaxElement, columns: Column[]): number[] {
  const text = nameOf(item) || (item.Text as string | undefined) || "";
  const raw = textOf(item);
  const pattern = raw.includes("*") ? raw : text;
  if (pattern.includes("*")) {
    const re = new RegExp(
      `^${pattern
        .replace(/^\['|'\]$/g, "")
        .split("*")
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
    return columns.map((c, i) => (re.test(c.name) ? i : -1)).filter((i) => i >= 0);
  }
  const idx = columns.findIndex((c) => c.name === pattern);
  return idx >= 0 ? [idx] : [];
}

function textOf(e: SyntaxElement): string {
  if (e.IsToken) return e.Text ?? "";
  let s = "";
  for (let i = 0; i < e.ChildCount; i++) {
    const c = e.GetChild(i);
    if (c) s += textOf(c);
  }
  return s;
}

function select(input: Table, indexes: number[], columns?: Column[]): Table {
  return {
    columns: columns ?? indexes.map((i) => input.columns[i]),
    rows: input.rows.map((r) => indexes.map((i) => r[i])),
  };
}

export function projectAway(args: OpArgs): Table {
  const drop = new Set<number>();
  for (const item of listItems(child(args.node, "Expressions"))) {
    for (const i of matchNames(item, args.input.columns)) drop.add(i);
  }
  const keep = args.input.columns.map((_, i) => i).filter((i) => !drop.has(i));
  return select(args.input, keep);
}

export function projectKeep(args: OpArgs): Table {
  const keep = new Set<number>();
  for (const item of listItems(child(args.node, "Expressions"))) {
    for (const i of matchNames(item, args.input.columns)) keep.add(i);
  }
  return select(
    args.input,
    args.input.columns.map((_, i) => i).filter((i) => keep.has(i)),
  );
}

export function projectRename(args: OpArgs): Table {
  const columns = args.input.columns.map((c) => ({ ...c }));
  for (const item of listItems(child(args.node, "Expressions"))) {
    const to = nameOf(child(item, "Name"));
    const from = nameOf(child(item, "Expression"));
    const idx = columns.findIndex((c) => c.name === from);
    if (idx < 0) throw queryError(`project-rename: no column '${from}'`, item);
    columns[idx].name = to;
  }
  return { columns, rows: args.input.rows };
}

export function projectReorder(args: OpArgs): Table {
  const order: number[] = [];
  const used = new Set<number>();
  const cols = args.input.columns;
  for (const item of listItems(child(args.node, "Expressions"))) {
    const k = kindOf(item);
    let target = item;
    let desc: boolean | undefined;
    if (k === "OrderedExpression") {
      target = child(item, "Expression") as SyntaxElement;
      const ord = child(item, "Ordering");
      if (ord) desc = /desc/i.test(textOf(ord));
    }
    let matched = matchNames(target, cols).filter((i) => !used.has(i));
    if (desc !== undefined) {
      matched = matched.sort((a, b) =>
        cols[a].name < cols[b].name ? -1 : cols[a].name > cols[b].name ? 1 : 0,
      );
      if (desc) matched.reverse();
    }
    for (const i of matched) {
      used.add(i);
      order.push(i);
    }
  }
  for (let i = 0; i < cols.length; i++) if (!used.has(i)) order.push(i);
  return select(args.input, order);
}

/** `project-by-names`: project columns by names or wildcards given as strings or arrays. */
export function projectByNames(args: OpArgs): Table {
  const cols = args.input.columns;
  const scope = scopeFor(cols, args.env, args.ctx);
  const keep: number[] = [];
  const add = (pattern: string) => {
    const re = new RegExp(
      `^${pattern
        .split("*")
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
    cols.forEach((c, i) => {
      if (re.test(c.name) && !keep.includes(i)) keep.push(i);
    });
  };
  for (const item of listItems(child(args.node, "Expressions"))) {
    const c = compileExpr(item, scope);
    if (!c.constant) throw queryError("project-by-names needs constant names", item);
    const v = c.constant.value;
    if (Array.isArray(v)) for (const x of v) add(String(x));
    else add(String(v));
  }
  return select(args.input, keep);
}
