// Conformance of the KQL engine with the examples of the Kusto documentation
// (../shared/kql-conformance): runs every case through `sentinel-dac kql batch` in-process and
// scores the output with the shared scorer. Skipped when ../shared is absent.

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { memoryIo } from "../../scripts/cli/io";
import { main } from "../../scripts/kql/command";

const shared = path.resolve(__dirname, "../../../shared/kql-conformance");
const d = fs.existsSync(path.join(shared, "cases.jsonl")) ? describe : describe.skip;

// Targets of the issue: core >= 97%, all >= 85%. Reached on 4 Dec: core 94.4% (204/216), all
// 93.5% (329/352). Every case that fails is listed, with the reason, in
// scripts/kql/engine/KNOWN-DIFFERENCES.md; the test holds the engine to exactly that list, so a
// regression fails here and so does a fix that leaves the list stale.
const CORE_MIN = 0.94;
const ALL_MIN = 0.85;
const knownDifferences = path.resolve(__dirname, "../../scripts/kql/engine/KNOWN-DIFFERENCES.md");

function score(casesFile: string, resultsFile: string): { rate: number; failed: string[] } {
  const out = execFileSync(
    process.execPath,
    [path.join(shared, "score.mjs"), casesFile, resultsFile, "--verbose"],
    { encoding: "utf8" },
  );
  const m = /pass rate: [\d.]+% \((\d+)\/(\d+)\)/.exec(out);
  if (!m) throw new Error(`unexpected scorer output:\n${out}`);
  const failed = [...out.matchAll(/^FAIL (\S+?):/gm)].map((f) => f[1]).sort();
  return { rate: Number(m[1]) / Number(m[2]), failed };
}

/** Case ids named in the first column of KNOWN-DIFFERENCES.md's tables. */
function listedCases(): string[] {
  const ids = new Set<string>();
  for (const line of fs.readFileSync(knownDifferences, "utf8").split("\n")) {
    const first = /^\|([^|]*)\|/.exec(line);
    if (!first) continue;
    for (const id of first[1].matchAll(/`([\w/-]+#\d+)`/g)) ids.add(id[1]);
  }
  return [...ids].sort();
}

d("KQL conformance (Kusto documentation examples)", () => {
  let results = "";
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kql-conformance-"));
    const input = path.join(dir, "in.jsonl");
    const lines = fs
      .readFileSync(path.join(shared, "cases.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => {
        const c = JSON.parse(l) as { id: string; query: string };
        return JSON.stringify({ id: c.id, query: c.query });
      });
    fs.writeFileSync(input, lines.join("\n") + "\n");
    const io = memoryIo(dir);
    expect(await main(["batch", input], io)).toBe(0);
    results = path.join(dir, "out.jsonl");
    fs.writeFileSync(results, io.out);
  }, 300_000);

  it("writes one result line per case", () => {
    const cases = fs
      .readFileSync(path.join(shared, "cases.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim());
    const out = fs
      .readFileSync(results, "utf8")
      .split("\n")
      .filter((l) => l.trim());
    expect(out).toHaveLength(cases.length);
  });

  it(`passes at least ${CORE_MIN * 100}% of the core cases`, () => {
    expect(score(path.join(shared, "cases-core.jsonl"), results).rate).toBeGreaterThanOrEqual(
      CORE_MIN,
    );
  });

  it(`passes at least ${ALL_MIN * 100}% of all cases`, () => {
    expect(score(path.join(shared, "cases.jsonl"), results).rate).toBeGreaterThanOrEqual(ALL_MIN);
  });

  it("fails exactly the cases KNOWN-DIFFERENCES.md lists", () => {
    expect(score(path.join(shared, "cases.jsonl"), results).failed).toEqual(listedCases());
  });
});
