import { call, dyn, real } from "./call";
import { run } from "../../../scripts/kql/engine/index";

type Geo = { type: string; coordinates: number[][] | number[][][] | number[] };

const polygon = (ring: number[][]) => dyn({ type: "Polygon", coordinates: [ring] });
const line = (coords: number[][]) => dyn({ type: "LineString", coordinates: coords });

function expectCoords(actual: unknown, expected: number[][], digits = 9): void {
  const a = actual as number[][];
  expect(a).toHaveLength(expected.length);
  a.forEach((p, i) => {
    expect(p[0]).toBeCloseTo(expected[i][0], digits);
    expect(p[1]).toBeCloseTo(expected[i][1], digits);
  });
}

describe("unions and areas", () => {
  const a = [
    [-73.9495, 40.7969],
    [-73.95807, 40.80068],
    [-73.98201, 40.76825],
    [-73.97317, 40.76455],
    [-73.9495, 40.7969],
  ];
  const b = [
    [-73.94622, 40.79249],
    [-73.96888, 40.79282],
    [-73.9577, 40.7789],
    [-73.94622, 40.79249],
  ];

  test("union of polygons: crossings on great circles, ring from the first input vertex", () => {
    const u = call("geo_union_polygons_array", [
      dyn([
        { type: "Polygon", coordinates: [a] },
        { type: "Polygon", coordinates: [b] },
      ]),
    ]) as Geo;
    expect(u.type).toBe("Polygon");
    expectCoords((u.coordinates as number[][][])[0], [
      [-73.9495, 40.7969],
      [-73.95807, 40.80068],
      [-73.9639277517478, 40.792748258673875],
      [-73.96888, 40.792819999999992],
      [-73.9662719791645, 40.7895734224338],
      [-73.98201, 40.76825],
      [-73.97317, 40.76455],
      [-73.960302383706178, 40.782140794645024],
      [-73.9577, 40.7789],
      [-73.94622, 40.79249],
      [-73.9526593223173, 40.792584227716468],
      [-73.9495, 40.7969],
    ]);
  });

  test("a MultiPolygon's area counts overlaps once (documented value)", () => {
    const mp = dyn({
      type: "MultiPolygon",
      coordinates: [
        [
          [
            [-73.9495, 40.7969],
            [-73.95807266235352, 40.80068603561921],
            [-73.98201942443848, 40.76825672305777],
            [-73.97317886352539, 40.76455136505513],
            [-73.9495, 40.7969],
          ],
        ],
        [
          [
            [-73.94262313842773, 40.775991804565585],
            [-73.98107528686523, 40.791849155467695],
            [-73.99600982666016, 40.77092185281977],
            [-73.96150588989258, 40.75609977566361],
            [-73.94262313842773, 40.775991804565585],
          ],
        ],
      ],
    });
    expect(call("geo_polygon_area", [mp], "real")).toBeCloseTo(10889971.5343487, 2);
    const c = call("geo_polygon_centroid", [mp]) as Geo;
    expect((c.coordinates as number[])[0]).toBeCloseTo(-73.968569587829577, 7);
    expect((c.coordinates as number[])[1]).toBeCloseTo(40.776310752555119, 7);
  });

  test("union of lines joins shared segments", () => {
    const l1 = {
      type: "LineString",
      coordinates: [
        [0, 0],
        [1, 1],
        [2, 1],
      ],
    };
    const l2 = {
      type: "LineString",
      coordinates: [
        [1, 1],
        [2, 1],
        [3, 0],
      ],
    };
    expect((call("geo_union_lines_array", [dyn([l1, l2])]) as Geo).coordinates).toEqual([
      [0, 0],
      [1, 1],
      [2, 1],
      [3, 0],
    ]);
    expect(
      call("geo_union_lines_array", [dyn([l1, { type: "LineString", coordinates: [[1, 1]] }])]),
    ).toBeNull();
  });
});

describe("intersections", () => {
  const tri = polygon([
    [-73.9712905883789, 40.78580561168767],
    [-73.98004531860352, 40.775276834803655],
    [-73.97000312805176, 40.77852663535664],
    [-73.9712905883789, 40.78580561168767],
  ]);
  const street = line([
    [-73.985195, 40.788275],
    [-73.974552, 40.779761],
  ]);

  test("line with polygon: the inside part, ending on a great-circle crossing", () => {
    const r = call("geo_intersection_line_with_polygon", [street, tri]) as Geo;
    expect(r.type).toBe("LineString");
    expectCoords(r.coordinates, [
      [-73.975611956578192, 40.78060906714618],
      [-73.974552, 40.779761],
    ]);
    expect(call("geo_intersects_line_with_polygon", [street, tri], "bool")).toBe(true);
    const far = line([
      [1, 1],
      [2, 2],
    ]);
    expect(call("geo_intersection_line_with_polygon", [far, tri])).toEqual({
      type: "GeometryCollection",
      geometries: [],
    });
    expect(call("geo_intersects_line_with_polygon", [far, tri], "bool")).toBe(false);
  });

  test("two lines: shared stretch, crossing point, nothing, invalid", () => {
    expect((call("geo_intersection_2lines", [street, street]) as Geo).coordinates).toEqual([
      [-73.985195, 40.788275],
      [-73.974552, 40.779761],
    ]);
    const x = call("geo_intersection_2lines", [
      line([
        [0, -1],
        [0, 1],
      ]),
      line([
        [-1, 0],
        [1, 0],
      ]),
    ]) as Geo;
    expect(x.type).toBe("Point");
    expectCoords([x.coordinates as number[]], [[0, 0]]);
    expect(
      call(
        "geo_intersects_2lines",
        [
          line([
            [1, 1],
            [2, 2],
          ]),
          line([
            [3, 3],
            [4, 4],
          ]),
        ],
        "bool",
      ),
    ).toBe(false);
    expect(
      call("geo_intersection_2lines", [
        line([
          [1, 1],
          [2, 2],
        ]),
        line([[3, 3]]),
      ]),
    ).toBeNull();
  });

  test("two polygons: overlap, touching vertex, invalid", () => {
    const p1 = polygon([
      [2, 45],
      [0, 45],
      [1, 44],
      [2, 45],
    ]);
    const p2 = polygon([
      [3, 44],
      [2, 45],
      [2, 43],
      [3, 44],
    ]);
    expect(call("geo_intersection_2polygons", [p1, p2])).toEqual({
      type: "Point",
      coordinates: [2, 45],
    });
    expect(call("geo_intersects_2polygons", [p1, p2], "bool")).toBe(true);
    const sq = polygon([
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
      [0, 0],
    ]);
    const sq2 = polygon([
      [1, 1],
      [3, 1],
      [3, 3],
      [1, 3],
      [1, 1],
    ]);
    const overlap = call("geo_intersection_2polygons", [sq, sq2]) as Geo;
    expect(overlap.type).toBe("Polygon");
    expect(call("geo_polygon_area", [overlap], "real")).toBeGreaterThan(1.2e10);
    expect(call("geo_intersects_2polygons", [dyn({ type: "Polygon" }), sq], "bool")).toBeNull();
  });
});

describe("buffers, simplification, densification", () => {
  test("buffers are polygons around the shape; non-positive radius gives null", () => {
    const b = call("geo_point_buffer", [real(-73.9856), real(40.7484), real(100)]) as Geo;
    expect(b.type).toBe("Polygon");
    for (const [lon, lat] of (b.coordinates as number[][][])[0]) {
      expect(
        call("geo_distance_2points", [real(lon), real(lat), real(-73.9856), real(40.7484)], "real"),
      ).toBeCloseTo(100, -1);
    }
    expect(call("geo_point_buffer", [real(10), real(10), real(-1)])).toBeNull();
    const lb = call("geo_line_buffer", [
      line([
        [0, 0],
        [1, 1],
      ]),
      real(1000),
    ]) as Geo;
    expect(lb.type).toBe("Polygon");
    expect(call("geo_point_in_polygon", [real(0.5), real(0.5), lb], "bool")).toBe(true);
    expect(
      call("geo_line_buffer", [
        line([
          [0, 0],
          [1, 1],
        ]),
        real(0),
      ]),
    ).toBeNull();
    expect(call("geo_line_buffer", [dyn({ type: "LineString" }), real(5)])).toBeNull();
    const pb = call("geo_polygon_buffer", [
      polygon([
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 0],
      ]),
      real(1000),
    ]) as Geo;
    expect(call("geo_point_in_polygon", [real(1.005), real(0.5), pb], "bool")).toBe(true);
    expect(call("geo_polygon_buffer", [dyn({ type: "p" }), real(1)])).toBeNull();
  });

  test("polygon simplification keeps the documented vertices; collapse gives null", () => {
    const p = polygon([
      [-73.94885122776031, 40.79673476355657],
      [-73.94885927438736, 40.79692258628347],
      [-73.94887939095497, 40.79692055577034],
      [-73.9488673210144, 40.79693476936093],
      [-73.94888743758202, 40.79693476936093],
      [-73.9488834142685, 40.796959135509105],
      [-73.94890084862709, 40.79695304397289],
      [-73.94906312227248, 40.79710736271788],
      [-73.94923612475395, 40.7968708081794],
      [-73.94885122776031, 40.79673476355657],
    ]);
    expect((call("geo_polygon_simplify", [p]) as Geo).coordinates).toEqual([
      [
        [-73.94885122776031, 40.79673476355657],
        [-73.94906312227248, 40.79710736271788],
        [-73.94923612475395, 40.7968708081794],
        [-73.94885122776031, 40.79673476355657],
      ],
    ]);
    const big = polygon([
      [5, 48],
      [0, 50],
      [0, 47],
      [4, 47],
      [5, 48],
    ]);
    expect(call("geo_polygon_simplify", [big, real(1000000)])).toBeNull();
    const zigzag = line([
      [0, 0],
      [0.5, 0.00001],
      [1, 0],
    ]);
    expect((call("geo_line_simplify", [zigzag, real(10)]) as Geo).coordinates).toEqual([
      [0, 0],
      [1, 0],
    ]);
    expect(call("geo_line_simplify", [line([[1, 1]])])).toBeNull();
  });

  test("densify splits straight edges until they follow the geodesic (documented value)", () => {
    const d = call("geo_line_densify", [
      line([
        [50, 50],
        [51, 51],
      ]),
    ]) as Geo;
    expect(d.coordinates).toEqual([
      [50, 50],
      [50.125, 50.125],
      [50.25, 50.25],
      [50.375, 50.375],
      [50.5, 50.5],
      [50.625, 50.625],
      [50.75, 50.75],
      [50.875, 50.875],
      [51, 51],
    ]);
    expect(
      call("geo_line_densify", [
        line([
          [50, 50],
          [51, 51],
        ]),
        real(0),
      ]),
    ).toBeNull();
  });
});

describe("lookup plugins", () => {
  const places = `let places = datatable(name:string, lon:real, lat:real)[
    "inside", -73.98567337898565, 40.74842629977377,
    "near", -73.989, 40.7395,
    "far", 2.29, 48.85];
  let zones = datatable(zone:string, shape:dynamic)[
    "tri", dynamic({"type":"Polygon","coordinates":[[[-73.97375470114766,40.74300078124614],[-73.98653921014294,40.75486501361894],[-73.99910622331991,40.74112695466084],[-73.97375470114766,40.74300078124614]]]})];
  `;
  const q = (query: string) => run(places + query, { now: "2026-05-06T10:00:00Z" });

  test("geo_polygon_lookup joins points to containing polygons", () => {
    const r = q(
      "places | evaluate geo_polygon_lookup(zones, shape, lon, lat) | project name, zone",
    );
    expect(r.rows).toEqual([["inside", "tri"]]);
    const all = q(
      "places | evaluate geo_polygon_lookup(zones, shape, lon, lat, radius = 2000, return_unmatched = true, return_lookup_key = true)",
    );
    expect(all.columns.map((c) => c.name)).toEqual(["name", "lon", "lat", "zone", "shape"]);
    expect(all.rows.map((row) => [row[0], row[3]])).toEqual([
      ["inside", "tri"],
      ["near", "tri"],
      ["far", ""],
    ]);
  });

  test("geo_line_lookup needs a radius and matches lines within it", () => {
    const roads = `let roads = datatable(road:string, path:dynamic)[
      "5th", dynamic({"type":"LineString","coordinates":[[-73.97291864770574,40.76428551254824],[-73.99708638113894,40.73145135821781]]})];
    `;
    const r = q(
      roads + "places | evaluate geo_line_lookup(roads, path, lon, lat, 100) | project name, road",
    );
    expect(r.rows).toEqual([["inside", "5th"]]);
    expect(() => q(roads + "places | evaluate geo_line_lookup(roads, path, lon, lat)")).toThrow(
      /radius/,
    );
  });
});
