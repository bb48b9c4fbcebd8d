// Geospatial cell systems: H3 (Uber's hexagonal grid, via h3-js) and S2 (Google's
// quadrilateral cells on the cube-projected sphere, via s2js). Kusto names H3 cells by their
// 15-hex-digit index and S2 cells by their hex token (trailing zeros removed).
//
// Invalid cells, levels or points give "" for functions returning a token and null for the
// others, as the Kusto documentation specifies.

import * as turf from "@turf/turf";
import * as h3 from "h3-js";
import { geojson as s2geojson, s2 } from "s2js";
import type { Json, Value } from "../values";
import { newBag } from "./coerce";
import { coord, point, polygonsOf, validPoint, type Position } from "./geo";
import { bufferOf } from "./geo-shapes";
import { defineScalar } from "./registry";
import { str } from "./strings";

/** An integer argument, or `fallback` when the argument is absent; null when not an integer. */
function intArg(args: Value[], i: number, fallback: number): number | null {
  if (args.length <= i) return fallback;
  const n = coord(args[i]);
  return n === null || !Number.isInteger(n) ? null : n;
}

function polygonJson(ring: Position[]): Json {
  const bag = newBag();
  bag.type = "Polygon";
  bag.coordinates = [ring.map(([lon, lat]) => [lon, lat])];
  return bag;
}

// --- H3 ---------------------------------------------------------------------------------------

const H3_MAX_RESOLUTION = 15;
/** Kusto limits children to five levels below the cell (at most 7^5 = 16807 tokens). */
const H3_MAX_CHILD_DEPTH = 5;
const H3_MAX_POLYGON_CELLS = 61680;

function h3Cell(args: Value[], ctx: Parameters<typeof str>[1]): string | null {
  const cell = str(args, ctx, 0).toLowerCase();
  return h3.isValidCell(cell) ? cell : null;
}

defineScalar({
  name: "geo_point_to_h3cell",
  minArgs: 2,
  maxArgs: 3,
  impl: (args) => {
    const lon = coord(args[0]);
    const lat = coord(args[1]);
    const res = intArg(args, 2, 6);
    if (!validPoint(lon, lat) || res === null || res < 0 || res > H3_MAX_RESOLUTION) return "";
    return h3.latLngToCell(lat as number, lon as number, res);
  },
});

defineScalar({
  name: "geo_h3cell_to_central_point",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const cell = h3Cell(args, ctx);
    if (!cell) return null;
    const [lat, lon] = h3.cellToLatLng(cell);
    return point(lon, lat);
  },
});

defineScalar({
  name: "geo_h3cell_to_polygon",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const cell = h3Cell(args, ctx);
    // `true`: GeoJSON order ([lng, lat]) with the ring closed.
    return cell ? polygonJson(h3.cellToBoundary(cell, true) as Position[]) : null;
  },
});

defineScalar({
  name: "geo_h3cell_level",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const cell = h3Cell(args, ctx);
    return cell ? h3.getResolution(cell) : null;
  },
});

defineScalar({
  name: "geo_h3cell_parent",
  minArgs: 1,
  maxArgs: 2,
  impl: (args, ctx) => {
    const cell = h3Cell(args, ctx);
    if (!cell) return "";
    const level = h3.getResolution(cell);
    const res = intArg(args, 1, level - 1);
    if (res === null || res < 0 || res > level) return "";
    return h3.cellToParent(cell, res);
  },
});

defineScalar({
  name: "geo_h3cell_children",
  minArgs: 1,
  maxArgs: 2,
  impl: (args, ctx) => {
    const cell = h3Cell(args, ctx);
    if (!cell) return null;
    const level = h3.getResolution(cell);
    const res = intArg(args, 1, level + 1);
    if (res === null || res < level || res > H3_MAX_RESOLUTION) return null;
    if (res - level > H3_MAX_CHILD_DEPTH) return null;
    return h3.cellToChildren(cell, res);
  },
});

defineScalar({
  name: "geo_h3cell_neighbors",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const cell = h3Cell(args, ctx);
    return cell ? h3.gridDisk(cell, 1).filter((c) => c !== cell) : null;
  },
});

/** Kusto caps the ring distance; rings beyond it would be very large arrays. */
const H3_MAX_RING_DISTANCE = 142;

defineScalar({
  name: "geo_h3cell_rings",
  minArgs: 2,
  maxArgs: 2,
  impl: (args, ctx) => {
    const cell = h3Cell(args, ctx);
    const distance = intArg(args, 1, 0);
    if (!cell || distance === null || distance < 0 || distance > H3_MAX_RING_DISTANCE) return null;
    return h3.gridDiskDistances(cell, distance);
  },
});

defineScalar({
  name: "geo_polygon_to_h3cells",
  minArgs: 1,
  maxArgs: 3,
  impl: (args) => {
    const polys = polygonsOf(args[0]);
    const res = intArg(args, 1, 6);
    const radius = args.length > 2 ? coord(args[2]) : 0;
    if (!polys || res === null || res < 0 || res > H3_MAX_RESOLUTION) return null;
    if (radius === null || radius < 0) return null;
    // A positive radius first grows the polygons by that many metres.
    let shapes = polys;
    if (radius > 0) {
      const grown = polygonsOf(bufferOf(turf.multiPolygon(polys), radius));
      if (!grown) return null;
      shapes = grown;
    }
    // H3 polyfill: the cells whose centres lie inside the polygon (straight edges, as documented).
    const cells = new Set<string>();
    for (const rings of shapes) {
      for (const c of h3.polygonToCells(rings, res, true)) cells.add(c);
      if (cells.size > H3_MAX_POLYGON_CELLS) return null;
    }
    return [...cells];
  },
});

// --- S2 ---------------------------------------------------------------------------------------

const S2_MAX_LEVEL = 30;
const S2_MAX_POLYGON_CELLS = 65536;
const DEG = 180 / Math.PI;

function s2Cell(args: Value[], ctx: Parameters<typeof str>[1]): bigint | null {
  const token = str(args, ctx, 0);
  if (!/^[0-9a-fA-F]{1,16}$/.test(token)) return null;
  const id = s2.cellid.fromToken(token.toLowerCase());
  return s2.cellid.valid(id) ? id : null;
}

function latLngPosition(ll: { lat: number; lng: number }): Position {
  return [ll.lng * DEG, ll.lat * DEG];
}

defineScalar({
  name: "geo_point_to_s2cell",
  minArgs: 2,
  maxArgs: 3,
  impl: (args) => {
    const lon = coord(args[0]);
    const lat = coord(args[1]);
    const level = intArg(args, 2, 11);
    if (!validPoint(lon, lat) || level === null || level < 0 || level > S2_MAX_LEVEL) return "";
    const leaf = s2.cellid.fromLatLng(s2.LatLng.fromDegrees(lat as number, lon as number));
    return s2.cellid.toToken(s2.cellid.parent(leaf, level));
  },
});

defineScalar({
  name: "geo_s2cell_to_central_point",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const id = s2Cell(args, ctx);
    if (id === null) return null;
    const [lon, lat] = latLngPosition(s2.cellid.latLng(id));
    return point(lon, lat);
  },
});

defineScalar({
  name: "geo_s2cell_to_polygon",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const id = s2Cell(args, ctx);
    if (id === null) return null;
    const cell = s2.Cell.fromCellID(id);
    const ring: Position[] = [];
    for (let k = 0; k < 4; k++) ring.push(latLngPosition(s2.LatLng.fromPoint(cell.vertex(k))));
    ring.push(ring[0]);
    return polygonJson(ring);
  },
});

defineScalar({
  name: "geo_s2cell_neighbors",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => {
    const id = s2Cell(args, ctx);
    if (id === null) return null;
    const level = s2.cellid.level(id);
    // The edge and vertex neighbours at the cell's own level (8, or 7 at a cube corner).
    const out: string[] = [];
    for (const n of s2.cellid.allNeighbors(id, level)) {
      const token = s2.cellid.toToken(n);
      if (n !== id && !out.includes(token)) out.push(token);
    }
    return out;
  },
});

/** The mean area of an S2 cell at `level` on the unit sphere. */
function s2CellArea(level: number): number {
  return (4 * Math.PI) / (6 * 4 ** level);
}

defineScalar({
  name: "geo_polygon_to_s2cells",
  minArgs: 1,
  maxArgs: 2,
  impl: (args) => {
    const polys = polygonsOf(args[0]);
    const level = intArg(args, 1, 11);
    if (!polys || level === null || level < 0 || level > S2_MAX_LEVEL) return null;
    const geometry = {
      type: "MultiPolygon" as const,
      coordinates: polys.map((rings) => rings.map((r) => r.map(([lon, lat]) => [lon, lat]))),
    };
    // Refuse before covering when the interior alone would need more cells than Kusto's limit.
    let area = 0;
    for (const rings of polys) {
      const loop = s2geojson.fromGeoJSON({ type: "Polygon", coordinates: [rings[0]] });
      if (loop instanceof s2.Polygon) area += loop.area();
    }
    if (area / s2CellArea(level) > S2_MAX_POLYGON_CELLS) return null;
    const coverer = new s2geojson.RegionCoverer({
      minLevel: level,
      maxLevel: level,
      maxCells: S2_MAX_POLYGON_CELLS,
    });
    const cells = coverer.covering(geometry);
    if (cells.length > S2_MAX_POLYGON_CELLS) return null;
    return [...cells].map((c) => s2.cellid.toToken(c));
  },
});
