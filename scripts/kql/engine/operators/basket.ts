// evaluate basket([Threshold, WeightColumn, MaxDimensions, CustomWildcard, …]): frequent
// patterns of column values, after the Apriori-style mining the documentation describes.
//
// An item is one column holding one value; a pattern is a set of items over distinct columns.
// A pattern is frequent when the rows (or their weights) holding all its items reach
// Threshold × all rows. The plugin returns the frequent patterns that no frequent pattern of
// one more column matches with the same count (the closed ones: in the documented example
// {Damage=NO} is left out because every such row also has DamageCrops=0, and {Damage=NO,
// DamageCrops=0} is returned). Each row of the output is SegmentId, Count, Percent, then every
// input column with the pattern's value or the column type's wildcard (null; "" for strings;
// or the CustomWildcard given for that type). Counting is exact: Kusto samples to find the
// initial frequent values, so its results can differ near the threshold, as documented.

import type { SyntaxElement } from "../../kusto";
import { checkRows, checkTime } from "../context";
import { queryError } from "../errors";
import { keyOf } from "../expressions/compare";
import { compileExpr, scopeFor } from "../expressions/compile";
import type { Column, KustoType, Table, Value } from "../values";
import { emptyOf, type OpArgs } from "./common";

interface Pattern {
  /** Item ids, in column order. */
  items: number[];
  rows: Int32Array;
  count: number;
}

function isDefault(v: Value): boolean {
  return v === null || v === "~";
}

export function basket({ node, input, env, ctx }: OpArgs, fargs: SyntaxElement[]): Table {
  const constants = fargs.map((a) => compileExpr(a, scopeFor([], env, ctx)));
  const arg = (i: number): Value =>
    i < constants.length ? (constants[i].constant?.value ?? null) : null;
  const threshold = isDefault(arg(0)) ? 0.05 : Number(arg(0));
  if (!(threshold >= 0.015 && threshold <= 1))
    throw queryError("basket: Threshold must be a number from 0.015 to 1", node);
  const weightName = isDefault(arg(1)) ? undefined : String(arg(1));
  const weightIndex =
    weightName === undefined ? -1 : input.columns.findIndex((c) => c.name === weightName);
  if (weightName !== undefined && weightIndex < 0)
    throw queryError(`basket: no weight column '${weightName}'`, node);
  const maxDimensions = isDefault(arg(2)) ? 5 : Math.trunc(Number(arg(2)));
  if (!(maxDimensions >= 1)) throw queryError("basket: MaxDimensions must be at least 1", node);
  const wildcards = new Map<KustoType, Value>();
  for (let i = 3; i < constants.length; i++) {
    if (isDefault(arg(i)) && constants[i].type === "string") continue;
    wildcards.set(constants[i].type, arg(i));
  }
  // An int wildcard also serves long columns and the reverse (`int(-1)` in the documented
  // example marks a long column), unless both are given.
  const sibling: Partial<Record<KustoType, KustoType>> = { int: "long", long: "int" };
  const wildcardOf = (c: Column): Value => {
    if (wildcards.has(c.type)) return wildcards.get(c.type) as Value;
    const other = sibling[c.type];
    if (other && wildcards.has(other)) return wildcards.get(other) as Value;
    return emptyOf(c.type);
  };

  const rows = input.rows;
  const weights = rows.map((r) => {
    if (weightIndex < 0) return 1;
    const w = r[weightIndex];
    return typeof w === "number" && Number.isFinite(w) ? w : 0;
  });
  const total = weights.reduce((a, b) => a + b, 0);
  const minCount = threshold * total;
  const attributes = input.columns.map((_, i) => i).filter((i) => i !== weightIndex);

  // Items: (column, value) pairs; null and "" cannot be told from the wildcard, so they are
  // not items.
  const itemColumn: number[] = [];
  const itemValue: Value[] = [];
  const itemRows: number[][] = [];
  for (const col of attributes) {
    const ids = new Map<Value, number>();
    rows.forEach((r, i) => {
      if ((i & 0xfff) === 0) checkTime(ctx);
      const v = r[col];
      if (v === null || v === "") return;
      const k = keyOf(v);
      let id = ids.get(k);
      if (id === undefined) {
        id = itemColumn.length;
        ids.set(k, id);
        itemColumn.push(col);
        itemValue.push(v);
        itemRows.push([]);
      }
      itemRows[id].push(i);
    });
  }
  const weigh = (list: ArrayLike<number>): number => {
    let s = 0;
    for (let k = 0; k < list.length; k++) s += weights[list[k]];
    return s;
  };

  let level: Pattern[] = [];
  itemRows.forEach((list, id) => {
    const count = weigh(list);
    if (count > 0 && count >= minCount)
      level.push({ items: [id], rows: Int32Array.from(list), count });
  });
  const frequent: Pattern[][] = [level];
  for (let size = 2; size <= maxDimensions && level.length > 1; size++) {
    const next: Pattern[] = [];
    for (let a = 0; a < level.length; a++) {
      for (let b = a + 1; b < level.length; b++) {
        checkTime(ctx);
        const pa = level[a];
        const pb = level[b];
        // Join patterns sharing all but their last item; the last items must be of different
        // columns, in column order.
        let samePrefix = true;
        for (let k = 0; k < size - 2; k++)
          if (pa.items[k] !== pb.items[k]) {
            samePrefix = false;
            break;
          }
        if (!samePrefix) continue;
        const la = pa.items[size - 2];
        const lb = pb.items[size - 2];
        if (itemColumn[la] === itemColumn[lb]) continue;
        const [first, second] = itemColumn[la] < itemColumn[lb] ? [pa, pb] : [pb, pa];
        const shared = intersect(first.rows, second.rows);
        const count = weigh(shared);
        if (count > 0 && count >= minCount)
          next.push({
            items: [
              ...first.items.slice(0, size - 2),
              first.items[size - 2],
              second.items[size - 2],
            ],
            rows: shared,
            count,
          });
      }
    }
    checkRows(ctx, next.length, "basket");
    next.sort((x, y) => compareItems(x.items, y.items, itemColumn));
    frequent.push(next);
    level = next;
  }

  // Closed patterns: no frequent pattern with one more item has the same count.
  const closed: Pattern[] = [];
  frequent.forEach((patterns, depth) => {
    const larger = frequent[depth + 1] ?? [];
    for (const p of patterns) {
      const absorbed = larger.some(
        (q) => q.count === p.count && p.items.every((it) => q.items.includes(it)),
      );
      if (!absorbed) closed.push(p);
    }
  });
  closed.sort((x, y) => y.count - x.count || x.items.length - y.items.length);

  const columns: Column[] = [
    { name: "SegmentId", type: "long" },
    { name: "Count", type: "long" },
    { name: "Percent", type: "real" },
    ...input.columns.filter((_, i) => i !== weightIndex),
  ];
  const out = closed.map((p, id) => {
    const byColumn = new Map(p.items.map((it) => [itemColumn[it], itemValue[it]]));
    return [
      id,
      p.count,
      total > 0 ? (100 * p.count) / total : 0,
      ...attributes.map((c) =>
        byColumn.has(c) ? (byColumn.get(c) as Value) : wildcardOf(input.columns[c]),
      ),
    ];
  });
  return { columns, rows: out };
}

function compareItems(a: number[], b: number[], itemColumn: number[]): number {
  for (let k = 0; k < a.length; k++) {
    const d = itemColumn[a[k]] - itemColumn[b[k]] || a[k] - b[k];
    if (d !== 0) return d;
  }
  return 0;
}

/** Rows in both sorted row lists. */
function intersect(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out[n++] = a[i];
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out.subarray(0, n);
}
