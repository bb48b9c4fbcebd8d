// union: outer (all columns, by name) or inner (common columns), withsource, isfuzzy,
// wildcard table names. A column with one name but different types becomes `name_type`.

import { kindOf, type SyntaxElement } from "../../kusto";
import { child } from "../syntax";
import { checkRows, type Env, type RunContext } from "../context";
import { queryError } from "../errors";
import { listItems, nameOf, tabular } from "../expressions/compile";
import type { Column, Table, Value } from "../values";
import { emptyOf, namedParameter } from "./common";

export interface NamedTable {
  name: string;
  table: Table;
}

/** Lists the tables a union operand stands for (wildcards expand to every match). */
export type TableResolver = (pattern: string) => NamedTable[];

export function union(
  node: SyntaxElement,
  input: Table | undefined,
  env: Env,
  ctx: RunContext,
  resolve: TableResolver,
  /** The piped input's table name, when it is a plain table reference. */
  inputName = "union_arg0",
): Table {
  const kind = (namedParameter(node, "kind") ?? "outer").toLowerCase();
  const source = namedParameter(node, "withsource");
  const fuzzy = (namedParameter(node, "isfuzzy") ?? "false").toLowerCase() === "true";
  const parts: NamedTable[] = [];
  if (input) parts.push({ name: inputName, table: input });
  for (const item of listItems(child(node, "Expressions"))) {
    const k = kindOf(item);
    if (k === "NameReference" && nameOf(item).includes("*")) {
      parts.push(...resolve(nameOf(item)));
      continue;
    }
    try {
      const t = tabular(item, env, ctx);
      parts.push({
        name: k === "NameReference" ? nameOf(item) : `union_arg${parts.length}`,
        table: t,
      });
    } catch (err) {
      if (!fuzzy) throw err;
    }
  }
  return unionTables(parts, kind, source, node, ctx);
}

export function unionTables(
  parts: NamedTable[],
  kind: string,
  source: string | undefined,
  node: SyntaxElement,
  ctx: RunContext,
): Table {
  // Types per column name, to find clashes.
  const types = new Map<string, Set<string>>();
  for (const p of parts) {
    for (const c of p.table.columns) {
      let s = types.get(c.name);
      if (!s) types.set(c.name, (s = new Set()));
      s.add(c.type);
    }
  }
  const outName = (c: Column) =>
    (types.get(c.name)?.size ?? 1) > 1 ? `${c.name}_${c.type}` : c.name;
  const columns: Column[] = [];
  const position = new Map<string, number>();
  if (source) {
    columns.push({ name: source, type: "string" });
  }
  if (kind === "inner") {
    const first = parts[0]?.table.columns ?? [];
    const common = first.filter((c) =>
      parts.every((p) => p.table.columns.some((d) => d.name === c.name && d.type === c.type)),
    );
    for (const c of common) {
      position.set(outName(c), columns.length);
      columns.push({ name: outName(c), type: c.type });
    }
  } else if (kind === "outer") {
    // A name with several types becomes one column per type (`a_string`, `a_long`), all at
    // the place where the name first appears, in the order the types are met.
    const seen = new Set<string>();
    for (const p of parts) {
      for (const c of p.table.columns) {
        if (seen.has(c.name)) continue;
        seen.add(c.name);
        for (const type of types.get(c.name) ?? [c.type]) {
          const v = { name: c.name, type: type as Column["type"] };
          position.set(outName(v), columns.length);
          columns.push({ name: outName(v), type: v.type });
        }
      }
    }
  } else throw queryError(`union kind '${kind}' is not inner or outer`, node);
  const rows: Value[][] = [];
  for (const p of parts) {
    const map = p.table.columns.map((c) => position.get(outName(c)));
    for (const r of p.table.rows) {
      const o: Value[] = columns.map((c) => emptyOf(c.type));
      if (source) o[0] = p.name;
      for (let k = 0; k < r.length; k++) {
        const to = map[k];
        if (to !== undefined) o[to] = r[k];
      }
      rows.push(o);
    }
    checkRows(ctx, rows.length, "union");
  }
  return { columns, rows };
}
