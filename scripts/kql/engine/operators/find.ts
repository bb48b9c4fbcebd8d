// find: rows of several tables that match a predicate, in Kusto.Language's output schema
// (`source_`, the predicate's and common columns, and `pack_` holding the rest), or in the
// schema of a `project` clause.

import { kindOf, type SyntaxElement } from "../../kusto";
import { checkRows, checkTime, type Env, type RunContext } from "../context";
import { KqlError, queryError } from "../errors";
import {
  compileExpr,
  listItems,
  nameOf,
  scopeFor,
  tabular,
  type Compiled,
} from "../expressions/compile";
import { child } from "../syntax";
import { newBag, toDynamic, type Column, type Table, type Value } from "../values";
import { analysedColumns, emptyOf, namedParameter } from "./common";
import type { NamedTable } from "./union";

export function find(
  node: SyntaxElement,
  env: Env,
  ctx: RunContext,
  allTables: () => NamedTable[],
): Table {
  const source = namedParameter(node, "withsource") || "source_";
  const inClause = child(node, "InClause");
  const tables: NamedTable[] = inClause
    ? listItems(child(inClause, "Expressions")).map((e) => ({
        name: kindOf(e) === "NameReference" ? nameOf(e) : "",
        table: tabular(e, env, ctx),
      }))
    : allTables();
  const condition = child(node, "Condition") as SyntaxElement;
  const projectClause = child(node, "Project");
  const analysed = analysedColumns(node);
  let columns: Column[];
  if (analysed && analysed.length > 0) columns = analysed;
  else {
    const projected = listItems(child(projectClause, "Columns")).map((c) => ({
      name: nameOf(c),
      type: "dynamic" as const,
    }));
    columns = [{ name: source, type: "string" }, ...projected];
  }
  const packAt = columns.findIndex(
    (c) => c.type === "dynamic" && /^pack_?$|^column1$/.test(c.name),
  );
  const rows: Value[][] = [];
  for (const { name, table } of tables) {
    // A table without a column the predicate uses is left out, as Kusto does.
    let test: Compiled;
    try {
      test = compileExpr(condition, {
        ...scopeFor(table.columns, env, ctx),
        searchTerms: { caseSensitive: false },
      });
    } catch (err) {
      if (err instanceof KqlError && /unknown name/.test(err.message)) continue;
      throw err;
    }
    const index = new Map(table.columns.map((c, i) => [c.name, i]));
    const placed = new Set(columns.map((c) => c.name));
    table.rows.forEach((r, i) => {
      checkTime(ctx);
      if (test.fn(r, i, table.rows) !== true) return;
      const out: Value[] = columns.map((c, k) => {
        if (k === 0) return name;
        const at = index.get(c.name);
        return at === undefined ? emptyOf(c.type) : r[at];
      });
      if (packAt > 0) {
        const bag = newBag();
        table.columns.forEach((c, k) => {
          if (placed.has(c.name) && !projectClause) return;
          if (r[k] === null || r[k] === "") return;
          bag[c.name] = toDynamic(r[k], c.type);
        });
        out[packAt] = bag;
      }
      rows.push(out);
    });
    checkRows(ctx, rows.length, "find");
  }
  if (columns.length === 0) throw queryError("find: no output columns", node);
  columns[0] = { name: source, type: "string" };
  return { columns, rows };
}
