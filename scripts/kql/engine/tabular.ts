// The tabular evaluator: walks pipelines, resolves table names and let-bound tables, and
// dispatches each query operator to its module under operators/.

import { kindOf, walk, type SyntaxElement } from "../kusto";
import { child, expandedBody } from "./syntax";
import { lookup, type Binding, type Env, type RunContext } from "./context";
import { queryError, unsupported } from "./errors";
import {
  bindLet,
  bindParameters,
  compileExpr,
  isTabularNode,
  listItems,
  nameOf,
  scopeFor,
  setTabularEvaluator,
} from "./expressions/compile";
import { evaluate } from "./operators/evaluate";
import { find } from "./operators/find";
import { join, joinWithRight, lookup as lookupOperator } from "./operators/join";
import { makeSeries } from "./operators/make-series";
import { mvApply, mvExpand } from "./operators/mv-expand";
import { parse, parseKv, parseWhere } from "./operators/parse";
import { reduce } from "./operators/reduce";
import { partition, sampleDistinct, topHitters } from "./operators/partition";
import {
  extend,
  project,
  projectAway,
  projectByNames,
  projectKeep,
  projectRename,
  projectReorder,
} from "./operators/project";
import { datatable, print, range, schemaColumns } from "./operators/sources";
import { sort, top } from "./operators/sort";
import { scan } from "./operators/scan";
import { search } from "./operators/search";
import { summarize } from "./operators/summarize";
import { topNested } from "./operators/top-nested";
import { union, type NamedTable } from "./operators/union";
import { count, distinct, getschema, serialize, take, where } from "./operators/where";
import { namedParameter, type OpArgs } from "./operators/common";
import type { Table } from "./values";

/** Resolves a table name: let-bound, `as`-named, the caller's tables and functions. */
export function resolveTable(name: string, node: SyntaxElement, env: Env, ctx: RunContext): Table {
  const b = lookup(env, name);
  if (b) return tableOfBinding(b, name, node, env, ctx);
  const asTable = ctx.asTables.get(name);
  if (asTable) return asTable;
  const t = ctx.tables.get(name);
  if (t) return t();
  const f = ctx.functions.get(name);
  if (f) return f();
  throw queryError(`unknown table '${name}' (supply it in the tables option or --tables)`, node);
}

function tableOfBinding(
  b: Binding,
  name: string,
  node: SyntaxElement,
  env: Env,
  ctx: RunContext,
): Table {
  switch (b.kind) {
    case "table":
      return b.get();
    case "function":
      return callTabularFunction(b, [], node, env, ctx);
    default: {
      // A scalar used where a table is expected: a one-cell table (Kusto allows `print x`-like use).
      const c = compileExpr(node, scopeFor([], env, ctx));
      return { columns: [{ name, type: c.type }], rows: [[c.fn([], 0, [])]] };
    }
  }
}

function callTabularFunction(
  b: Extract<Binding, { kind: "function" }>,
  args: SyntaxElement[],
  node: SyntaxElement,
  env: Env,
  ctx: RunContext,
  tableArgs: Table[] = [],
): Table {
  const scope = scopeFor([], env, ctx);
  const fenv = bindParameters(b, args, node, scope, tableArgs);
  const body = child(b.decl, "Body") as SyntaxElement;
  return evalBody(expandedBody(node, body), fenv, ctx);
}

/** Evaluates a function body `{ let …; tabular-expr }`. */
function evalBody(body: SyntaxElement, env: Env, ctx: RunContext): Table {
  const inner: Env = { vars: new Map(), parent: env };
  const scope = scopeFor([], inner, ctx);
  for (const st of listItems(child(body, "Statements"))) {
    if (kindOf(st) === "LetStatement") bindLet(st, scope);
  }
  return evalTabular(child(body, "Expression") as SyntaxElement, inner, ctx);
}

function callArgs(node: SyntaxElement): SyntaxElement[] {
  return listItems(child(child(node, "ArgumentList") as SyntaxElement, "Expressions"));
}

function evalCall(node: SyntaxElement, env: Env, ctx: RunContext): Table {
  const name = nameOf(child(node, "Name"));
  const args = callArgs(node);
  const b = lookup(env, name);
  if (b && b.kind === "function") return callTabularFunction(b, args, node, env, ctx);
  const scope = scopeFor([], env, ctx);
  const constArgs = () =>
    args.map((a) => {
      const c = compileExpr(a, scope);
      if (!c.constant) throw queryError(`argument of ${name}() must be constant`, a);
      return c.constant.value;
    });
  if (name === "table" || name === "materialize") {
    if (name === "materialize") return evalTabular(args[0], env, ctx);
    return resolveTable(String(constArgs()[0]), node, env, ctx);
  }
  if (name === "view") return evalTabular(args[0], env, ctx);
  // A caller-supplied function: `_GetWatchlist('alias')` is looked up with its arguments,
  // other functions (ASIM parsers called with parameters) by name.
  const positional = args.filter((a) => kindOf(a) !== "SimpleNamedExpression");
  const compiled = positional.map((a) => compileExpr(a, scope));
  if (compiled.every((c) => c.constant)) {
    const values = compiled.map((c) => (c.constant as { value: unknown }).value);
    const keyed = `${name}(${values.map((v) => `'${String(v)}'`).join(", ")})`;
    const f = ctx.functions.get(keyed) ?? ctx.functions.get(keyed.replace(/'/g, '"'));
    if (f) return f();
    if (name === "_GetWatchlist" && values.length > 0) {
      const w = ctx.functions.get(`_GetWatchlist:${String(values[0])}`);
      if (w) return w();
    }
  }
  const plain = ctx.functions.get(name);
  if (plain) return plain();
  // A known function without a body (schemas/functions), e.g. an unsupplied watchlist: an
  // empty table with its columns, like an unsupplied Sentinel table.
  const known = ctx.functions.get(`known:${name}`);
  if (known) return known();
  throw unsupported(`tabular function '${name}()'`, node);
}

/**
 * `T | join kind=innerunique U on k | where p` where `p` reads only T's columns: Kusto pushes
 * the filter to the left side before the join removes duplicate left keys, so the rows that
 * pass `p` are the ones kept (documented in join-innerunique.md). Returns undefined when the
 * pattern does not apply.
 */
function filterBeforeUniqueJoin(
  left: SyntaxElement,
  op: SyntaxElement,
  env: Env,
  ctx: RunContext,
): Table | undefined {
  if (kindOf(op) !== "FilterOperator" || kindOf(left) !== "PipeExpression") return undefined;
  const joinOp = child(left, "Operator") as SyntaxElement;
  if (kindOf(joinOp) !== "JoinOperator") return undefined;
  const flavor = (namedParameter(joinOp, "kind") ?? "innerunique").toLowerCase();
  if (flavor !== "innerunique") return undefined;
  const joinInput = evalTabular(child(left, "Expression") as SyntaxElement, env, ctx);
  const leftNames = new Set(joinInput.columns.map((c) => c.name));
  const rightSide = evalTabular(child(joinOp, "Expression") as SyntaxElement, env, ctx);
  // Names the right side's columns may take in the output (clashes get a numeric suffix).
  const rightNames = new Set(rightSide.columns.flatMap((c) => [c.name, `${c.name}1`]));
  let leftOnly = true;
  walk(child(op, "Condition") as SyntaxElement, (e) => {
    if (kindOf(e) === "NameReference" && !leftNames.has(nameOf(e)) && rightNames.has(nameOf(e)))
      leftOnly = false;
    return undefined;
  });
  if (!leftOnly) {
    const joined = joinWithRight(joinOp, joinInput, rightSide, env, ctx);
    return applyOperator(op, joined, env, ctx);
  }
  const filtered = applyOperator(op, joinInput, env, ctx);
  return joinWithRight(joinOp, filtered, rightSide, env, ctx);
}

/** Evaluates a tabular expression. */
export function evalTabular(node: SyntaxElement, env: Env, ctx: RunContext): Table {
  const kind = kindOf(node);
  switch (kind) {
    case "PipeExpression": {
      const left = child(node, "Expression") as SyntaxElement;
      const op = child(node, "Operator") as SyntaxElement;
      const pushed = filterBeforeUniqueJoin(left, op, env, ctx);
      if (pushed) return pushed;
      const input = evalTabular(left, env, ctx);
      if (kindOf(op) === "UnionOperator" && kindOf(left) === "NameReference") {
        // `T | union withsource=S U` names T's rows after T.
        return union(op, input, env, ctx, (p) => wildcardTables(p, env, ctx), nameOf(left));
      }
      return applyOperator(op, input, env, ctx);
    }
    case "ParenthesizedExpression":
    case "MaterializeExpression":
    case "ToTableExpression":
      return evalTabular(child(node, "Expression") as SyntaxElement, env, ctx);
    case "NameReference":
      return resolveTable(nameOf(node), node, env, ctx);
    case "FunctionCallExpression":
      return evalCall(node, env, ctx);
    case "DataTableExpression":
      return datatable(node, env, ctx);
    case "PrintOperator":
      return print(node, env, ctx);
    case "RangeOperator":
      return range(node, env, ctx);
    case "UnionOperator":
      return union(node, undefined, env, ctx, (p) => wildcardTables(p, env, ctx));
    case "SearchOperator":
      return search(node, undefined, env, ctx, () => wildcardTables("*", env, ctx));
    case "FindOperator":
      return find(node, env, ctx, () => wildcardTables("*", env, ctx));
    case "ExternalDataExpression": {
      // The engine never fetches URLs: the caller supplies the data by URL (`externaldata`
      // option); an unsupplied source is an empty table with the declared schema, like an
      // unsupplied Sentinel table.
      const columns = schemaColumns(child(node, "Schema"));
      const scope = scopeFor([], env, ctx);
      for (const u of listItems(child(node, "URIs"))) {
        const url = String(compileExpr(u, scope).constant?.value ?? "");
        const supplied = ctx.functions.get(`externaldata:${url}`);
        if (supplied) return supplied();
      }
      return { columns, rows: [] };
    }
    case "ContextualDataTableExpression":
      throw unsupported("contextual datatable", node);
    default:
      if (isTabularNode(node) && kind.endsWith("Operator"))
        return applyOperator(node, emptyInput(), env, ctx);
      throw unsupported(`tabular expression '${kind}'`, node);
  }
}

function emptyInput(): Table {
  return { columns: [], rows: [] };
}

function wildcardTables(pattern: string, env: Env, ctx: RunContext): NamedTable[] {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  const out: NamedTable[] = [];
  const seen = new Set<string>();
  for (let e: Env | undefined = env; e; e = e.parent) {
    for (const [name, b] of e.vars) {
      if (b.kind === "table" && re.test(name) && !seen.has(name)) {
        seen.add(name);
        out.push({ name, table: b.get() });
      }
    }
  }
  for (const [name, get] of ctx.tables) {
    if (re.test(name) && !seen.has(name)) {
      seen.add(name);
      const t = get();
      if (t.rows.length > 0 || ctx.suppliedTables.has(name)) out.push({ name, table: t });
    }
  }
  return out;
}

/** Runs an operator chain that starts from an implicit input (mv-apply's subquery, invoke). */
export function runOnInput(node: SyntaxElement, input: Table, env: Env, ctx: RunContext): Table {
  const kind = kindOf(node);
  if (kind === "PipeExpression") {
    const left = runOnInput(child(node, "Expression") as SyntaxElement, input, env, ctx);
    return applyOperator(child(node, "Operator") as SyntaxElement, left, env, ctx);
  }
  if (kind === "ParenthesizedExpression")
    return runOnInput(child(node, "Expression") as SyntaxElement, input, env, ctx);
  return applyOperator(node, input, env, ctx);
}

/** Applies one query operator to its input. */
export function applyOperator(node: SyntaxElement, input: Table, env: Env, ctx: RunContext): Table {
  const args: OpArgs = { node, input, env, ctx };
  const kind = kindOf(node);
  switch (kind) {
    case "FilterOperator":
      return where(args);
    case "ReduceByOperator":
      return reduce(args);
    case "ProjectOperator":
      return project(args);
    case "ProjectAwayOperator":
      return projectAway(args);
    case "ProjectKeepOperator":
      return projectKeep(args);
    case "ProjectRenameOperator":
      return projectRename(args);
    case "ProjectReorderOperator":
      return projectReorder(args);
    case "ProjectByNamesOperator":
      return projectByNames(args);
    case "ExtendOperator":
      return extend(args);
    case "SummarizeOperator":
      return summarize(args);
    case "CountOperator":
      return count(args);
    case "DistinctOperator":
      return distinct(args);
    case "TakeOperator":
      return take(args);
    case "TopOperator":
      return top(args);
    case "SortOperator":
      return sort(args);
    case "SerializeOperator":
      return serialize(args);
    case "JoinOperator":
      return join(args);
    case "LookupOperator":
      return lookupOperator(args);
    case "UnionOperator":
      return union(node, input, env, ctx, (p) => wildcardTables(p, env, ctx));
    case "MvExpandOperator":
      return mvExpand(args);
    case "MvApplyOperator":
      return mvApply(args, (sub, t, e) => runOnInput(sub, t, e, ctx));
    case "ParseOperator":
      return parse(args);
    case "ParseWhereOperator":
      return parseWhere(args);
    case "ParseKvOperator":
      return parseKv(args);
    case "AsOperator": {
      ctx.asTables.set(nameOf(child(node, "Name")), input);
      return input;
    }
    case "GetSchemaOperator":
      return getschema(args);
    case "InvokeOperator": {
      const call = child(node, "Function") as SyntaxElement;
      const name = nameOf(child(call, "Name"));
      const b = lookup(env, name);
      if (!b || b.kind !== "function")
        throw unsupported(`invoke of '${name}' (only let-bound functions)`, node);
      return callTabularFunction(
        b,
        [undefined as unknown as SyntaxElement, ...callArgs(call)],
        call,
        env,
        ctx,
        [input],
      );
    }
    case "EvaluateOperator":
      return evaluate(args);
    case "MakeSeriesOperator":
      return makeSeries(args);
    case "SearchOperator":
      return search(node, input, env, ctx, () => wildcardTables("*", env, ctx));
    case "ScanOperator":
      return scan(args);
    case "TopNestedOperator":
      return topNested(args);
    case "PrintOperator":
      return print(node, env, ctx);
    case "RangeOperator":
      return range(node, env, ctx);
    case "RenderOperator":
      return input;
    case "PartitionOperator":
      return partition(
        args,
        (sub, t, e) => runOnInput(sub, t, e, ctx),
        (query, e) => evalTabular(query, e, ctx),
      );
    case "TopHittersOperator":
      return topHitters(args);
    case "SampleDistinctOperator":
      return sampleDistinct(args);
    case "SampleOperator":
      return take({ ...args });
    case "ExecuteAndCacheOperator":
      return input;
    default:
      throw unsupported(`operator '${operatorWord(node)}'`, node);
  }
}

function operatorWord(node: SyntaxElement): string {
  for (let i = 0; i < node.ChildCount; i++) {
    const c = node.GetChild(i);
    if (c?.IsToken) return c.Text ?? kindOf(node);
  }
  return kindOf(node);
}

setTabularEvaluator(evalTabular);
