// where/filter, take/limit, count, distinct, serialize, getschema.

import { kindOf, type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import { checkTime } from "../context";
import { queryError } from "../errors";
import { keyOf } from "../expressions/compare";
import { compileExpr, listItems, scopeFor } from "../expressions/compile";
import type { Table, Value } from "../values";
import { nameLike, type OpArgs } from "./common";
import { extend } from "./project";

export function where({ node, input, env, ctx }: OpArgs): Table {
  const cond = compileExpr(
    child(node, "Condition") as SyntaxElement,
    scopeFor(input.columns, env, ctx),
  );
  if (cond.constant)
    return { columns: input.columns, rows: cond.constant.value === true ? input.rows : [] };
  const f = cond.fn;
  const rows = input.rows;
  const out: Value[][] = [];
  for (let i = 0; i < rows.length; i++) {
    if ((i & 0xfff) === 0) checkTime(ctx);
    if (f(rows[i], i, rows) === true) out.push(rows[i]);
  }
  return { columns: input.columns, rows: out };
}

/** The constant row count of take/limit/top/sample. */
export function countArgument(args: OpArgs, slot = "Expression"): number {
  const e = child(args.node, slot) as SyntaxElement;
  const c = compileExpr(e, scopeFor([], args.env, args.ctx));
  if (!c.constant || typeof c.constant.value !== "number") {
    throw queryError("the row count must be a constant number", e);
  }
  return Math.max(0, Math.floor(c.constant.value));
}

export function take(args: OpArgs): Table {
  const n = countArgument(args);
  return { columns: args.input.columns, rows: args.input.rows.slice(0, n) };
}

export function count(args: OpArgs): Table {
  return {
    columns: nameLike(args.node, [{ name: "Count", type: "long" }]),
    rows: [[args.input.rows.length]],
  };
}

export function distinct(args: OpArgs): Table {
  const { node, input, env, ctx } = args;
  const items = listItems(child(node, "Expressions"));
  let source = input;
  const star = items.length === 0 || (items.length === 1 && kindOf(items[0]) === "StarExpression");
  if (!star) {
    const scope = scopeFor(input.columns, env, ctx);
    const parts = items.map((it) => {
      const named = child(it, "Expression");
      return compileExpr(named ?? it, scope);
    });
    source = {
      columns: nameLike(
        node,
        parts.map((p, i) => ({
          name: input.columns[p.column ?? -1]?.name ?? `Column${i + 1}`,
          type: p.type,
        })),
      ),
      rows: input.rows.map((r, i) => parts.map((p) => p.fn(r, i, input.rows))),
    };
  }
  const seen = new Map<unknown, unknown>();
  const out: Value[][] = [];
  for (const r of source.rows) {
    checkTime(ctx);
    let level = seen;
    let fresh = false;
    for (let k = 0; k < r.length; k++) {
      const key = keyOf(r[k]);
      let next = level.get(key) as Map<unknown, unknown> | undefined;
      if (!next) {
        next = new Map();
        level.set(key, next);
        fresh = true;
      }
      level = next;
    }
    if (fresh || (r.length === 0 && out.length === 0)) out.push(r);
  }
  return { columns: source.columns, rows: out };
}

export function serialize(args: OpArgs): Table {
  if (listItems(child(args.node, "Expressions")).length === 0) return args.input;
  return extend(args);
}

export function getschema({ input }: OpArgs): Table {
  const dataType: Record<string, string> = {
    bool: "System.Boolean",
    int: "System.Int32",
    long: "System.Int64",
    real: "System.Double",
    decimal: "System.Data.SqlTypes.SqlDecimal",
    string: "System.String",
    datetime: "System.DateTime",
    timespan: "System.TimeSpan",
    guid: "System.Guid",
    dynamic: "System.Object",
  };
  return {
    columns: [
      { name: "ColumnName", type: "string" },
      { name: "ColumnOrdinal", type: "int" },
      { name: "DataType", type: "string" },
      { name: "ColumnType", type: "string" },
    ],
    rows: input.columns.map((c, i) => [c.name, i, dataType[c.type], c.type]),
  };
}
