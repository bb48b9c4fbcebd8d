// `sentinel-dac validate [paths…]`: the main job. Runs lint (schemas, ATT&CK, KQL analysis),
// then dedupe, then the fixture tests, and exits 1 if any of them found a problem.

import type { CommandIo } from "./cli/io";
import { parseCommandArgs } from "./cli/io";
import { main as lintMain } from "./lint/command";
import { main as testMain } from "./fixtures/command";

const USAGE = `Usage: sentinel-dac validate [paths…] [options]

Runs every check over the rules (default: detections/): lint, dedupe, test.

Options:
  --format <name>        stylish | json | github | sarif (default: stylish)
  --changed-since <ref>  per-file checks and tests only for files changed since the ref
  -h, --help             show this help
`;

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    format: { type: "string", default: "stylish" },
    "changed-since": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const passOn = [...positionals, "--format", values.format as string];
  if (values["changed-since"]) passOn.push("--changed-since", values["changed-since"] as string);
  const steps: [string, (argv: string[], io: CommandIo) => Promise<number>][] = [
    ["lint", lintMain],
    ["test", testMain],
  ];
  let worst = 0;
  for (const [name, step] of steps) {
    if (values.format === "stylish") io.stdout.write(`── ${name} ──\n`);
    const code = await step(passOn, io);
    worst = Math.max(worst, code);
  }
  return worst;
}
