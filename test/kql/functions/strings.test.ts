import { call, dt, dyn, json, long, ts } from "./call";
import { TICKS_PER_SECOND } from "../../../scripts/kql/engine/values";
import { parseDatetime } from "../../../scripts/kql/engine/functions/datetime-format";

describe("string functions", () => {
  test("strlen counts characters, string_size bytes", () => {
    expect(call("strlen", ["hello"])).toBe(5);
    expect(call("strlen", ["⒦⒰⒮⒯⒪"])).toBe(5);
    expect(call("string_size", ["⒦⒰⒮⒯⒪"])).toBe(15);
  });

  test("substring with negative start and length", () => {
    expect(call("substring", ["123456", 1])).toBe("23456");
    expect(call("substring", ["123456", 2, 2])).toBe("34");
    expect(call("substring", ["123456", -2, 2])).toBe("56");
    expect(call("substring", ["abc", 10])).toBe("");
  });

  test("strcat converts each argument Kusto's way", () => {
    expect(call("strcat", ["hello", " ", "world"])).toBe("hello world");
    expect(call("strcat_delim", ["-", 1, "2", "A", ts(TICKS_PER_SECOND)])).toBe("1-2-A-00:00:01");
    expect(call("strcat", [dt("2026-05-06T10:00:00Z")])).toBe("2026-05-06T10:00:00.0000000Z");
    expect(call("strcat", [null, "x"])).toBe("x");
    expect(call("strcat_array", [dyn([1, 2, 3]), "->"])).toBe("1->2->3");
  });

  test("split", () => {
    expect(call("split", ["aa_bb", "_"])).toEqual(["aa", "bb"]);
    expect(call("split", ["aaa_bbb_ccc", "_", 1])).toEqual(["bbb"]);
    expect(call("split", ["", "_"])).toEqual([""]);
    expect(call("split", ["a__b", "_"])).toEqual(["a", "", "b"]);
  });

  test("replace_string, replace_strings, replace_regex", () => {
    expect(call("replace_string", ["A cat and a cat", "cat", "dog"])).toBe("A dog and a dog");
    const msg = "This is an example of using replace_strings()";
    expect(call("replace_strings", [msg, dyn(["This", "is"]), dyn(["This", "was"])])).toBe(
      "This was an example of using replace_strings()",
    );
    expect(call("replace_strings", [msg, dyn(["is", "This"]), dyn(["was", "This"])])).toBe(
      "Thwas was an example of using replace_strings()",
    );
    expect(call("replace_regex", ["2024-01-02", "(\\d+)-(\\d+)-(\\d+)", "\\3/\\2/\\1"])).toBe(
      "02/01/2024",
    );
    expect(call("replace_regex", ["aaa", "(?i)A", "b"])).toBe("bbb");
  });

  test("trim functions take a regex", () => {
    expect(call("trim", ["--", "--https://bing.com--"])).toBe("https://bing.com");
    expect(call("trim", ["[^\\w]+", "-  Te st1// $"])).toBe("Te st1");
    expect(call("trim_start", ["[^\\w]+", "-  Te st1// $"])).toBe("Te st1// $");
    expect(call("trim_end", ["[^\\w]+", "-  Te st1// $"])).toBe("-  Te st1");
    expect(call("trim_start", ["\\s+", "   x  "])).toBe("x  ");
  });

  test("indexof with windows and occurrences", () => {
    expect(call("indexof", ["abcdefg", "cde"])).toBe(2);
    expect(call("indexof", ["abcdefg", "cde", 1, 4])).toBe(2);
    expect(call("indexof", ["abcdefg", "cde", 1, 2])).toBe(-1);
    expect(call("indexof", ["abcdefg", "cde", 3, 4])).toBe(-1);
    expect(call("indexof", ["abcdefg", "cde", -5])).toBe(2);
    expect(call("indexof", [long(1234567), long(5), 1, 4])).toBe(4);
    expect(call("indexof", ["abcdefgabcdefg", "cde", 1, 10, 2])).toBe(9);
    expect(call("indexof", ["abcdefgabcdefg", "cde", 1, -1, 3])).toBe(-1);
  });

  test("extract and extract_all", () => {
    const text = "User: James, Email: James@example.com, Age: 29";
    expect(call("extract", ["User: ([^,]+)", 1, text], "string")).toBe("James");
    expect(call("extract", ["Email: (\\S+),", 1, "User: David, Age: 35"], "string")).toBe("");
    expect(call("extract", ["-(\\d{2})-", 1, "15-12-2024"], "int")).toBe(12);
    expect(call("extract", ["x(\\d)", 1, "nope"], "long")).toBeNull();
    expect(call("extract", ["at (\\S+)", 1, "at 2020-01-01T10:00:00Z"], "datetime")).toBe(
      parseDatetime("2020-01-01T10:00:00Z"),
    );
    expect(call("extract_all", ["(\\d+)", "a1b22c333"])).toEqual(["1", "22", "333"]);
    expect(call("extract_all", ["(\\w)(\\d)", "a1b2"])).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
    expect(call("extract_all", ["(\\w)(\\d)", dyn([2]), "a1b2"])).toEqual([["1"], ["2"]]);
    expect(call("extract_all", ["(\\d+)", "none"])).toBeNull();
  });

  test("countof counts overlapping text or regex matches", () => {
    expect(call("countof", ["aaa", "a"])).toBe(3);
    expect(call("countof", ["aaaa", "aa"])).toBe(3);
    expect(call("countof", ["aaaa", "aa", "regex"])).toBe(2);
    expect(call("countof", ["ababaa", "a+", "regex"])).toBe(3);
  });

  test("base64 round trips and invalid input", () => {
    expect(call("base64_encode_tostring", ["Kusto"])).toBe("S3VzdG8=");
    expect(call("base64_decode_tostring", ["S3VzdG8="])).toBe("Kusto");
    expect(call("base64_decode_tostring", ["U3RyaW5n0KHR0tGA0L7Rh9C60LA="])).toBe("");
    expect(call("base64_decode_toarray", ["S3VzdG8="])).toEqual([75, 117, 115, 116, 111]);
    expect(call("base64_decode_toarray", ["S3VzdG8"])).toBeNull();
    expect(call("base64_encode_fromarray", [dyn([75, 117, 115, 116, 111])])).toBe("S3VzdG8=");
    const g = { v: "9a7b3f2c-1d2e-4f5a-8b6c-7d8e9f0a1b2c", t: "guid" as const };
    const enc = call("base64_encode_fromguid", [g]) as string;
    expect(call("base64_decode_toguid", [enc])).toBe(g.v);
  });

  test("strrep, reverse, translate, strcmp", () => {
    expect(call("strrep", ["ABC", 2])).toBe("ABCABC");
    expect(call("strrep", [long(123), 3, "."])).toBe("123.123.123");
    expect(call("strrep", [ts(3 * TICKS_PER_SECOND), 2, " "])).toBe("00:00:03 00:00:03");
    expect(call("reverse", ["Kusto"])).toBe("otsuK");
    expect(call("translate", ["abc", "x", "abc"])).toBe("xxx");
    expect(call("translate", ["abc", "", "ab"])).toBe("");
    expect(call("translate", ["krasp", "otsku", "spark"])).toBe("kusto");
    expect(call("strcmp", ["abc", "ABC"])).toBe(1);
    expect(call("strcmp", ["ABC", "abc"])).toBe(-1);
    expect(call("strcmp", ["abc", "abc"])).toBe(0);
  });

  test("has_any_index uses term matching", () => {
    const s = "this is an example";
    expect(call("has_any_index", [s, dyn(["this", "example"])])).toBe(0);
    expect(call("has_any_index", [s, dyn(["not", "example"])])).toBe(1);
    expect(call("has_any_index", [s, dyn(["not", "found"])])).toBe(-1);
    expect(call("has_any_index", ["Example number 2", dyn([1, 2, 3])])).toBe(1);
    expect(call("has_any_index", [s, dyn([])])).toBe(-1);
    expect(call("has_any_index", ["exampleX", dyn(["example"])])).toBe(-1);
  });

  test("unicode and utf8 helpers", () => {
    expect(call("isascii", ["abc"])).toBe(true);
    expect(call("isascii", ["abcé"])).toBe(false);
    expect(call("to_utf8", ["é"])).toEqual([195, 169]);
    expect(call("unicode_codepoints_from_string", ["Kusto"])).toEqual([75, 117, 115, 116, 111]);
    expect(call("unicode_codepoints_to_string", [dyn([75, 117, 115, 116, 111])])).toBe("Kusto");
    expect(call("make_string", [75, dyn([117, 115]), 116, 111])).toBe("Kusto");
  });

  test("parse_csv and parse_command_line", () => {
    expect(
      call("parse_csv", ['aa,"b,b,b",cc,"Escaping quotes: ""Title""","line1\nline2"']),
    ).toEqual(["aa", "b,b,b", "cc", 'Escaping quotes: "Title"', "line1\nline2"]);
    expect(
      call("parse_command_line", ['"C:\\Program Files\\a.exe" -x "two words" a\\"b', "windows"]),
    ).toEqual(["C:\\Program Files\\a.exe", "-x", "two words", 'a"b']);
  });

  test("format_bytes", () => {
    expect(call("format_bytes", [564])).toBe("564 Bytes");
    expect(call("format_bytes", [10332, 1])).toBe("10.1 KB");
    expect(call("format_bytes", [20010332])).toBe("19 MB");
    expect(call("format_bytes", [20010332, 2])).toBe("19.08 MB");
    expect(call("format_bytes", [20010332, 0, "KB"])).toBe("19541 KB");
  });

  test("non-string arguments are converted, null string args are empty", () => {
    expect(call("tolower", [{ v: null, t: "string" }])).toBe("");
    expect(call("toupper", ["abC"])).toBe("ABC");
    expect(json(call("split", [long(1020), "2"]))).toBe('["10","0"]');
  });
});
