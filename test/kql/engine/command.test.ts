import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { memoryIo } from "../../../scripts/cli/io";
import { main } from "../../../scripts/kql/command";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "kql-command-"));
}

describe("sentinel-dac kql run", () => {
  it("runs a query from stdin over --tables (row objects and Log Analytics responses)", async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, "tables"));
    fs.writeFileSync(
      path.join(dir, "tables", "SigninLogs.json"),
      JSON.stringify([
        {
          TimeGenerated: "2026-05-06T09:00:00Z",
          UserPrincipalName: "ann@contoso.com",
          ResultType: "50126",
        },
      ]),
    );
    fs.writeFileSync(
      path.join(dir, "tables", "Custom_CL.json"),
      JSON.stringify({
        tables: [
          { name: "PrimaryResult", columns: [{ name: "n", type: "long" }], rows: [[1], [2]] },
        ],
      }),
    );
    const io = memoryIo(
      dir,
      {},
      'SigninLogs | where ResultType == "50126" | join kind=inner (Custom_CL | where n == 1) on $left.ResultType == $right.ResultType | count',
    );
    // The join key does not exist on the right: a clear error, exit 1.
    expect(await main(["run", "--tables", "tables", "--now", "2026-05-06T10:00:00Z"], io)).toBe(1);
    expect(io.err).toMatch(/no column 'ResultType'/);

    const ok = memoryIo(
      dir,
      {},
      "SigninLogs | where TimeGenerated > ago(2h) | project UserPrincipalName",
    );
    expect(
      await main(
        ["run", "--tables", "tables", "--now", "2026-05-06T10:00:00Z", "--format", "json"],
        ok,
      ),
    ).toBe(0);
    expect(JSON.parse(ok.out)).toEqual({
      columns: [{ name: "UserPrincipalName", type: "string" }],
      rows: [["ann@contoso.com"]],
    });
  });

  it("prints a table by default and reads --query-file", async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "q.kql"), "print a = 1, b = 'x'");
    const io = memoryIo(dir);
    expect(await main(["run", "--query-file", "q.kql"], io)).toBe(0);
    expect(io.out.split("\n")[0]).toMatch(/^a \| b$/);
  });

  it("keeps a table row on one line and marks a value it cuts short", async () => {
    const io = memoryIo(tempDir(), {}, 'print a = strrep("x", 70), b = "l1\\nl2"');
    expect(await main(["run"], io)).toBe(0);
    const lines = io.out.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe(`${"x".repeat(59)}… | l1\\nl2`);
    expect(lines[3]).toMatch(/cut short; --format json shows them whole/);
  });

  it("rejects bad arguments as usage errors", async () => {
    await expect(
      main(["run", "--format", "xml"], memoryIo(tempDir(), {}, "print 1")),
    ).rejects.toThrow(/--format/);
    await expect(main(["nope"], memoryIo(tempDir()))).rejects.toThrow(/unknown subcommand/);
  });
});

describe("sentinel-dac kql batch", () => {
  it("writes one line per case; a failing or runaway case does not stop the others", async () => {
    const dir = tempDir();
    const cases = [
      { id: "ok", query: "print x = 1 + 1" },
      { id: "bad", query: "print x = no_such_fn()" },
      {
        id: "runaway",
        query: "range x from 1 to 100000000 step 1 | summarize dcount(tostring(x))",
      },
      { id: "last", query: "datatable(a:string)['z'] | extend b = toupper(a)" },
    ];
    fs.writeFileSync(
      path.join(dir, "cases.jsonl"),
      cases.map((c) => JSON.stringify(c)).join("\n") + "\n",
    );
    const io = memoryIo(dir);
    expect(
      await main(["batch", "cases.jsonl", "--max-millis", "300", "--max-rows", "1000000"], io),
    ).toBe(0);
    const lines = io.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(["ok", "bad", "runaway", "last"]);
    expect(lines[0].rows).toEqual([[2]]);
    expect(lines[1].error).toMatch(/unsupported: function 'no_such_fn\(\)'/);
    expect(lines[2].error).toMatch(/budget exceeded/);
    expect(lines[3].rows).toEqual([["z", "Z"]]);
  });
  it("writes longs beyond 2^53 as exact bare digits", async () => {
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, "cases.jsonl"),
      JSON.stringify({ id: "h", query: 'print h = hash("World"), s = "\\u0001bigint:1", n = 1' }) +
        "\n",
    );
    const io = memoryIo(dir);
    expect(await main(["batch", "cases.jsonl"], io)).toBe(0);
    expect(io.out).toContain('"rows":[[1846988464401551951,"\\u0001bigint:1",1]]');
  });
});
