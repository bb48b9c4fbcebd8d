// Ordering and equality of engine values, shared by sort, top, min/max-like operators,
// joins and the comparison operators.

import type { Value } from "../values";

/** Kusto equality of two non-null values (dynamic values compare structurally). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a === "object" || typeof b === "object") {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  // A long beyond 2^53 (bigint) against a number: compare the numeric values.
  if (typeof a === "bigint" || typeof b === "bigint") return isNumeric(a) && isNumeric(b) && a == b;
  return false;
}

function isNumeric(v: Value): v is number | bigint {
  return typeof v === "number" || typeof v === "bigint";
}

function rank(v: Value): number {
  switch (typeof v) {
    case "boolean":
      return 1;
    case "number":
    case "bigint":
      return 2;
    case "string":
      return 3;
    default:
      return 4;
  }
}

/**
 * Total order used for sorting: numbers numerically (NaN first), strings ordinally, booleans
 * false < true, dynamic values by their JSON text. Nulls are placed by the caller.
 */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === "number" && typeof b === "number") {
    if (a < b) return -1;
    if (a > b) return 1;
    if (a === b) return 0;
    return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : 1;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (isNumeric(a) && isNumeric(b)) {
    if (a < b) return -1;
    if (a > b) return 1;
    return a == b ? 0 : Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : 1;
  }
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === "boolean") return (a ? 1 : 0) - (b ? 1 : 0);
  const sa = JSON.stringify(a);
  const sb = JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** A grouping key for one value: distinct values get distinct keys, equal values equal keys. */
export function keyOf(v: Value): Value {
  if (typeof v === "bigint") return `\u0001${v}`;
  return v !== null && typeof v === "object" ? `\u0000${JSON.stringify(v)}` : v;
}
