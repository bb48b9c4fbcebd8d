// One test per normalisation rule of the README's dedupe section, in the same order, plus classification.

import { classify, ipProblem } from "../../scripts/indicators/classify";
import { canonical, normalise, refang } from "../../scripts/indicators/normalise";

describe("refang: one rule per line", () => {
  it.each([
    ["hxxp → http", "hxxp://evil.com/a", "http://evil.com/a"],
    ["hxxps → https (any case of the x)", "hXXps://evil.com", "https://evil.com"],
    ["[.] → .", "evil[.]com", "evil.com"],
    ["(.) → .", "evil(.)com", "evil.com"],
    ["{.} → .", "evil{.}com", "evil.com"],
    ["[dot] → .", "evil[dot]com", "evil.com"],
    ["[:] → :", "hxxp[:]//evil.com", "http://evil.com"],
    ["[://] → ://", "http[://]evil.com", "http://evil.com"],
    ["[@] → @", "bob[@]evil.com", "bob@evil.com"],
    ["[at] → @", "bob[at]evil.com", "bob@evil.com"],
    ["several markers at once", "hxxps[:]//a[.]evil[.]com/x", "https://a.evil.com/x"],
  ])("%s", (_rule, input, output) => {
    expect(refang(input)).toBe(output);
  });

  it("leaves values without markers alone", () => {
    for (const v of ["evil.com", "http://x.org/[a]", "C:\\Windows\\cmd.exe", "hxxp"]) {
      expect(refang(v)).toBe(v);
    }
  });
});

describe("canonical forms: one rule per line", () => {
  it.each([
    ["domains are lowercased", "EVIL.Com", "domain", "evil.com"],
    ["one trailing dot of a fully qualified domain is stripped", "evil.com.", "domain", "evil.com"],
    [
      "hashes are lowercased",
      "D41D8CD98F00B204E9800998ECF8427E",
      "md5",
      "d41d8cd98f00b204e9800998ecf8427e",
    ],
    ["emails are lowercased", "Bob@Example.COM", "email", "bob@example.com"],
    ["IPv4 loses leading zeros", "010.001.002.003", "ipv4", "10.1.2.3"],
    [
      "IPv6 is lowercased and its longest zero run compressed",
      "2001:DB8:0:0:0:0:0:1",
      "ipv6",
      "2001:db8::1",
    ],
    [
      "IPv6 drops leading zeros in groups",
      "2001:0db8:0000:0001:0:0:0:0001",
      "ipv6",
      "2001:db8:0:1::1",
    ],
    ["CIDR: the address canonical, the prefix without zeros", "010.0.0.0/08", "cidr", "10.0.0.0/8"],
    [
      "URL scheme and host lowercased, path kept",
      "HTTP://Evil.COM/Path",
      "url",
      "http://evil.com/Path",
    ],
    ["URL default port dropped (http 80)", "http://evil.com:80/a", "url", "http://evil.com/a"],
    ["URL default port dropped (https 443)", "https://evil.com:443/", "url", "https://evil.com/"],
    ["URL other ports kept", "https://evil.com:8443/", "url", "https://evil.com:8443/"],
    ["file names and other values are kept as written", "Cmd.EXE", "file-name", "Cmd.EXE"],
  ] as const)("%s", (_rule, input, type, output) => {
    expect(canonical(input, type)).toBe(output);
  });

  it("lowercases every value under a case-insensitive operator, none other under `in`", () => {
    expect(normalise("Cmd.EXE", {}, true).key).toBe("cmd.exe");
    expect(normalise("Cmd.EXE", {}, false).key).toBe("Cmd.EXE");
    // Domains are lowercased either way: the case-sensitive operator decides the message.
    expect(normalise("EVIL.com", {}, false).key).toBe("evil.com");
  });

  it("refangs before classifying and canonicalising", () => {
    expect(normalise("hxxp://EVIL[.]com:80/x", {}, false)).toEqual({
      refanged: "http://EVIL.com:80/x",
      type: "url",
      form: "http://evil.com/x",
      key: "http://evil.com/x",
    });
  });
});

describe("classify", () => {
  it.each([
    ["evil.com", "domain"],
    ["sub.evil.co.uk", "domain"],
    ["xn--80ak6aa92e.com", "domain"],
    ["http://evil.com/gate.php", "url"],
    ["1.2.3.4", "ipv4"],
    ["2001:db8::1", "ipv6"],
    ["::1", "ipv6"],
    ["10.0.0.0/8", "cidr"],
    ["2001:db8::/32", "cidr"],
    ["d41d8cd98f00b204e9800998ecf8427e", "md5"],
    ["da39a3ee5e6b4b0d3255bfef95601890afd80709", "sha1"],
    ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256"],
    ["bob@evil.com", "email"],
    ["lsass.dmp", "file-name"],
    ["mimikatz.exe", "file-name"],
    ["C:\\Windows\\Temp\\ccc.exe", "file-name"],
    ["LogonSuccess", "other"],
    ["1.2.3", "other"],
    ["00:11:22:33:44:55", "other"],
    ["12:30:00", "other"],
    ["microsoft.compute/snapshots/write", "other"],
  ])("%s is %s", (value, type) => {
    expect(classify(value)).toBe(type);
  });

  it("uses the column for values that could be a host or a file", () => {
    expect(classify("evil.zip")).toBe("file-name");
    expect(classify("evil.zip", { column: "RemoteUrl" })).toBe("domain");
    expect(classify("update.net", { column: "FileName" })).toBe("file-name");
    expect(classify("evil.com/gate.php", { column: "RemoteUrl" })).toBe("url");
  });

  it("explains malformed addresses", () => {
    expect(ipProblem("1.2.3.256", "ipv4")).toMatch(/256, over 255/);
    expect(ipProblem("01.2.3.4", "ipv4")).toMatch(/leading zero/);
    expect(ipProblem("2001:db8:::1", "ipv6")).toMatch(/not a valid IPv6/);
    expect(ipProblem("10.0.0.0/33", "cidr")).toMatch(/prefix length over 32/);
    expect(ipProblem("1.2.3.4", "ipv4")).toBeUndefined();
    expect(ipProblem("::1", "ipv6")).toBeUndefined();
  });
});
