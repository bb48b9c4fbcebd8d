import { call, dyn, json, long, real } from "./call";

const NYC_H3 = "862a1072fffffff";

describe("H3 cells", () => {
  test("a point's cell, its level, parent and children (documented values)", () => {
    expect(
      call("geo_point_to_h3cell", [real(-74.04450446039874), real(40.689250859314974), long(6)]),
    ).toBe(NYC_H3);
    expect(call("geo_h3cell_level", [NYC_H3], "int")).toBe(6);
    expect(call("geo_h3cell_parent", [NYC_H3], "string")).toBe("852a1073fffffff");
    expect(call("geo_h3cell_parent", [NYC_H3, long(1)], "string")).toBe("812a3ffffffffff");
    expect(call("geo_h3cell_children", [NYC_H3])).toEqual([
      "872a10728ffffff",
      "872a10729ffffff",
      "872a1072affffff",
      "872a1072bffffff",
      "872a1072cffffff",
      "872a1072dffffff",
      "872a1072effffff",
    ]);
    expect((call("geo_h3cell_children", [NYC_H3, long(9)]) as unknown[]).length).toBe(343);
  });

  test("invalid cells and levels give empty tokens or null", () => {
    expect(call("geo_point_to_h3cell", [real(300), real(1), long(6)], "string")).toBe("");
    expect(call("geo_point_to_h3cell", [real(1), real(1), long(16)], "string")).toBe("");
    expect(call("geo_h3cell_level", ["abc"], "int")).toBeNull();
    expect(call("geo_h3cell_parent", ["123"], "string")).toBe("");
    expect(call("geo_h3cell_parent", [NYC_H3, long(15)], "string")).toBe("");
    expect(call("geo_h3cell_children", [NYC_H3, long(5)])).toBeNull();
    expect(call("geo_h3cell_children", [NYC_H3, long(12)])).toBeNull(); // more than 5 levels
    expect(call("geo_h3cell_neighbors", ["abc"])).toBeNull();
    expect(call("geo_h3cell_rings", ["abc", long(3)])).toBeNull();
  });

  test("rings and neighbours in H3's order", () => {
    const rings = call("geo_h3cell_rings", ["861f8894fffffff", long(1)]) as string[][];
    expect(rings[0]).toEqual(["861f8894fffffff"]);
    expect(rings[1]).toEqual([
      "861f88947ffffff",
      "861f8895fffffff",
      "861f88867ffffff",
      "861f8d497ffffff",
      "861f8d4b7ffffff",
      "861f8896fffffff",
    ]);
    expect(call("geo_h3cell_neighbors", ["861f8894fffffff"])).toEqual(rings[1]);
  });

  test("cell polygon is a closed GeoJSON ring in [lon, lat] order", () => {
    const p = call("geo_h3cell_to_polygon", [NYC_H3]) as {
      type: string;
      coordinates: number[][][];
    };
    expect(p.type).toBe("Polygon");
    const ring = p.coordinates[0];
    expect(ring).toHaveLength(7);
    expect(ring[0]).toEqual(ring[6]);
    expect(ring[0][0]).toBeCloseTo(-74.0022744646159, 9);
    expect(ring[0][1]).toBeCloseTo(40.735376026215022, 9);
    const c = call("geo_h3cell_to_central_point", [NYC_H3]) as { coordinates: number[] };
    expect(c.coordinates[0]).toBeCloseTo(-74.016, 2);
    expect(c.coordinates[1]).toBeCloseTo(40.704, 2);
  });

  test("polygon to cells covers the polygon; invalid polygons give null", () => {
    const square = dyn({
      type: "Polygon",
      coordinates: [
        [
          [-74.05, 40.68],
          [-73.95, 40.68],
          [-73.95, 40.78],
          [-74.05, 40.78],
          [-74.05, 40.68],
        ],
      ],
    });
    const cells = call("geo_polygon_to_h3cells", [square, long(7)]) as string[];
    expect(cells.length).toBeGreaterThan(10);
    expect(cells).toContain(call("geo_point_to_h3cell", [real(-74), real(40.73), long(7)]));
    const grown = call("geo_polygon_to_h3cells", [square, long(7), real(5000)]) as string[];
    expect(grown.length).toBeGreaterThan(cells.length);
    expect(grown).toEqual(expect.arrayContaining(cells));
    expect(call("geo_polygon_to_h3cells", [square, long(7), real(-1)])).toBeNull();
    const line = dyn({
      type: "Polygon",
      coordinates: [
        [
          [0, 0],
          [1, 1],
        ],
      ],
    });
    expect(call("geo_polygon_to_h3cells", [line])).toBeNull();
  });
});

describe("S2 cells", () => {
  test("a point's token at a level (documented values)", () => {
    expect(call("geo_point_to_s2cell", [real(10.1234), real(53), long(8)], "string")).toBe("47b1d");
    expect(call("geo_point_to_s2cell", [real(10.6842), real(53), long(8)], "string")).toBe("47ae3");
    expect(call("geo_point_to_s2cell", [real(300), real(1), long(8)], "string")).toBe("");
    expect(call("geo_point_to_s2cell", [real(1), real(1), long(35)], "string")).toBe("");
    expect(call("geo_point_to_s2cell", [real(1), real(1), long(null)], "string")).toBe("");
  });

  test("cell polygon vertices in S2's order", () => {
    const p = call("geo_s2cell_to_polygon", ["89c259"]) as { coordinates: number[][][] };
    const expected = [
      [-74.030012249838478, 40.8012684339439],
      [-74.030012249838478, 40.7222262918358],
      [-73.935982114337421, 40.708880489804564],
      [-73.935982114337421, 40.787917134506841],
      [-74.030012249838478, 40.8012684339439],
    ];
    p.coordinates[0].forEach((v, i) => {
      expect(v[0]).toBeCloseTo(expected[i][0], 9);
      expect(v[1]).toBeCloseTo(expected[i][1], 9);
    });
    expect(call("geo_s2cell_to_polygon", ["zz"])).toBeNull();
    expect(call("geo_s2cell_to_central_point", ["a"])).toBeNull();
  });

  test("neighbours are the eight surrounding cells", () => {
    const n = call("geo_s2cell_neighbors", ["89c259"]) as string[];
    expect([...n].sort()).toEqual(
      ["89c25d", "89c2f9", "89c251", "89c257", "89c25f", "89c25b", "89c2f7", "89c2f5"].sort(),
    );
    expect(call("geo_s2cell_neighbors", ["a"])).toBeNull();
  });

  test("polygon covering at one level, null beyond the token limit", () => {
    const triangle = dyn({
      type: "Polygon",
      coordinates: [
        [
          [0, 0],
          [0, 50],
          [100, 50],
          [0, 0],
        ],
      ],
    });
    const cells = call("geo_polygon_to_s2cells", [triangle, long(5)]) as string[];
    expect(cells).toHaveLength(286);
    expect(json(call("geo_polygon_to_s2cells", [triangle, long(30)]))).toBe("null");
  });
});
