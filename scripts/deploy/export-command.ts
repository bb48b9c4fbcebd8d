// `sentinel-dac export --target NAME --out DIR`: the rules as ARM templates, one per rule,
// with the target's overrides applied. Works offline: nothing is read from the workspace.

import * as fs from "node:fs";
import * as path from "node:path";
import { CommandIo, parseCommandArgs, UsageError } from "../cli/io";
import { DEFAULT_RULE_PATHS, guard, openTarget, TARGET_OPTIONS } from "./common";
import { desiredForTarget } from "./plan";
import { ruleTemplate } from "./templates";

const USAGE = `Usage: sentinel-dac export --target NAME --out DIR [PATH...]

Writes the rules under PATH (default: detections) as ARM templates, one JSON file per rule
under DIR (DIR/<rule path>.json): the saved search (Microsoft.OperationalInsights/workspaces/
savedSearches) or alert rule (…/providers/alertRules) and its Sentinel metadata
(…/providers/metadata), with the target's overrides applied. The workspace is a template
parameter (default: the target's). Deploy them with
  az deployment group create -g RG --template-file DIR/…/rule.json
Items deployed this way are recognised by plan and deploy as deployed from this repository.

Options:
  -t, --target NAME     the target in the targets file
      --targets FILE    the targets file (default: deploy/targets.yaml)
  -o, --out DIR         where to write the templates (required)
  -h, --help            show this help

Exit codes: 0 written, 1 some rules could not be exported, 2 usage error.
`;

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...TARGET_OPTIONS,
    out: { type: "string", short: "o" },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (!values.out) throw new UsageError("--out DIR is required");
  return guard("export", io, async () => {
    const ctx = openTarget(values, io);
    const paths = positionals.length ? positionals : DEFAULT_RULE_PATHS;
    const { items, errors } = desiredForTarget(ctx.target, paths, io.cwd);
    const outDir = path.resolve(io.cwd, values.out!);
    for (const item of items) {
      const file = path.join(outDir, item.path.replace(/\.ya?ml$/i, ".json"));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const template = ruleTemplate(item, ctx.target, ctx.repository);
      fs.writeFileSync(file, `${JSON.stringify(template, null, 2)}\n`);
    }
    for (const e of errors) io.stderr.write(`${e.reason} (not exported)\n`);
    const rel = path.relative(io.cwd, outDir) || ".";
    io.stdout.write(
      `Exported ${items.length} rule(s) for ${ctx.target.name} to ${rel}` +
        (errors.length ? `; ${errors.length} could not be exported` : "") +
        ".\n",
    );
    return errors.length ? 1 : 0;
  });
}
