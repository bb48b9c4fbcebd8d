// The geospatial lookup plugins, called from `evaluate` (operators/evaluate.ts):
//
//   T | evaluate geo_polygon_lookup(Polygons, PolygonColumn, Lon, Lat [, radius]
//                                   [, return_unmatched] [, return_lookup_key])
//   T | evaluate geo_line_lookup(Lines, LineColumn, Lon, Lat, radius
//                                [, return_unmatched] [, return_lookup_key])
//
// Each input row is joined with every lookup row whose polygon contains the point (or lies
// within `radius` metres of it), or whose line lies within `radius` metres. The result holds the
// input's columns, then the lookup table's (its key column only with return_lookup_key; a name
// the input already has gets a "1" suffix). Unmatched input rows are dropped unless
// return_unmatched is true.

import { kindOf, type SyntaxElement } from "../../kusto";
import { checkRows } from "../context";
import { queryError } from "../errors";
import { compileExpr, nameOf, scopeFor, tabular } from "../expressions/compile";
import { child } from "../syntax";
import type { Table, Value } from "../values";
import type { OpArgs } from "../operators/common";
import { emptyOf } from "../operators/common";
import {
  closestOnLines,
  insidePolygons,
  linesOf,
  pointArgs,
  polygonsOf,
  type Position,
} from "./geo";

type Matcher = (p: Position, shape: Value, radius: number) => boolean;

const polygonMatch: Matcher = (p, shape, radius) => {
  const polys = polygonsOf(shape);
  if (!polys) return false;
  if (insidePolygons(p, polys)) return true;
  return radius > 0 && closestOnLines(p, polys.flat()).distance <= radius;
};

const lineMatch: Matcher = (p, shape, radius) => {
  const lines = linesOf(shape);
  return lines !== null && closestOnLines(p, lines).distance <= radius;
};

const OPTIONS = ["radius", "return_unmatched", "return_lookup_key"] as const;

function lookup(
  args: OpArgs,
  fargs: SyntaxElement[],
  plugin: string,
  match: Matcher,
  radiusRequired: boolean,
): Table {
  const { input, env, ctx, node } = args;
  const positional: SyntaxElement[] = [];
  const named = new Map<string, SyntaxElement>();
  for (const a of fargs) {
    if (kindOf(a) === "SimpleNamedExpression") {
      const name = nameOf(child(a, "Name"));
      if (!(OPTIONS as readonly string[]).includes(name)) {
        throw queryError(`${plugin}: unknown argument '${name}'`, a);
      }
      named.set(name, child(a, "Expression") as SyntaxElement);
    } else positional.push(a);
  }
  // Positional options follow the four required arguments in the documented order.
  positional.slice(4).forEach((a, k) => {
    const name = OPTIONS[k];
    if (name && !named.has(name)) named.set(name, a);
  });
  if (positional.length < 4) {
    throw queryError(
      `${plugin} needs a lookup table, its shape column, longitude and latitude`,
      node,
    );
  }
  const constant = (name: string): Value => {
    const e = named.get(name);
    return e ? compileExpr(e, scopeFor([], env, ctx)).fn([], 0, []) : null;
  };
  const radiusValue = constant("radius");
  if (radiusRequired && radiusValue === null) throw queryError(`${plugin} needs a radius`, node);
  const radius = radiusValue === null ? 0 : Number(radiusValue);
  if (!Number.isFinite(radius) || radius < 0) {
    throw queryError(`${plugin}: the radius must be a non-negative number of metres`, node);
  }
  const returnUnmatched = constant("return_unmatched") === true;
  const returnKey = constant("return_lookup_key") === true;

  const lookupTable = tabular(positional[0], env, ctx);
  const keyName = nameOf(positional[1]);
  const key = lookupTable.columns.findIndex((c) => c.name === keyName);
  if (key < 0) throw queryError(`${plugin}: no column '${keyName}' in the lookup table`, node);
  const scope = scopeFor(input.columns, env, ctx);
  const lon = compileExpr(positional[2], scope);
  const lat = compileExpr(positional[3], scope);

  const kept = lookupTable.columns.map((_, i) => i).filter((i) => returnKey || i !== key);
  const taken = new Set(input.columns.map((c) => c.name));
  const extra = kept.map((i) => {
    const c = lookupTable.columns[i];
    return { ...c, name: taken.has(c.name) ? `${c.name}1` : c.name };
  });
  const rows: Value[][] = [];
  input.rows.forEach((r, i) => {
    const p = pointArgs(lon.fn(r, i, input.rows), lat.fn(r, i, input.rows));
    let matched = false;
    if (p) {
      for (const l of lookupTable.rows) {
        if (!match(p, l[key], radius)) continue;
        matched = true;
        rows.push([...r, ...kept.map((k) => l[k])]);
      }
    }
    if (!matched && returnUnmatched) rows.push([...r, ...extra.map((c) => emptyOf(c.type))]);
  });
  checkRows(ctx, rows.length, plugin);
  return { columns: [...input.columns, ...extra], rows };
}

export function geoPolygonLookup(args: OpArgs, fargs: SyntaxElement[]): Table {
  return lookup(args, fargs, "geo_polygon_lookup", polygonMatch, false);
}

export function geoLineLookup(args: OpArgs, fargs: SyntaxElement[]): Table {
  return lookup(args, fargs, "geo_line_lookup", lineMatch, true);
}
