// Geospatial functions: geo_distance_2points, geo_point_in_circle, geo_azimuth, geo_angle,
// geo_point_to_geohash, geo_geohash_to_central_point, geo_geohash_to_polygon,
// geo_geohash_neighbors, geo_line_length, geo_polygon_perimeter, geo_polygon_area,
// geo_point_in_polygon, geo_distance_point_to_line, geo_distance_point_to_polygon,
// geo_closest_point_on_line, geo_closest_point_on_polygon, geo_line_interpolate_point,
// geo_line_centroid,
// geo_from_wkt. Impossible-travel
// detections use the distance.
//
// Distances and areas are on a sphere of radius 6,371,010 m, which reproduces Kusto's
// documented results. geo_point_in_polygon treats edges as straight in degrees (Kusto uses
// geodesics), so points within metres of a long edge may differ. H3 and S2 cells live in
// geo-cells.ts; buffers, unions, intersections, centroids, simplification and polygon area in
// geo-shapes.ts; the lookup plugins in geo-lookup.ts.

import type { Json, Value } from "../values";
import { newBag, toNumber } from "./coerce";
import { defineScalar } from "./registry";
import { str } from "./strings";

export const EARTH_RADIUS_M = 6_371_010;
export const RAD = Math.PI / 180;

export function coord(v: Value | undefined): number | null {
  const n = v === undefined ? null : toNumber(v);
  return n === null || !Number.isFinite(n) ? null : n;
}

export function validPoint(lon: number | null, lat: number | null): boolean {
  return lon !== null && lat !== null && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

/** Great-circle distance in meters (haversine). */
export function geoDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A function of two points (lon1, lat1, lon2, lat2): null unless both are valid. */
function twoPoints(
  name: string,
  f: (lon1: number, lat1: number, lon2: number, lat2: number) => Value,
): void {
  defineScalar({
    name,
    minArgs: 4,
    maxArgs: 4,
    impl: (args) => {
      const [lon1, lat1, lon2, lat2] = args.map(coord);
      if (!validPoint(lon1, lat1) || !validPoint(lon2, lat2)) return null;
      return f(lon1 as number, lat1 as number, lon2 as number, lat2 as number);
    },
  });
}

twoPoints("geo_distance_2points", geoDistance);

defineScalar({
  name: "geo_point_in_circle",
  minArgs: 5,
  maxArgs: 5,
  impl: (args) => {
    const [lon, lat, clon, clat, radius] = args.map(coord);
    if (!validPoint(lon, lat) || !validPoint(clon, clat) || radius === null || radius < 0)
      return null;
    return geoDistance(lon as number, lat as number, clon as number, clat as number) <= radius;
  },
});

/** Initial bearing from point 1 to point 2, clockwise from north, in [0, 2π); null if equal. */
function azimuth(lon1: number, lat1: number, lon2: number, lat2: number): number | null {
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  const dl = (lon2 - lon1) * RAD;
  if (lat1 === lat2 && (lon1 === lon2 || Math.abs(lat1) === 90)) return null;
  const az = Math.atan2(
    Math.sin(dl) * Math.cos(p2),
    Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl),
  );
  return az < 0 ? az + 2 * Math.PI : az;
}

twoPoints("geo_azimuth", azimuth);

defineScalar({
  name: "geo_angle",
  minArgs: 6,
  maxArgs: 6,
  impl: (args) => {
    const [lon1, lat1, lon2, lat2, lon3, lat3] = args.map(coord);
    if (!validPoint(lon1, lat1) || !validPoint(lon2, lat2) || !validPoint(lon3, lat3)) return null;
    // The angle at point 2, measured clockwise from line [p2, p1] to line [p2, p3].
    const first = azimuth(lon2 as number, lat2 as number, lon1 as number, lat1 as number);
    const second = azimuth(lon2 as number, lat2 as number, lon3 as number, lat3 as number);
    if (first === null || second === null) return null;
    const angle = second - first;
    return angle < 0 ? angle + 2 * Math.PI : angle;
  },
});

// --- geohash ----------------------------------------------------------------------------------

const BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";

export function encodeGeohash(lon: number, lat: number, length: number): string {
  let lonLo = -180;
  let lonHi = 180;
  let latLo = -90;
  let latHi = 90;
  let out = "";
  let bits = 0;
  let ch = 0;
  let evenBit = true;
  while (out.length < length) {
    if (evenBit) {
      const mid = (lonLo + lonHi) / 2;
      if (lon >= mid) {
        ch = (ch << 1) | 1;
        lonLo = mid;
      } else {
        ch <<= 1;
        lonHi = mid;
      }
    } else {
      const mid = (latLo + latHi) / 2;
      if (lat >= mid) {
        ch = (ch << 1) | 1;
        latLo = mid;
      } else {
        ch <<= 1;
        latHi = mid;
      }
    }
    evenBit = !evenBit;
    if (++bits === 5) {
      out += BASE32[ch];
      bits = 0;
      ch = 0;
    }
  }
  return out;
}

interface Box {
  lonLo: number;
  lonHi: number;
  latLo: number;
  latHi: number;
}

export function decodeGeohash(hash: string): Box | null {
  if (hash.length < 1 || hash.length > 18) return null;
  const box: Box = { lonLo: -180, lonHi: 180, latLo: -90, latHi: 90 };
  let evenBit = true;
  for (const c of hash.toLowerCase()) {
    const v = BASE32.indexOf(c);
    if (v < 0) return null;
    for (let b = 4; b >= 0; b--) {
      const bit = (v >> b) & 1;
      if (evenBit) {
        const mid = (box.lonLo + box.lonHi) / 2;
        if (bit) box.lonLo = mid;
        else box.lonHi = mid;
      } else {
        const mid = (box.latLo + box.latHi) / 2;
        if (bit) box.latLo = mid;
        else box.latHi = mid;
      }
      evenBit = !evenBit;
    }
  }
  return box;
}

defineScalar({
  name: "geo_point_to_geohash",
  minArgs: 2,
  maxArgs: 3,
  impl: (args) => {
    const lon = coord(args[0]);
    const lat = coord(args[1]);
    const accuracy = args.length > 2 ? coord(args[2]) : 5;
    if (!validPoint(lon, lat) || accuracy === null || accuracy < 1 || accuracy > 18) return "";
    return encodeGeohash(lon as number, lat as number, Math.trunc(accuracy));
  },
});

export function point(lon: number, lat: number): Json {
  const bag = newBag();
  bag.type = "Point";
  bag.coordinates = [lon, lat];
  return bag;
}

defineScalar({
  name: "geo_geohash_to_central_point",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const box = decodeGeohash(str(args, ctx, 0));
    return box ? point((box.lonLo + box.lonHi) / 2, (box.latLo + box.latHi) / 2) : null;
  },
});

defineScalar({
  name: "geo_geohash_to_polygon",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const box = decodeGeohash(str(args, ctx, 0));
    if (!box) return null;
    const bag = newBag();
    bag.type = "Polygon";
    bag.coordinates = [
      [
        [box.lonLo, box.latLo],
        [box.lonHi, box.latLo],
        [box.lonHi, box.latHi],
        [box.lonLo, box.latHi],
        [box.lonLo, box.latLo],
      ],
    ];
    return bag;
  },
});

// Neighbors in the order Kusto's documented example lists them (dx, dy in cells).
const NEIGHBOR_OFFSETS: [number, number][] = [
  [-1, -1],
  [-1, 1],
  [1, -1],
  [0, 1],
  [-1, 0],
  [1, 1],
  [1, 0],
  [0, -1],
];

defineScalar({
  name: "geo_geohash_neighbors",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const hash = str(args, ctx, 0);
    const box = decodeGeohash(hash);
    if (!box) return null;
    const w = box.lonHi - box.lonLo;
    const h = box.latHi - box.latLo;
    const lon = (box.lonLo + box.lonHi) / 2;
    const lat = (box.latLo + box.latHi) / 2;
    const out: Json[] = [];
    for (const [dx, dy] of NEIGHBOR_OFFSETS) {
      const nlat = lat + dy * h;
      if (nlat > 90 || nlat < -90) continue;
      let nlon = lon + dx * w;
      if (nlon > 180) nlon -= 360;
      if (nlon < -180) nlon += 360;
      out.push(encodeGeohash(nlon, nlat, hash.length));
    }
    return out;
  },
});

// --- lines and polygons (GeoJSON) -------------------------------------------------------------

export type Position = [number, number];

export function position(v: Json | undefined): Position | null {
  if (!Array.isArray(v) || v.length < 2) return null;
  const [lon, lat] = v;
  if (typeof lon !== "number" || typeof lat !== "number" || !validPoint(lon, lat)) return null;
  return [lon, lat];
}

export function positions(v: Json | undefined): Position[] | null {
  if (!Array.isArray(v)) return null;
  const out: Position[] = [];
  for (const p of v) {
    const q = position(p);
    if (!q) return null;
    out.push(q);
  }
  return out;
}

export function geometry(v: Value | undefined): { type: string; coordinates: Json } | null {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  const type = v.type;
  return typeof type === "string" ? { type, coordinates: v.coordinates ?? null } : null;
}

/** The lines of a LineString or MultiLineString, each with at least two points. */
export function linesOf(v: Value | undefined): Position[][] | null {
  const g = geometry(v);
  if (!g) return null;
  const raw =
    g.type === "LineString" ? [g.coordinates] : g.type === "MultiLineString" ? g.coordinates : null;
  if (!Array.isArray(raw) || raw.length === 0) return null;
  const out: Position[][] = [];
  for (const l of raw) {
    const line = positions(l);
    if (!line || line.length < 2) return null;
    out.push(line);
  }
  return out;
}

function validRing(ring: Position[]): boolean {
  if (ring.length < 4) return false;
  const [f, l] = [ring[0], ring[ring.length - 1]];
  if (f[0] !== l[0] || f[1] !== l[1]) return false;
  return new Set(ring.map((p) => `${p[0]},${p[1]}`)).size >= 3;
}

/** The polygons (each an outer ring then holes) of a Polygon or MultiPolygon. */
export function polygonsOf(v: Value | undefined): Position[][][] | null {
  const g = geometry(v);
  if (!g) return null;
  const raw =
    g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : null;
  if (!Array.isArray(raw) || raw.length === 0) return null;
  const out: Position[][][] = [];
  for (const p of raw) {
    if (!Array.isArray(p) || p.length === 0) return null;
    const rings: Position[][] = [];
    for (const r of p) {
      const ring = positions(r);
      if (!ring || !validRing(ring)) return null;
      rings.push(ring);
    }
    out.push(rings);
  }
  return out;
}

export function pathLength(points: Position[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    total += geoDistance(points[i - 1][0], points[i - 1][1], points[i][0], points[i][1]);
  }
  return total;
}

/** Area of a ring on the sphere (spherical excess from the edges' half-angle tangents). */
export function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [l1, p1] = ring[i];
    const [l2, p2] = ring[i + 1];
    const t1 = Math.tan((p1 * RAD) / 2);
    const t2 = Math.tan((p2 * RAD) / 2);
    sum += 2 * Math.atan2(Math.tan(((l2 - l1) * RAD) / 2) * (t1 + t2), 1 + t1 * t2);
  }
  return Math.abs(sum) * EARTH_RADIUS_M * EARTH_RADIUS_M;
}

defineScalar({
  name: "geo_line_length",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => {
    const lines = linesOf(v);
    return lines ? lines.reduce((s, l) => s + pathLength(l), 0) : null;
  },
});

defineScalar({
  name: "geo_polygon_perimeter",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v]) => {
    const polys = polygonsOf(v);
    return polys
      ? polys.reduce((s, rings) => s + rings.reduce((t, r) => t + pathLength(r), 0), 0)
      : null;
  },
});

/** Even-odd ray casting in longitude/latitude (edges treated as straight in degrees). */
export function inRing(lon: number, lat: number, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

defineScalar({
  name: "geo_point_in_polygon",
  minArgs: 3,
  maxArgs: 3,
  impl: ([lonArg, latArg, poly]) => {
    const lon = coord(lonArg);
    const lat = coord(latArg);
    const polys = polygonsOf(poly);
    if (!validPoint(lon, lat) || !polys) return null;
    return insidePolygons([lon as number, lat as number], polys);
  },
});

/** Unit vector of a point on the sphere. */
export function toVector(lon: number, lat: number): [number, number, number] {
  const l = lon * RAD;
  const p = lat * RAD;
  return [Math.cos(p) * Math.cos(l), Math.cos(p) * Math.sin(l), Math.sin(p)];
}

export function cross(a: number[], b: number[]): [number, number, number] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function dot(a: number[], b: number[]): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function toPosition(v: number[]): Position {
  const lat = Math.asin(Math.max(-1, Math.min(1, v[2] / Math.sqrt(dot(v, v))))) / RAD;
  return [Math.atan2(v[1], v[0]) / RAD, lat];
}

/** The point of the great-circle arc A–B closest to P, and its distance in meters. */
export function closestOnArc(
  p: Position,
  a: Position,
  b: Position,
): { at: Position; distance: number } {
  const P = toVector(p[0], p[1]);
  const A = toVector(a[0], a[1]);
  const B = toVector(b[0], b[1]);
  const da = geoDistance(p[0], p[1], a[0], a[1]);
  const db = geoDistance(p[0], p[1], b[0], b[1]);
  const nearerEnd = da <= db ? { at: a, distance: da } : { at: b, distance: db };
  const n = cross(A, B);
  const nn = Math.sqrt(dot(n, n));
  if (nn < 1e-15) return nearerEnd;
  const unit = n.map((x) => x / nn);
  // The foot of the perpendicular from P onto the great circle; it counts when it lies
  // between A and B.
  const foot = cross(cross(unit, P), unit);
  if (dot(foot, foot) < 1e-30) return nearerEnd;
  if (dot(cross(A, foot), n) >= 0 && dot(cross(foot, B), n) >= 0) {
    const at = toPosition(foot);
    const distance = geoDistance(p[0], p[1], at[0], at[1]);
    if (distance < nearerEnd.distance) return { at, distance };
  }
  return nearerEnd;
}

/** The closest point of any segment of the lines to P. */
export function closestOnLines(
  p: Position,
  lines: Position[][],
): { at: Position; distance: number } {
  let best = { at: lines[0][0], distance: Infinity };
  for (const l of lines) {
    for (let i = 1; i < l.length; i++) {
      const c = closestOnArc(p, l[i - 1], l[i]);
      if (c.distance < best.distance) best = c;
    }
  }
  return best;
}

export function pointArgs(lonArg: Value | undefined, latArg: Value | undefined): Position | null {
  const lon = coord(lonArg);
  const lat = coord(latArg);
  return validPoint(lon, lat) ? [lon as number, lat as number] : null;
}

defineScalar({
  name: "geo_distance_point_to_line",
  minArgs: 3,
  maxArgs: 3,
  impl: ([lon, lat, line]) => {
    const p = pointArgs(lon, lat);
    const lines = linesOf(line);
    return p && lines ? closestOnLines(p, lines).distance : null;
  },
});

defineScalar({
  name: "geo_closest_point_on_line",
  minArgs: 3,
  maxArgs: 3,
  impl: ([lon, lat, line]) => {
    const p = pointArgs(lon, lat);
    const lines = linesOf(line);
    if (!p || !lines) return null;
    const { at } = closestOnLines(p, lines);
    return point(at[0], at[1]);
  },
});

export function insidePolygons(p: Position, polys: Position[][][]): boolean {
  return polys.some(
    ([outer, ...holes]) => inRing(p[0], p[1], outer) && !holes.some((h) => inRing(p[0], p[1], h)),
  );
}

defineScalar({
  name: "geo_distance_point_to_polygon",
  minArgs: 3,
  maxArgs: 3,
  impl: ([lon, lat, poly]) => {
    const p = pointArgs(lon, lat);
    const polys = polygonsOf(poly);
    if (!p || !polys) return null;
    return insidePolygons(p, polys) ? 0 : closestOnLines(p, polys.flat()).distance;
  },
});

defineScalar({
  name: "geo_closest_point_on_polygon",
  minArgs: 3,
  maxArgs: 3,
  impl: ([lon, lat, poly]) => {
    const p = pointArgs(lon, lat);
    const polys = polygonsOf(poly);
    if (!p || !polys) return null;
    if (insidePolygons(p, polys)) return point(p[0], p[1]);
    const { at } = closestOnLines(p, polys.flat());
    return point(at[0], at[1]);
  },
});

/** The point a fraction of the way along the lines' total length (great-circle steps). */
function interpolate(lines: Position[][], fraction: number): Position {
  const segments: [Position, Position, number][] = [];
  for (const l of lines) {
    for (let i = 1; i < l.length; i++) {
      segments.push([l[i - 1], l[i], geoDistance(l[i - 1][0], l[i - 1][1], l[i][0], l[i][1])]);
    }
  }
  const total = segments.reduce((s, [, , d]) => s + d, 0);
  let remaining = fraction * total;
  for (const [a, b, d] of segments) {
    if (remaining <= d && d > 0) {
      const A = toVector(a[0], a[1]);
      const B = toVector(b[0], b[1]);
      const omega = Math.acos(Math.max(-1, Math.min(1, dot(A, B))));
      const t = remaining / d;
      const k1 = Math.sin((1 - t) * omega) / Math.sin(omega);
      const k2 = Math.sin(t * omega) / Math.sin(omega);
      return toPosition([k1 * A[0] + k2 * B[0], k1 * A[1] + k2 * B[1], k1 * A[2] + k2 * B[2]]);
    }
    remaining -= d;
  }
  const last = lines[lines.length - 1];
  return last[last.length - 1];
}

defineScalar({
  name: "geo_line_interpolate_point",
  minArgs: 2,
  maxArgs: 2,
  impl: ([line, f]) => {
    const lines = linesOf(line);
    const fraction = coord(f);
    if (!lines || fraction === null || fraction < 0 || fraction > 1) return null;
    const at = interpolate(lines, fraction);
    return point(at[0], at[1]);
  },
});

// --- WKT --------------------------------------------------------------------------------------

/** Parses Well-Known Text into GeoJSON; null when malformed. */
export function wktToGeoJson(text: string): Json {
  let pos = 0;
  const s = text.trim();
  const fail = (): never => {
    throw new SyntaxError(`bad WKT at ${pos}`);
  };
  const ws = () => {
    while (pos < s.length && /\s/.test(s[pos])) pos++;
  };
  const expect = (ch: string) => {
    ws();
    if (s[pos] !== ch) fail();
    pos++;
  };
  const word = (): string => {
    ws();
    const m = /^[A-Za-z]+/.exec(s.slice(pos));
    if (!m) return fail();
    pos += m[0].length;
    return m[0].toUpperCase();
  };
  const number = (): number => {
    ws();
    const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(s.slice(pos));
    if (!m) return fail();
    pos += m[0].length;
    return Number(m[0]);
  };
  const point = (): Json => {
    const lon = number();
    const lat = number();
    if (!validPoint(lon, lat)) fail();
    return [lon, lat];
  };
  const list = <T>(item: () => T): T[] => {
    expect("(");
    const out = [item()];
    for (ws(); s[pos] === ","; ws()) {
      pos++;
      out.push(item());
    }
    expect(")");
    return out;
  };
  // MULTIPOINT accepts both "(1 1, 2 2)" and "((1 1), (2 2))".
  const multiPoint = (): Json => {
    ws();
    if (s[pos] === "(") {
      const save = pos;
      pos++;
      ws();
      if (s[pos] === "(") {
        pos = save;
        return list(() => list(point)[0]);
      }
      pos = save;
    }
    return list(point);
  };
  const geom = (): Json => {
    const type = word();
    const bag = newBag();
    switch (type) {
      case "POINT":
        bag.type = "Point";
        bag.coordinates = list(point)[0];
        break;
      case "LINESTRING":
        bag.type = "LineString";
        bag.coordinates = list(point);
        break;
      case "POLYGON":
        bag.type = "Polygon";
        bag.coordinates = list(() => list(point));
        break;
      case "MULTIPOINT":
        bag.type = "MultiPoint";
        bag.coordinates = multiPoint();
        break;
      case "MULTILINESTRING":
        bag.type = "MultiLineString";
        bag.coordinates = list(() => list(point));
        break;
      case "MULTIPOLYGON":
        bag.type = "MultiPolygon";
        bag.coordinates = list(() => list(() => list(point)));
        break;
      case "GEOMETRYCOLLECTION":
        bag.type = "GeometryCollection";
        bag.geometries = list(geom);
        break;
      default:
        fail();
    }
    return bag;
  };
  try {
    const g = geom();
    ws();
    return pos === s.length ? g : null;
  } catch (e) {
    if (e instanceof SyntaxError) return null;
    throw e;
  }
}

defineScalar({
  name: "geo_from_wkt",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => wktToGeoJson(str(args, ctx, 0)),
});

defineScalar({
  name: "geo_line_centroid",
  minArgs: 1,
  maxArgs: 1,
  impl: ([line]) => {
    const lines = linesOf(line);
    if (!lines) return null;
    // Each segment's midpoint on the sphere, weighted by the segment's length.
    const sum = [0, 0, 0];
    for (const l of lines) {
      for (let i = 1; i < l.length; i++) {
        const A = toVector(l[i - 1][0], l[i - 1][1]);
        const B = toVector(l[i][0], l[i][1]);
        const mid = [A[0] + B[0], A[1] + B[1], A[2] + B[2]];
        const norm = Math.sqrt(dot(mid, mid));
        if (norm < 1e-15) continue;
        const w = geoDistance(l[i - 1][0], l[i - 1][1], l[i][0], l[i][1]);
        for (let k = 0; k < 3; k++) sum[k] += (mid[k] / norm) * w;
      }
    }
    if (dot(sum, sum) < 1e-30) {
      const first = lines[0][0];
      return point(first[0], first[1]);
    }
    const at = toPosition(sum);
    return point(at[0], at[1]);
  },
});
