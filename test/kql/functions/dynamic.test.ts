import { call, dt, dyn, json, long, real, ts } from "./call";
import { TICKS_PER_SECOND } from "../../../scripts/kql/engine/values";

describe("array functions", () => {
  test("length, concat, slice, reverse, sum", () => {
    expect(call("array_length", [dyn([1, 2, 3, "four"])])).toBe(4);
    expect(call("array_length", [dyn({ a: 1 })])).toBeNull();
    expect(call("array_concat", [dyn([1]), dyn([2, 3])])).toEqual([1, 2, 3]);
    expect(call("array_slice", [dyn([1, 2, 3, 4, 5]), -3, -2])).toEqual([3, 4]);
    expect(call("array_slice", [dyn([1, 2, 3, 4, 5]), 1, 10])).toEqual([2, 3, 4, 5]);
    expect(call("array_reverse", [dyn([1, 2, 3])])).toEqual([3, 2, 1]);
    expect(call("array_sum", [dyn([1, 2, 3, 4])])).toBe(10);
    expect(call("array_sum", [dyn([1, "x"])])).toBeNull();
  });

  test("array_index_of (the documented examples)", () => {
    const arr = dyn(["this", "is", "an", "example", "an", "example"]);
    expect(call("array_index_of", [arr, "an"])).toBe(2);
    expect(call("array_index_of", [arr, "example", 1, 3])).toBe(3);
    expect(call("array_index_of", [arr, "example", 1, 2])).toBe(-1);
    expect(call("array_index_of", [arr, "is", 2, 4])).toBe(-1);
    expect(call("array_index_of", [arr, "example", 2, -1])).toBe(3);
    expect(call("array_index_of", [arr, "an", 1, -1, 2])).toBe(4);
    expect(call("array_index_of", [arr, "an", 1, -1, 3])).toBe(-1);
    expect(call("array_index_of", [arr, "an", -3])).toBe(4);
    expect(call("array_index_of", [arr, "is", -4])).toBe(-1);
  });

  test("sorting with nulls and companion arrays", () => {
    const colors = dyn([null, "blue", "yellow", "green", null]);
    expect(call("array_sort_asc", [colors, false])).toEqual([
      null,
      null,
      "blue",
      "green",
      "yellow",
    ]);
    expect(call("array_sort_desc", [colors])).toEqual(["yellow", "green", "blue", null, null]);
    expect(call("array_sort_asc", [dyn([1, 3, 4, 5, 2]), dyn(["a", "b", "c", "d", "e"])])).toEqual([
      [1, 2, 3, 4, 5],
      ["a", "e", "b", "c", "d"],
    ]);
    expect(call("array_sort_asc", [dyn([2, 1]), dyn(["x"])])).toBeNull();
  });

  test("rotate, shift, split, iff", () => {
    const a = dyn([1, 2, 3, 4, 5]);
    expect(call("array_rotate_left", [a, 2])).toEqual([3, 4, 5, 1, 2]);
    expect(call("array_rotate_right", [a, -2])).toEqual([3, 4, 5, 1, 2]);
    expect(call("array_rotate_right", [a, 1])).toEqual([5, 1, 2, 3, 4]);
    expect(call("array_shift_left", [a, 2])).toEqual([3, 4, 5, null, null]);
    expect(call("array_shift_left", [a, 2, -1])).toEqual([3, 4, 5, -1, -1]);
    expect(call("array_shift_right", [a, 2])).toEqual([null, null, 1, 2, 3]);
    expect(call("array_shift_right", [a, -2, -1])).toEqual([3, 4, 5, -1, -1]);
    expect(call("array_split", [a, 2])).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    expect(call("array_split", [a, dyn([1, 3])])).toEqual([[1], [2, 3], [4, 5]]);
    expect(call("array_iff", [dyn([1, 0, 50]), "yes", "no"])).toEqual(["yes", "no", "yes"]);
    expect(call("array_iff", [dyn([true, true, true]), dyn([1, 2]), dyn([3, 4])])).toEqual([
      1,
      2,
      null,
    ]);
    expect(call("array_iff", [dyn([null]), 1, 2])).toEqual([null]);
  });

  test("sets and jaccard_index", () => {
    expect(call("set_has_element", [dyn(["a", 1]), long(1)])).toBe(true);
    expect(call("set_has_element", [dyn(["a", 1]), "1"])).toBe(false);
    expect(call("set_union", [dyn([1, 2, 2]), dyn([3, 1])])).toEqual([1, 2, 3]);
    expect(call("set_intersect", [dyn([1, 2, 3]), dyn([4, 5])])).toEqual([]);
    expect(call("set_intersect", [dyn([1, 2, 3]), dyn([3, 2])])).toEqual([2, 3]);
    expect(call("set_difference", [dyn([1, 2, 3]), dyn([1, 2, 3])])).toEqual([]);
    expect(call("set_difference", [dyn([1, 2, 3, 4]), dyn([2]), dyn([4])])).toEqual([1, 3]);
    expect(call("jaccard_index", [dyn([1, 2, 3]), dyn([1, 2, 3, 4])])).toBe(0.75);
  });

  test("range builds arrays of numbers, datetimes and timespans", () => {
    expect(call("range", [1, 8, 3])).toEqual([1, 4, 7]);
    expect(call("range", [1, 3])).toEqual([1, 2, 3]);
    expect(call("range", [ts(0), ts(2 * TICKS_PER_SECOND), ts(TICKS_PER_SECOND)])).toEqual([
      "00:00:00",
      "00:00:01",
      "00:00:02",
    ]);
    expect((call("range", [1, 1e9]) as unknown[]).length).toBe(1_048_576);
  });
});

describe("property bag functions", () => {
  test("bag_pack converts scalars into JSON", () => {
    const bag = call("bag_pack", [
      "t",
      dt("2026-05-06 10:00"),
      "s",
      ts(TICKS_PER_SECOND),
      "n",
      long(1),
    ]);
    expect(json(bag)).toBe('{"t":"2026-05-06T10:00:00Z","s":"00:00:01","n":1}');
    expect(Object.getPrototypeOf(bag)).toBeNull();
    expect(call("pack", ["k", real(NaN)])).toEqual({ k: "NaN" });
    expect(call("pack_array", [long(1), "2", ts(2 * TICKS_PER_SECOND)])).toEqual([
      1,
      "2",
      "00:00:02",
    ]);
  });

  test("keys, merge, remove, has, set", () => {
    const d = dyn({ a: 1, b: { c: 2 } });
    expect(call("bag_keys", [d])).toEqual(["a", "b"]);
    expect(
      json(call("bag_merge", [dyn({ A1: 12, B1: 2, C1: 3 }), dyn({ A2: 81, B2: 82, A1: 1 })])),
    ).toBe('{"A1":12,"B1":2,"C1":3,"A2":81,"B2":82}');
    expect(call("bag_remove_keys", [d, dyn(["a", "$.b.c"])])).toEqual({ b: {} });
    expect(call("bag_has_key", [d, "$.b.c"])).toBe(true);
    expect(call("bag_has_key", [d, "z"])).toBe(false);
    expect(call("bag_set_key", [d, "$.b.d", long(5)])).toEqual({ a: 1, b: { c: 2, d: 5 } });
    // The input bag is not modified.
    expect(d.v).toEqual({ a: 1, b: { c: 2 } });
  });

  test("bag_zip, zip, treepath", () => {
    expect(call("bag_zip", [dyn(["a", "b", "c"]), dyn([1, "2"])])).toEqual({
      a: 1,
      b: "2",
      c: null,
    });
    expect(call("bag_zip", [dyn(["a", 8, "b"]), dyn([1, "2", 2.5])])).toEqual({ a: 1, b: 2.5 });
    expect(call("zip", [dyn(["A", 1, 1.5]), dyn([{}, "B"])])).toEqual([
      ["A", {}],
      [1, "B"],
      [1.5, null],
    ]);
    expect(call("treepath", [dyn({ prop1: [1, 2, 3, 4], prop2: "value2" })])).toEqual([
      "['prop1']",
      "['prop1'][0]",
      "['prop2']",
    ]);
    expect(call("treepath", [dyn({ listProperty: [100, "abcde", { x: "y" }] })])).toEqual([
      "['listProperty']",
      "['listProperty'][0]",
      "['listProperty'][0]['x']",
    ]);
  });

  test("extract_json with a typed result", () => {
    const text = '{"name": "John", "age": 30, "tags": ["a", "b"]}';
    expect(call("extract_json", ["$.name", text], "string")).toBe("John");
    expect(call("extract_json", ["$.age", text], "long")).toBe(30);
    expect(call("extract_json", ["$.tags[1]", text], "dynamic")).toBe("b");
    expect(call("extract_json", ["$.missing", text], "string")).toBe("");
    expect(call("extractjson", ["$.x", "not json"], "long")).toBeNull();
  });
});
