// `npm run bench`: runs every benchmark in this folder (`*-bench.ts`), one process each so
// they do not disturb each other's memory figures, and prints what each measured.
// Usage: npm run bench [-- name…]   (e.g. `npm run bench -- engine`)

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const dir = __dirname;
const only = process.argv.slice(2);
const benches = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith("-bench.ts"))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

if (benches.length === 0) {
  process.stderr.write(`no benchmark matches ${only.join(", ")}\n`);
  process.exit(2);
}

let failed = 0;
for (const file of benches) {
  process.stdout.write(`\n=== ${file.replace(/-bench\.ts$/, "")} ===\n`);
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    ["--expose-gc", path.join(dir, "../../bin/run-ts.js"), path.join(dir, file)],
    { stdio: "inherit" },
  );
  if (r.status !== 0) failed++;
  process.stdout.write(
    `(${file}: ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${r.status})\n`,
  );
}
process.exit(failed ? 1 : 0);
