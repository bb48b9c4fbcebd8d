import { call, dyn, long, real } from "./call";

describe("series functions", () => {
  test("element-wise arithmetic and comparisons", () => {
    const s1 = dyn([1, 2, 4]);
    const s2 = dyn([4, 2, 1]);
    expect(call("series_add", [s1, s2])).toEqual([5, 4, 5]);
    expect(call("series_subtract", [s1, s2])).toEqual([-3, 0, 3]);
    expect(call("series_multiply", [s1, s2])).toEqual([4, 4, 4]);
    expect(call("series_divide", [s1, s2])).toEqual([0.25, 1, 4]);
    expect(call("series_greater", [s1, s2])).toEqual([false, false, true]);
    expect(call("series_less_equals", [s1, s2])).toEqual([true, true, false]);
    expect(call("series_not_equals", [s1, s2])).toEqual([true, false, true]);
    expect(call("series_add", [s1, long(1)])).toEqual([2, 3, 5]);
    expect(call("series_add", [dyn([1, "x"]), dyn([1, 1])])).toEqual([2, null]);
  });

  test("unary math, sums and products", () => {
    expect(call("series_floor", [dyn([-1.5, 1, 2.5])])).toEqual([-2, 1, 2]);
    expect(call("series_acos", [dyn([-1, 0, 1])])).toEqual([Math.PI, Math.PI / 2, 0]);
    expect(call("series_sum", [dyn([1, 2, 3, 4])])).toBe(10);
    expect(call("series_dot_product", [dyn([1, 2, 4]), dyn([4, 2, 1])])).toBe(12);
    expect(call("series_dot_product", [dyn([3, 6, 12]), long(3)])).toBe(63);
    expect(
      call("series_cosine_similarity", [dyn([0.1, 0.2, 0.1, 0.2]), dyn([0.11, 0.2, 0.11, 0.21])]),
    ).toBeCloseTo(0.99935343825504, 12);
    expect(
      call("series_pearson_correlation", [dyn([1, 2, 3, 4, 5]), dyn([2, 4, 6, 8, 10])]),
    ).toBeCloseTo(1, 12);
  });

  test("filling gaps", () => {
    const arr = dyn([111, null, 36, 41, 23, null, 16, 61, 33, null, null]);
    expect(call("series_fill_const", [arr, long(-1)])).toEqual([
      111, -1, 36, 41, 23, -1, 16, 61, 33, -1, -1,
    ]);
    expect(call("series_fill_forward", [dyn([null, 1, null, 3, null])])).toEqual([
      null,
      1,
      1,
      3,
      3,
    ]);
    expect(call("series_fill_backward", [dyn([null, 1, null, 3, null])])).toEqual([
      1,
      1,
      3,
      3,
      null,
    ]);
    const gaps = dyn([null, 111, null, 36, 41, null, null, 16, 61, 33, null, null]);
    const filled = call("series_fill_linear", [gaps]) as number[];
    expect(filled[0]).toBe(111);
    expect(filled[2]).toBe(73.5);
    expect(filled[5]).toBeCloseTo(32.667, 3);
    expect(filled[11]).toBe(33);
    expect((call("series_fill_linear", [gaps, null, false]) as unknown[])[0]).toBeNull();
    expect(call("series_fill_linear", [dyn([null, null]), null, true, real(3.5)])).toEqual([
      3.5, 3.5,
    ]);
  });

  test("series_iir as a running sum", () => {
    expect(call("series_iir", [dyn([1, 2, 3, 4]), dyn([1]), dyn([1, -1])])).toEqual([1, 3, 6, 10]);
  });
});

describe("geospatial functions", () => {
  test("distances on Kusto's sphere", () => {
    expect(
      call("geo_distance_2points", [
        real(-122.407628),
        real(47.578557),
        real(-118.275287),
        real(34.019056),
      ]),
    ).toBeCloseTo(1546754.35197381, 6);
    expect(call("geo_distance_2points", [real(200), real(0), real(0), real(0)])).toBeNull();
    expect(
      call("geo_point_in_circle", [
        real(-122.201741),
        real(47.677084),
        real(-122.317404),
        real(47.609119),
        real(18000),
      ]),
    ).toBe(true);
    expect(
      call("geo_point_in_circle", [
        real(-122.443663),
        real(47.247092),
        real(-122.317404),
        real(47.609119),
        real(18000),
      ]),
    ).toBe(false);
    expect(call("geo_point_in_circle", [real(1), real(1), real(1), real(1), real(-1)])).toBeNull();
  });

  test("azimuth and angle", () => {
    expect(call("geo_azimuth", [real(5), real(10), real(10), real(-40)])).toBeCloseTo(
      3.05459939796449,
      12,
    );
    expect(
      call("geo_angle", [real(0), real(10), real(0), real(5), real(3), real(-10)]),
    ).toBeCloseTo(2.94493843406882, 12);
    expect(
      call("geo_angle", [real(0), real(10), real(0), real(10), real(3), real(-10)]),
    ).toBeNull();
  });

  test("geohashes", () => {
    expect(call("geo_point_to_geohash", [real(-80.195829), real(25.802215), long(8)])).toBe(
      "dhwfz15h",
    );
    expect(call("geo_point_to_geohash", [real(-122.303404), real(47.570482)])).toBe("c23n8");
    expect(call("geo_point_to_geohash", [real(200), real(1), long(8)])).toBe("");
    expect(call("geo_geohash_to_central_point", ["sunny"])).toEqual({
      type: "Point",
      coordinates: [42.47314453125, 23.70849609375],
    });
    expect(call("geo_geohash_neighbors", ["sunny"])).toEqual([
      "sunnt",
      "sunpj",
      "sunnx",
      "sunpn",
      "sunnv",
      "sunpp",
      "sunnz",
      "sunnw",
    ]);
    expect(call("geo_geohash_neighbors", ["a"])).toBeNull();
    expect(call("geo_geohash_to_polygon", ["a"])).toBeNull();
  });
});

describe("geospatial shapes", () => {
  const park = dyn({
    type: "Polygon",
    coordinates: [
      [
        [-73.9495, 40.7969],
        [-73.95807266235352, 40.80068603561921],
        [-73.98201942443848, 40.76825672305777],
        [-73.97317886352539, 40.76455136505513],
        [-73.9495, 40.7969],
      ],
    ],
  });

  test("line length, perimeter and area (documented values)", () => {
    const line = dyn({
      type: "LineString",
      coordinates: [
        [-73.95807266235352, 40.800426144169315],
        [-73.94966125488281, 40.79691751000055],
        [-73.97317886352539, 40.764486356930334],
      ],
    });
    expect(call("geo_line_length", [line])).toBeCloseTo(4922.48016992081, 6);
    expect(
      call("geo_line_length", [dyn({ type: "LineString", coordinates: [[1, 1]] })]),
    ).toBeNull();
    expect(call("geo_polygon_perimeter", [park])).toBeCloseTo(9930.30149604938, 6);
    expect(call("geo_polygon_area", [park])).toBeCloseTo(3475207.28346606, 3);
  });

  test("point in polygon, with holes and invalid rings", () => {
    const square = (x0: number, x1: number) => [
      [x0, x0],
      [x1, x0],
      [x1, x1],
      [x0, x1],
      [x0, x0],
    ];
    const holed = dyn({ type: "Polygon", coordinates: [square(0, 10), square(4, 6)] });
    expect(call("geo_point_in_polygon", [real(1), real(1), holed])).toBe(true);
    expect(call("geo_point_in_polygon", [real(5), real(5), holed])).toBe(false);
    expect(call("geo_point_in_polygon", [real(-73.985654), real(40.748487), park])).toBe(false);
    expect(call("geo_point_in_polygon", [real(-73.9656), real(40.7829), park])).toBe(true);
    const degenerate = dyn({
      type: "Polygon",
      coordinates: [
        [
          [0, 0],
          [10, 10],
          [10, 10],
          [0, 0],
        ],
      ],
    });
    expect(call("geo_point_in_polygon", [real(1), real(1), degenerate])).toBeNull();
  });

  test("distance from a point to a line", () => {
    const line = dyn({
      type: "LineString",
      coordinates: [
        [-115.115385, 36.229195],
        [-115.136995, 36.200366],
        [-115.140252, 36.19247],
        [-115.143558, 36.188523],
        [-115.144076, 36.181954],
        [-115.154662, 36.174483],
        [-115.166431, 36.176388],
        [-115.183289, 36.175007],
        [-115.192612, 36.176736],
        [-115.202485, 36.173439],
        [-115.225355, 36.174365],
      ],
    });
    expect(
      call("geo_distance_point_to_line", [real(-115.199625), real(36.210419), line]),
    ).toBeCloseTo(3797.88887253334, 4);
    expect(call("geo_distance_point_to_line", [real(300), real(3), line])).toBeNull();
  });

  test("closest points, interpolation and centroid", () => {
    const vegas = dyn({
      type: "LineString",
      coordinates: [
        [-115.183289, 36.175007],
        [-115.192612, 36.176736],
        [-115.202485, 36.173439],
      ],
    });
    expect(call("geo_closest_point_on_line", [real(-115.199625), real(36.210419), vegas])).toEqual({
      type: "Point",
      coordinates: [-115.192612, 36.176736],
    });
    const segment = dyn({
      type: "LineString",
      coordinates: [
        [-73.95796, 40.80042],
        [-73.97317, 40.764486],
      ],
    });
    const at = call("geo_line_interpolate_point", [segment, real(0.25)]) as {
      coordinates: number[];
    };
    expect(at.coordinates[0]).toBeCloseTo(-73.961764043218281, 10);
    expect(at.coordinates[1]).toBeCloseTo(40.791436687257232, 10);
    const mid = call("geo_line_centroid", [segment]) as { coordinates: number[] };
    expect(mid.coordinates[0]).toBeCloseTo(-73.965567057230942, 10);
    expect(mid.coordinates[1]).toBeCloseTo(40.782453249627416, 10);
    expect(call("geo_distance_point_to_polygon", [real(-73.9656), real(40.7829), park])).toBe(0);
    expect(
      call("geo_distance_point_to_polygon", [real(-73.8743), real(40.7773), park]) as number,
    ).toBeGreaterThan(5000);
    expect(call("geo_distance_point_to_polygon", [real(500), real(1), park])).toBeNull();
  });

  test("geo_from_wkt", () => {
    expect(call("geo_from_wkt", ["POINT (1 2)"])).toEqual({ type: "Point", coordinates: [1, 2] });
    expect(call("geo_from_wkt", ["MULTIPOINT (1 1, 2 2)"])).toEqual({
      type: "MultiPoint",
      coordinates: [
        [1, 1],
        [2, 2],
      ],
    });
    expect(
      call("geo_from_wkt", ["GEOMETRYCOLLECTION (POINT (1 1),LINESTRING (2 2, 3 3))"]),
    ).toEqual({
      type: "GeometryCollection",
      geometries: [
        { type: "Point", coordinates: [1, 1] },
        {
          type: "LineString",
          coordinates: [
            [2, 2],
            [3, 3],
          ],
        },
      ],
    });
    expect(call("geo_from_wkt", ["POINT (1 2"])).toBeNull();
    expect(call("geo_from_wkt", ["CIRCLE (1 2)"])).toBeNull();
  });
});
