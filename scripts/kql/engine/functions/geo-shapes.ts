// Geospatial shape operations: buffers, simplification, densification, unions,
// intersections and polygon centroids.
//
// Kusto's edges are geodesics on a sphere. Topology (which pieces survive a union or an
// intersection, and buffers) comes from @turf/turf, which works in the plane of longitude and
// latitude; every vertex the overlay creates where two edges cross is then recomputed as the
// crossing of the two great-circle arcs, so the documented results hold to ~1e-9 for the
// city-sized shapes they use. Across long edges the planar topology may differ from Kusto's.

import * as turf from "@turf/turf";
import type { Feature, MultiPolygon, Polygon } from "geojson";
import { geojson as s2geojson, s2 } from "s2js";
import type { Json, Value } from "../values";
import { newBag } from "./coerce";
import {
  closestOnArc,
  coord,
  cross,
  dot,
  geoDistance,
  inRing,
  linesOf,
  point,
  pointArgs,
  polygonsOf,
  ringArea,
  toPosition,
  toVector,
  type Position,
} from "./geo";
import { defineScalar } from "./registry";

type Rings = Position[][];

function geo(type: string, coordinates: Json): Json {
  const bag = newBag();
  bag.type = type;
  bag.coordinates = coordinates;
  return bag;
}

function emptyCollection(): Json {
  const bag = newBag();
  bag.type = "GeometryCollection";
  bag.geometries = [];
  return bag;
}

/** Polygon for one polygon, MultiPolygon for several (Kusto's shape of a result). */
function polygonsJson(polys: Rings[]): Json {
  return polys.length === 1 ? geo("Polygon", polys[0]) : geo("MultiPolygon", polys);
}

function linesJson(lines: Position[][]): Json {
  return lines.length === 1 ? geo("LineString", lines[0]) : geo("MultiLineString", lines);
}

// --- great-circle arcs ------------------------------------------------------------------------

/** Where arcs A–B and C–D cross on the sphere, or null when they do not. */
function arcCrossing(a: Position, b: Position, c: Position, d: Position): Position | null {
  const A = toVector(a[0], a[1]);
  const B = toVector(b[0], b[1]);
  const C = toVector(c[0], c[1]);
  const D = toVector(d[0], d[1]);
  const n1 = cross(A, B);
  const n2 = cross(C, D);
  let p = cross(n1, n2);
  const len = Math.sqrt(dot(p, p));
  if (len < 1e-18) return null;
  p = [p[0] / len, p[1] / len, p[2] / len];
  const mid = [A[0] + B[0] + C[0] + D[0], A[1] + B[1] + C[1] + D[1], A[2] + B[2] + C[2] + D[2]];
  if (dot(p, mid) < 0) p = [-p[0], -p[1], -p[2]];
  // P lies within both arcs when it is on the inner side of each arc's end points.
  const within = (X: number[], Y: number[], n: number[]) =>
    dot(cross(X, p), n) >= -1e-15 && dot(cross(p, Y), n) >= -1e-15;
  return within(A, B, n1) && within(C, D, n2) ? toPosition(p) : null;
}

type Edge = [Position, Position];

function edgesOf(paths: Position[][]): Edge[] {
  const out: Edge[] = [];
  for (const p of paths) for (let i = 1; i < p.length; i++) out.push([p[i - 1], p[i]]);
  return out;
}

function planarCrossing(e: Edge, f: Edge): Position | null {
  const [[x1, y1], [x2, y2]] = e;
  const [[x3, y3], [x4, y4]] = f;
  const den = (x1 - x2) * (y3 - y4) - (y1 - y2) * (x3 - x4);
  if (den === 0) return null;
  const t = ((x1 - x3) * (y3 - y4) - (y1 - y3) * (x3 - x4)) / den;
  const u = -((x1 - x2) * (y1 - y3) - (y1 - y2) * (x1 - x3)) / den;
  if (t < -1e-9 || t > 1 + 1e-9 || u < -1e-9 || u > 1 + 1e-9) return null;
  return [x1 + t * (x2 - x1), y1 + t * (y2 - y1)];
}

/**
 * Replaces each vertex a planar overlay created (one that is no input vertex) by the crossing
 * of the two great-circle input edges it was made from.
 */
function snapToArcs(paths: Position[][], inputs: Position[][]): Position[][] {
  const known = new Set(inputs.flat().map((p) => `${p[0]},${p[1]}`));
  const edges = edgesOf(inputs);
  const snap = (v: Position): Position => {
    if (known.has(`${v[0]},${v[1]}`)) return v;
    let best: { at: Position; d: number } | null = null;
    for (let i = 0; i < edges.length; i++) {
      for (let j = i + 1; j < edges.length; j++) {
        const q = planarCrossing(edges[i], edges[j]);
        if (!q) continue;
        const d = Math.hypot(q[0] - v[0], q[1] - v[1]);
        if (d < 1e-7 && (!best || d < best.d)) {
          const s = arcCrossing(edges[i][0], edges[i][1], edges[j][0], edges[j][1]);
          if (s) best = { at: s, d };
        }
      }
    }
    return best ? best.at : v;
  };
  return paths.map((p) => p.map(snap));
}

// --- unions and intersections of polygons -----------------------------------------------------

function polygonFeature(rings: Rings): Feature<Polygon> {
  return turf.polygon(rings);
}

function overlayResult(
  result: Feature<Polygon | MultiPolygon> | null,
  inputs: Rings[],
): Rings[] | null {
  if (!result) return null;
  const g = result.geometry;
  const polys = (g.type === "Polygon" ? [g.coordinates] : g.coordinates) as Rings[];
  const flatInputs = inputs.flat();
  const vertices = flatInputs.flat();
  const start = inputs[0]?.[0]?.[0];
  return polys.map((rings) =>
    snapToArcs(rings, flatInputs).map((ring) => startAt(keepInputVertices(ring, vertices), start)),
  );
}

/** Puts back input vertices lying on an output edge (planar overlays drop collinear ones). */
function keepInputVertices(ring: Position[], vertices: Position[]): Position[] {
  const out: Position[] = [ring[0]];
  for (let i = 1; i < ring.length; i++) {
    const [a, b] = [ring[i - 1], ring[i]];
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    const between = new Map<string, { p: Position; t: number }>();
    for (const v of vertices) {
      if (same(v, a) || same(v, b)) continue;
      const t = ((v[0] - a[0]) * (b[0] - a[0]) + (v[1] - a[1]) * (b[1] - a[1])) / (len * len);
      const off = Math.abs((v[0] - a[0]) * (b[1] - a[1]) - (v[1] - a[1]) * (b[0] - a[0])) / len;
      if (t > 0 && t < 1 && off < 1e-12 * Math.max(1, len)) between.set(key(v), { p: v, t });
    }
    out.push(...[...between.values()].sort((x, y) => x.t - y.t).map((x) => x.p), b);
  }
  return out;
}

/** Rotates a closed ring to begin at `start` when it is one of its vertices (Kusto's order). */
function startAt(ring: Position[], start: Position | undefined): Position[] {
  const k = start ? ring.findIndex((p) => same(p, start)) : -1;
  if (k <= 0) return ring;
  const open = ring.slice(0, -1);
  const rotated = [...open.slice(k), ...open.slice(0, k)];
  return [...rotated, rotated[0]];
}

/** The union of polygons; overlapping members of a MultiPolygon count once. */
function unionOf(polys: Rings[]): Rings[] | null {
  if (polys.length === 1) return polys;
  const u = turf.union(turf.featureCollection(polys.map(polygonFeature)));
  return overlayResult(u, polys);
}

function polygonArea(polys: Rings[]): number {
  return polys.reduce(
    (s, [outer, ...holes]) => s + ringArea(outer) - holes.reduce((t, h) => t + ringArea(h), 0),
    0,
  );
}

/** The union of a dynamic array of polygons; null when it is empty or holds a non-polygon. */
function unionOfArray(arr: Value | undefined): ReturnType<typeof unionOf> | null {
  if (!Array.isArray(arr) || arr.length === 0) return null;
  const all: Rings[] = [];
  for (const g of arr) {
    const polys = polygonsOf(g);
    if (!polys) return null;
    all.push(...polys);
  }
  return unionOf(all);
}

defineScalar({
  name: "geo_union_polygons_array",
  minArgs: 1,
  maxArgs: 1,
  impl: ([arr]) => {
    const u = unionOfArray(arr);
    return u ? polygonsJson(u) : null;
  },
});

defineScalar({
  name: "geo_intersects_2polygons",
  minArgs: 2,
  maxArgs: 2,
  impl: ([x, y]) => {
    const a = polygonsOf(x);
    const b = polygonsOf(y);
    if (!a || !b) return null;
    return a.some((p) =>
      b.some((q) => turf.booleanIntersects(polygonFeature(p), polygonFeature(q))),
    );
  },
});

defineScalar({
  name: "geo_intersection_2polygons",
  minArgs: 2,
  maxArgs: 2,
  impl: ([x, y]) => {
    const a = polygonsOf(x);
    const b = polygonsOf(y);
    if (!a || !b) return null;
    const fa = turf.multiPolygon(a);
    const fb = turf.multiPolygon(b);
    const inter = overlayResult(turf.intersect(turf.featureCollection([fa, fb])), [...a, ...b]);
    if (inter && inter.length > 0) return polygonsJson(inter);
    // Touching polygons share only boundary points.
    const shared = turf.lineIntersect(turf.polygonToLine(fa), turf.polygonToLine(fb));
    const pts = shared.features.map((f) => f.geometry.coordinates as Position);
    const unique = [...new Map(pts.map((p) => [`${p[0]},${p[1]}`, p])).values()];
    if (unique.length === 0) return emptyCollection();
    return unique.length === 1 ? geo("Point", unique[0]) : geo("MultiPoint", unique);
  },
});

// --- lines against lines and polygons ---------------------------------------------------------

/** The strictly valid lines argument of the line functions (null for a polygon or bad input). */
function lineArg(v: Value | undefined): Position[][] | null {
  return linesOf(v);
}

/** Splits each line at every crossing with `cutters` (great-circle crossings). */
function splitLines(lines: Position[][], cutters: Edge[]): Position[][] {
  const out: Position[][] = [];
  for (const line of lines) {
    let current: Position[] = [line[0]];
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1];
      const b = line[i];
      const cuts: { at: Position; t: number }[] = [];
      for (const [c, d] of cutters) {
        const x = arcCrossing(a, b, c, d);
        if (x) cuts.push({ at: x, t: geoDistance(a[0], a[1], x[0], x[1]) });
      }
      cuts.sort((p, q) => p.t - q.t);
      for (const { at } of cuts) {
        const last = current[current.length - 1];
        if (last[0] === at[0] && last[1] === at[1]) continue;
        current.push(at);
        out.push(current);
        current = [at];
      }
      current.push(b);
    }
    out.push(current);
  }
  return out.filter((p) => p.length >= 2 && !(p.length === 2 && same(p[0], p[1])));
}

function same(p: Position, q: Position): boolean {
  return p[0] === q[0] && p[1] === q[1];
}

function midpoint(a: Position, b: Position): Position {
  const A = toVector(a[0], a[1]);
  const B = toVector(b[0], b[1]);
  return toPosition([A[0] + B[0], A[1] + B[1], A[2] + B[2]]);
}

function insidePolys(p: Position, polys: Rings[]): boolean {
  return polys.some(
    ([outer, ...holes]) => inRing(p[0], p[1], outer) && !holes.some((h) => inRing(p[0], p[1], h)),
  );
}

defineScalar({
  name: "geo_intersects_2lines",
  minArgs: 2,
  maxArgs: 2,
  impl: ([x, y]) => {
    const a = lineArg(x);
    const b = lineArg(y);
    if (!a || !b) return null;
    const eb = edgesOf(b);
    return edgesOf(a).some(([p, q]) => eb.some(([r, s]) => arcCrossing(p, q, r, s) !== null));
  },
});

defineScalar({
  name: "geo_intersects_line_with_polygon",
  minArgs: 2,
  maxArgs: 2,
  impl: ([x, y]) => {
    const lines = lineArg(x);
    const polys = polygonsOf(y);
    if (!lines || !polys) return null;
    if (lines.some((l) => l.some((p) => insidePolys(p, polys)))) return true;
    const boundary = edgesOf(polys.flat());
    return edgesOf(lines).some(([p, q]) => boundary.some(([r, s]) => arcCrossing(p, q, r, s)));
  },
});

defineScalar({
  name: "geo_intersection_2lines",
  minArgs: 2,
  maxArgs: 2,
  impl: ([x, y]) => {
    const a = lineArg(x);
    const b = lineArg(y);
    if (!a || !b) return null;
    // Shared stretches: the segments of A that lie along B; then isolated crossing points.
    const sharedEdges = edgesOf(a).filter(([p, q]) =>
      edgesOf(b).some(
        ([r, s]) => closestOnArc(p, r, s).distance < 1e-6 && closestOnArc(q, r, s).distance < 1e-6,
      ),
    );
    if (sharedEdges.length > 0) return linesJson(chainSegments(sharedEdges));
    const points: Position[] = [];
    for (const [p, q] of edgesOf(a)) {
      for (const [r, s] of edgesOf(b)) {
        const c = arcCrossing(p, q, r, s);
        if (c && !points.some((o) => geoDistance(o[0], o[1], c[0], c[1]) < 1e-6)) points.push(c);
      }
    }
    if (points.length === 0) return emptyCollection();
    return points.length === 1 ? geo("Point", points[0]) : geo("MultiPoint", points);
  },
});

defineScalar({
  name: "geo_intersection_line_with_polygon",
  minArgs: 2,
  maxArgs: 2,
  impl: ([x, y]) => {
    const lines = lineArg(x);
    const polys = polygonsOf(y);
    if (!lines || !polys) return null;
    const pieces = splitLines(lines, edgesOf(polys.flat())).filter((piece) =>
      insidePolys(midpoint(piece[0], piece[1]), polys),
    );
    return pieces.length === 0 ? emptyCollection() : linesJson(chainSegments(edgesOf(pieces)));
  },
});

// --- unions of lines --------------------------------------------------------------------------

const key = (p: Position) => `${p[0]},${p[1]}`;

/** Joins segments (duplicates dropped) into the fewest lines through shared end points. */
function chainSegments(segments: Edge[]): Position[][] {
  const seen = new Set<string>();
  const unique: Edge[] = [];
  for (const [p, q] of segments) {
    if (same(p, q)) continue;
    const k = [key(p), key(q)].sort().join("|");
    if (!seen.has(k)) {
      seen.add(k);
      unique.push([p, q]);
    }
  }
  const degree = new Map<string, number>();
  for (const [p, q] of unique) {
    degree.set(key(p), (degree.get(key(p)) ?? 0) + 1);
    degree.set(key(q), (degree.get(key(q)) ?? 0) + 1);
  }
  const used = new Array<boolean>(unique.length).fill(false);
  const lines: Position[][] = [];
  // Start at segments whose first end is not a pass-through vertex, then close what is left.
  const order = unique
    .map((_, i) => i)
    .sort(
      (i, j) =>
        Number(degree.get(key(unique[i][0])) === 2) - Number(degree.get(key(unique[j][0])) === 2),
    );
  for (const start of order) {
    if (used[start]) continue;
    used[start] = true;
    const line = [unique[start][0], unique[start][1]];
    for (;;) {
      const end = line[line.length - 1];
      if (degree.get(key(end)) !== 2) break;
      const next = unique.findIndex((e, i) => !used[i] && (same(e[0], end) || same(e[1], end)));
      if (next < 0) break;
      used[next] = true;
      const [p, q] = unique[next];
      line.push(same(p, end) ? q : p);
    }
    lines.push(line);
  }
  return lines;
}

defineScalar({
  name: "geo_union_lines_array",
  minArgs: 1,
  maxArgs: 1,
  impl: ([arr]) => {
    if (!Array.isArray(arr) || arr.length === 0) return null;
    const all: Position[][] = [];
    for (const g of arr) {
      const lines = linesOf(g);
      if (!lines) return null;
      all.push(...lines);
    }
    return linesJson(chainSegments(edgesOf(all)));
  },
});

// --- buffers ----------------------------------------------------------------------------------

/** Buffers are computed by turf in kilometres on its own sphere; results are GeoJSON. */
export function bufferOf(g: Parameters<typeof turf.buffer>[0], radius: number): Json {
  const b = turf.buffer(g, radius / 1000, { units: "kilometers", steps: 16 });
  if (!b) return null;
  const geom = "geometry" in b ? b.geometry : null;
  if (!geom) return null;
  return geo(geom.type, geom.coordinates as Json);
}

function radiusArg(v: Value | undefined): number | null {
  const r = coord(v);
  return r === null || r <= 0 ? null : r;
}

// geo_point_buffer(lon, lat, radius [, tolerance]), geo_line_buffer(line, radius [, tolerance]),
// geo_polygon_buffer(polygon, radius [, tolerance]): the shape's arguments, then the radius.
type Bufferable = Parameters<typeof turf.buffer>[0];
const buffered: [string, number, (args: Value[]) => Bufferable | null][] = [
  [
    "geo_point_buffer",
    2,
    ([lon, lat]) => {
      const p = pointArgs(lon, lat);
      return p ? turf.point(p) : null;
    },
  ],
  [
    "geo_line_buffer",
    1,
    ([line]) => {
      const lines = linesOf(line);
      return lines ? turf.multiLineString(lines) : null;
    },
  ],
  [
    "geo_polygon_buffer",
    1,
    ([poly]) => {
      const polys = polygonsOf(poly);
      return polys ? turf.multiPolygon(polys) : null;
    },
  ],
];
for (const [name, shapeArgs, shapeOf] of buffered) {
  defineScalar({
    name,
    minArgs: shapeArgs + 1,
    maxArgs: shapeArgs + 2,
    impl: (args) => {
      const shape = shapeOf(args);
      const r = radiusArg(args[shapeArgs]);
      if (!shape || r === null) return null;
      return bufferOf(shape, r);
    },
  });
}

// --- simplification and densification ---------------------------------------------------------

/** Douglas–Peucker with great-circle distances in metres; keeps both end points. */
function simplifyPath(points: Position[], tolerance: number): Position[] {
  if (points.length <= 2) return points;
  const keep = new Array<boolean>(points.length).fill(false);
  keep[0] = keep[points.length - 1] = true;
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [i, j] = stack.pop() as [number, number];
    let worst = -1;
    let at = -1;
    for (let k = i + 1; k < j; k++) {
      const d = closestOnArc(points[k], points[i], points[j]).distance;
      if (d > worst) {
        worst = d;
        at = k;
      }
    }
    if (at >= 0 && worst > tolerance) {
      keep[at] = true;
      stack.push([i, at], [at, j]);
    }
  }
  return points.filter((_, k) => keep[k]);
}

/** A closed ring simplified from its first vertex; null when it collapses. */
function simplifyRing(ring: Position[], tolerance: number): Position[] | null {
  // Split at the vertex farthest from the first, so each half has a real baseline.
  let far = 1;
  for (let k = 1; k < ring.length - 1; k++) {
    const d = geoDistance(ring[0][0], ring[0][1], ring[k][0], ring[k][1]);
    if (d > geoDistance(ring[0][0], ring[0][1], ring[far][0], ring[far][1])) far = k;
  }
  const first = simplifyPath(ring.slice(0, far + 1), tolerance);
  const second = simplifyPath(ring.slice(far), tolerance);
  const out = [...first, ...second.slice(1)];
  if (out.length < 4) return null;
  // A ring whose simplified form encloses (almost) nothing has collapsed.
  return ringArea(out) > 0 ? out : null;
}

function toleranceArg(args: Value[], i: number): number | null {
  if (args.length <= i) return 10;
  const t = coord(args[i]);
  return t === null || t < 0 ? null : t;
}

function simplifyPolygons(polys: Rings[], tolerance: number): Rings[] | null {
  const out: Rings[] = [];
  for (const [outer, ...holes] of polys) {
    const o = simplifyRing(outer, tolerance);
    if (!o) continue;
    const hs = holes.map((h) => simplifyRing(h, tolerance)).filter((h): h is Position[] => !!h);
    out.push([o, ...hs]);
  }
  return out.length > 0 ? out : null;
}

defineScalar({
  name: "geo_line_simplify",
  minArgs: 1,
  maxArgs: 2,
  impl: (args) => {
    const lines = linesOf(args[0]);
    const tolerance = toleranceArg(args, 1);
    if (!lines || tolerance === null) return null;
    return linesJson(lines.map((l) => simplifyPath(l, tolerance)));
  },
});

defineScalar({
  name: "geo_polygon_simplify",
  minArgs: 1,
  maxArgs: 2,
  impl: (args) => {
    const polys = polygonsOf(args[0]);
    const tolerance = toleranceArg(args, 1);
    if (!polys || tolerance === null) return null;
    const s = simplifyPolygons(polys, tolerance);
    return s ? polygonsJson(s) : null;
  },
});

defineScalar({
  name: "geo_simplify_polygons_array",
  minArgs: 1,
  maxArgs: 2,
  impl: (args) => {
    const arr = args[0];
    const tolerance = toleranceArg(args, 1);
    if (tolerance === null) return null;
    const u = unionOfArray(arr);
    const s = u ? simplifyPolygons(u, tolerance) : null;
    return s ? polygonsJson(s) : null;
  },
});

/** Kusto refuses densification beyond this many points per line. */
const MAX_DENSIFIED_POINTS = 10485760;

/**
 * Splits the straight (in degrees) edge a–b in halves until each piece's great-circle midpoint
 * lies within `tolerance` metres of its straight midpoint.
 */
function densifyEdge(a: Position, b: Position, tolerance: number, out: Position[]): void {
  const straight: Position = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const arc = midpoint(a, b);
  if (geoDistance(straight[0], straight[1], arc[0], arc[1]) <= tolerance) {
    out.push(b);
    return;
  }
  densifyEdge(a, straight, tolerance, out);
  densifyEdge(straight, b, tolerance, out);
}

defineScalar({
  name: "geo_line_densify",
  minArgs: 1,
  maxArgs: 3,
  impl: (args) => {
    const lines = linesOf(args[0]);
    const tolerance = toleranceArg(args, 1);
    if (!lines || tolerance === null || tolerance < 0.1) return null;
    const dense = lines.map((l) => {
      const out: Position[] = [l[0]];
      for (let i = 1; i < l.length; i++) densifyEdge(l[i - 1], l[i], tolerance, out);
      return out;
    });
    if (dense.reduce((s, l) => s + l.length, 0) > MAX_DENSIFIED_POINTS) return null;
    return linesJson(dense);
  },
});

// --- centroids --------------------------------------------------------------------------------

defineScalar({
  name: "geo_polygon_centroid",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => {
    const polys = polygonsOf(v);
    if (!polys) return null;
    const u = unionOf(polys);
    if (!u || polygonArea(u) <= 0) return null;
    // S2's true centroid: the area-weighted centre of mass of the surface, projected to the sphere.
    const sum = [0, 0, 0];
    for (const rings of u) {
      const shape = s2geojson.fromGeoJSON({ type: "Polygon", coordinates: rings });
      if (!(shape instanceof s2.Polygon)) continue;
      const c = shape.centroid();
      sum[0] += c.x;
      sum[1] += c.y;
      sum[2] += c.z;
    }
    if (dot(sum, sum) === 0) return null;
    const [lon, lat] = toPosition(sum);
    return point(lon, lat);
  },
});

defineScalar({
  name: "geo_polygon_area",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => {
    const polys = polygonsOf(v);
    if (!polys) return null;
    // Kusto measures a MultiPolygon as the union of its members.
    const u = unionOf(polys);
    return u ? polygonArea(u) : null;
  },
});
