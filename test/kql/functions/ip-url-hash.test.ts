import { call, dt, dyn, long } from "./call";

describe("IPv4 functions", () => {
  test("parse and format", () => {
    expect(call("parse_ipv4", ["192.168.1.1"])).toBe(3232235777);
    expect(call("parse_ipv4", ["192.168.1.1/24"])).toBe(3232235776);
    expect(call("parse_ipv4", ["255.255.255.255/31"])).toBe(4294967294);
    expect(call("parse_ipv4", ["127.0.0.256"])).toBeNull();
    expect(call("parse_ipv4_mask", ["10.1.2.3", long(24)])).toBe(167838208);
    expect(call("format_ipv4", ["192.168.1.1", long(24)])).toBe("192.168.1.0");
    expect(call("format_ipv4", [long(3232235777)])).toBe("192.168.1.1");
    expect(call("format_ipv4_mask", ["192.168.1.1/24", long(32)])).toBe("192.168.1.0/24");
    expect(call("format_ipv4_mask", ["192.168.1.1/24", long(-1)])).toBe("");
    expect(call("ipv4_netmask_suffix", ["10.0.0.0/8"])).toBe(8);
  });

  test("ranges, private addresses, matching", () => {
    expect(call("ipv4_is_private", ["10.1.2.3"])).toBe(true);
    expect(call("ipv4_is_private", ["192.168.1.1/24"])).toBe(true);
    expect(call("ipv4_is_private", ["172.32.0.1"])).toBe(false);
    expect(call("ipv4_is_private", ["127.0.0.1"])).toBe(false);
    expect(call("ipv4_is_in_range", ["192.168.1.6", "192.168.1.1/24"])).toBe(true);
    expect(call("ipv4_is_in_range", ["192.168.2.6", "192.168.1.1/24"])).toBe(false);
    expect(call("ipv4_is_in_any_range", ["192.168.1.6", "10.0.0.1/8", "192.168.1.1/24"])).toBe(
      true,
    );
    expect(call("ipv4_is_in_any_range", ["1.1.1.1", dyn(["192.168.1.1/16", "10.0.0.1/8"])])).toBe(
      false,
    );
    expect(call("ipv4_is_match", ["192.168.1.1/24", "192.168.1.255"])).toBe(true);
    expect(call("ipv4_compare", ["192.168.1.1", "192.168.1.255", long(24)])).toBe(0);
    expect(call("ipv4_compare", ["192.168.1.1", "192.168.1.255"])).toBe(-1);
    expect(call("ipv4_is_match", ["bad", "1.1.1.1"])).toBeNull();
    expect(call("ipv4_range_to_cidr_list", ["1.1.128.0", "1.1.140.255"])).toEqual([
      "1.1.128.0/21",
      "1.1.136.0/22",
      "1.1.140.0/24",
    ]);
  });

  test("finding addresses in text", () => {
    const log = "05:04:54 127.0.0.1 GET /favicon.ico 404";
    expect(call("has_ipv4", [log, "127.0.0.1"])).toBe(true);
    expect(call("has_ipv4", ["05:04:54 127.0.0.256 GET", "127.0.0.256"])).toBe(false);
    expect(call("has_ipv4", ["05:04:54127.0.0.1 GET", "127.0.0.1"])).toBe(false);
    expect(call("has_ipv4_prefix", [log, "127.0."])).toBe(true);
    expect(call("has_ipv4_prefix", [log, "127.0"])).toBe(false);
    expect(call("has_any_ipv4", [log, "127.0.0.1", "192.168.1.1"])).toBe(true);
    expect(call("has_any_ipv4_prefix", [log, dyn(["10.", "127."])])).toBe(true);
  });
});

describe("IPv6 functions", () => {
  test("parse_ipv6 and masks", () => {
    expect(call("parse_ipv6", ["192.168.255.255"])).toBe("0000:0000:0000:0000:0000:ffff:c0a8:ffff");
    expect(call("parse_ipv6", ["192.168.255.255/24"])).toBe(
      "0000:0000:0000:0000:0000:ffff:c0a8:ff00",
    );
    expect(call("parse_ipv6", ["fe80::85d:e82c:9446:7994"])).toBe(
      "fe80:0000:0000:0000:085d:e82c:9446:7994",
    );
    expect(call("parse_ipv6", ["not::an::ip"])).toBeNull();
    expect(call("parse_ipv6_mask", ["192.168.255.255", long(120)])).toBe(
      "0000:0000:0000:0000:0000:ffff:c0a8:ff00",
    );
    expect(call("parse_ipv6_mask", ["fe80::85d:e82c:9446:7994/120", long(124)])).toBe(
      "fe80:0000:0000:0000:085d:e82c:9446:7900",
    );
    expect(call("parse_ipv6_mask", ["::192.168.255.255/24", long(128)])).toBe(
      "0000:0000:0000:0000:0000:ffff:c0a8:ff00",
    );
  });

  test("ipv6_is_match and compare (documented pairs)", () => {
    const pairs: [string, string][] = [
      ["192.168.1.1", "192.168.1.1"],
      ["192.168.1.1/24", "192.168.1.255"],
      ["192.168.1.1/30", "192.168.1.255/24"],
      ["fe80::85d:e82c:9446:7994/120", "fe80::85d:e82c:9446:7998"],
      ["192.168.1.1", "::ffff:c0a8:0101"],
      ["::ffff:c0a8:0101", "192.168.1.255/24"],
      ["::192.168.1.1/30", "192.168.1.255/24"],
    ];
    for (const [a, b] of pairs) expect([a, b, call("ipv6_is_match", [a, b])]).toEqual([a, b, true]);
    expect(call("ipv6_compare", ["::1", "::2"])).toBe(-1);
    expect(call("ipv6_is_in_range", ["fe80::1", "fe80::/64"])).toBe(true);
  });
});

describe("URL and path functions", () => {
  test("parse_url and parse_urlquery", () => {
    expect(
      call("parse_url", [
        "scheme://username:password@host:1234/this/is/a/path?k1=v1&k2=v2#fragment",
      ]),
    ).toEqual({
      Scheme: "scheme",
      Host: "host",
      Port: "1234",
      Path: "/this/is/a/path",
      Username: "username",
      Password: "password",
      "Query Parameters": { k1: "v1", k2: "v2" },
      Fragment: "fragment",
    });
    expect(call("parse_urlquery", ["view=vs-2019&preserve-view=true"])).toEqual({
      "Query Parameters": { view: "vs-2019", "preserve-view": "true" },
    });
  });

  test("encoding and decoding", () => {
    expect(call("url_decode", ["https%3a%2f%2fwww.bing.com%2f"])).toBe("https://www.bing.com/");
    expect(call("url_encode", ["https://www.bing.com/hello world"])).toBe(
      "https%3a%2f%2fwww.bing.com%2fhello+world",
    );
    expect(call("url_encode_component", ["hello world/"])).toBe("hello%20world%2f");
  });

  test("parse_path (documented examples)", () => {
    expect(call("parse_path", ["C:\\temp\\file.txt"])).toEqual({
      Scheme: "",
      RootPath: "C:",
      DirectoryPath: "C:\\temp",
      DirectoryName: "temp",
      Filename: "file.txt",
      Extension: "txt",
      AlternateDataStreamName: "",
    });
    expect(call("parse_path", ["file://C:/temp/file.txt:some.exe"])).toMatchObject({
      Scheme: "file",
      RootPath: "C:",
      DirectoryPath: "C:/temp",
      Filename: "file.txt",
      AlternateDataStreamName: "some.exe",
    });
    expect(call("parse_path", ["\\\\shared\\users\\temp\\file.txt.gz"])).toMatchObject({
      RootPath: "",
      DirectoryPath: "\\\\shared\\users\\temp",
      Extension: "gz",
    });
  });
});

describe("hash functions", () => {
  test("hash is XXH64 of the value's bytes", () => {
    // 64-bit results beyond 2^53 are exact bigints.
    expect(call("hash", ["World"])).toBe(1846988464401551951n);
    expect(call("hash_xxhash64", ["Hello"])).toBe(753694413698530628n);
    expect(call("hash", [dt("2015-01-01")])).toBe(1380966698541616202n);
    expect(call("hash", ["World", 100])).toBe(51);
    expect(call("hash", [null])).toBeNull();
  });

  test("digests", () => {
    expect(call("hash_sha1", ["World"])).toBe("70c07ec18ef89c5309bbb0937f3a6342411e1fdd");
    expect(call("hash_sha1", [dt("2020-01-01")])).toBe("e903e533f4d636b4fc0dcf3cf81e7b7f330de776");
    expect(call("hash_md5", ["World"])).toBe("f5a7924e621e84c9280a9a27e1bcb7f6");
    expect(call("hash_sha256", ["World"])).toBe(
      "78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524",
    );
  });
});

describe("compression and punycode", () => {
  test("zlib and gzip round trips", () => {
    expect(call("zlib_decompress_from_base64_string", ["eJwLSS0uUSguKcrMS1cwNDIGACxqBQ4="])).toBe(
      "Test string 123",
    );
    const z = call("gzip_compress_to_base64_string", ["hello"]);
    expect(call("gzip_decompress_from_base64_string", [z])).toBe("hello");
    expect(call("gzip_decompress_from_base64_string", ["x0x0x0"])).toBe("");
  });

  test("punycode", () => {
    expect(call("punycode_from_string", ["académie-française"])).toBe("acadmie-franaise-npb1a");
    expect(call("punycode_to_string", ["acadmie-franaise-npb1a"])).toBe("académie-française");
    expect(call("punycode_from_string", ["艺术"])).toBe("cqv902d");
  });

  // Kusto names the domain pair the other way round: _to_string encodes, _from_string decodes.
  test("punycode_domain_to_string encodes, as the reference page's example shows", () => {
    expect(call("punycode_domain_to_string", ["艺术.com"])).toBe("xn--cqv902d.com");
    expect(call("punycode_domain_to_string", ["Lê Lợi。Thuận Thiên。com"])).toBe(
      "xn--L Li-gpa4517b.xn--Thun Thin-s4a7194f.com",
    );
    expect(call("punycode_domain_to_string", ["Riðill｡Skáldskaparmál｡org"])).toBe(
      "xn--Riill-jta.xn--Skldskaparml-dbbj.org",
    );
    expect(call("punycode_domain_to_string", ["Kaledvoulc'h.Artorījos.edu"])).toBe(
      "Kaledvoulc'h.xn--Artorjos-ejb.edu",
    );
  });

  test("punycode_domain_from_string decodes, as the reference page's example shows", () => {
    expect(call("punycode_domain_from_string", ["xn--cqv902d.com"])).toBe("艺术.com");
    expect(call("punycode_domain_from_string", ["xn--Ge-mia.Bulg.edu"])).toBe("Gáe.Bulg.edu");
    expect(call("punycode_domain_from_string", ["xn--Lin-8na.Celtchair.org"])).toBe(
      "Lúin.Celtchair.org",
    );
    expect(
      call("punycode_domain_from_string", ["xn--Ry-lja8c.xn--Jng-uta63a.xn--Bng-9ka.com"]),
    ).toBe("Rúyì.Jīngū.Bàng.com");
    expect(call("punycode_domain_from_string", ["xn--!!!.com"])).toBe("");
  });
});
