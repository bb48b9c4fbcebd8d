import { run } from "../../../scripts/kql/engine/index";

const parse = (ua: string, lookFor: string) =>
  run(`print p = parse_user_agent(${JSON.stringify(ua)}, ${lookFor})`).rows[0][0];

describe("parse_user_agent", () => {
  it("reads the browser (documented example)", () => {
    expect(
      parse(
        "Mozilla/5.0 (Windows; U; en-US) AppleWebKit/531.9 (KHTML, like Gecko) AdobeAIR/2.5.1",
        '"browser"',
      ),
    ).toEqual({
      Browser: { Family: "AdobeAIR", MajorVersion: "2", MinorVersion: "5", Patch: "1" },
    });
  });

  it("reads browser, OS and device together (documented example)", () => {
    expect(
      parse(
        "Mozilla/5.0 (SymbianOS/9.2; U; Series60/3.1 NokiaN81-3/10.0.032 Profile/MIDP-2.0 Configuration/CLDC-1.1 ) AppleWebKit/413 (KHTML, like Gecko) Safari/4",
        'dynamic(["browser","os","device"])',
      ),
    ).toEqual({
      Browser: { Family: "Nokia OSS Browser", MajorVersion: "3", MinorVersion: "1", Patch: "" },
      OperatingSystem: {
        Family: "Symbian OS",
        MajorVersion: "9",
        MinorVersion: "2",
        Patch: "",
        PatchMinor: "",
      },
      Device: { Family: "Nokia N81", Brand: "Nokia", Model: "N81-3" },
    });
  });

  it("reads the agents sign-in logs are full of", () => {
    const chrome =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.130 Safari/537.36";
    expect(parse(chrome, 'dynamic(["browser", "os"])')).toEqual({
      Browser: { Family: "Chrome", MajorVersion: "120", MinorVersion: "0", Patch: "6099" },
      OperatingSystem: {
        Family: "Windows",
        MajorVersion: "10",
        MinorVersion: "",
        Patch: "",
        PatchMinor: "",
      },
    });
    expect(parse("python-requests/2.31.0", '"browser"')).toEqual({
      Browser: { Family: "Python Requests", MajorVersion: "2", MinorVersion: "31", Patch: "" },
    });
  });

  it("answers Other for a string no pattern knows", () => {
    expect(parse("zzz", 'dynamic(["browser", "device"])')).toEqual({
      Browser: { Family: "Other", MajorVersion: "", MinorVersion: "", Patch: "" },
      Device: { Family: "Other", Brand: "", Model: "" },
    });
  });

  it("rejects an unknown look-for value, naming the call's position", () => {
    expect(() => run("print x = 1\n| extend p = parse_user_agent('x', 'cpu')")).toThrow(
      /parse_user_agent\(\): look-for must be "browser", "os" or "device".* at line 2:14/,
    );
  });
});

describe("function errors", () => {
  it("carry the position of the call", () => {
    expect(() => run("print x = 'a'\n| extend y = extract('(', 1, x)")).toThrow(
      /extract\(\): invalid regular expression "\(".* at line 2:14/,
    );
  });
});
