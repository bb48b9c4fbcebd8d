// `sentinel-dac plan --target NAME`: what deploy would change in a workspace. Reads only.

import { CommandIo, parseCommandArgs } from "../cli/io";
import {
  DEFAULT_RULE_PATHS,
  formatOption,
  guard,
  livePlan,
  openTarget,
  TARGET_OPTIONS,
} from "./common";
import { countActions, planJson, renderPlanText } from "./plan";

const USAGE = `Usage: sentinel-dac plan --target NAME [options] [PATH...]

Compares the rules under PATH (default: detections) with what the target's workspace holds
and prints, per rule: create, update (with the changed fields), unchanged, drifted (changed
in the workspace since the last deploy) and delete (deployed from this repository, no longer
in it). Nothing is written.

Options:
  -t, --target NAME     the target in the targets file
      --targets FILE    the targets file (default: deploy/targets.yaml)
      --format FORMAT   text (default) or json
      --fail-on-drift   exit 1 when anything drifted (for a scheduled drift check in CI)
  -h, --help            show this help

Credentials: DefaultAzureCredential (az login, azure/login in GitHub Actions, managed
identity…), or the bearer token in SENTINEL_DAC_ACCESS_TOKEN when set.
Exit codes: 0 plan printed, 1 drift found with --fail-on-drift, 2 usage error or the
workspace could not be read.
`;

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...TARGET_OPTIONS,
    format: { type: "string" },
    "fail-on-drift": { type: "boolean" },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const format = formatOption(values.format);
  return guard("plan", io, async () => {
    const ctx = openTarget(values, io);
    const paths = positionals.length ? positionals : DEFAULT_RULE_PATHS;
    const { entries } = await livePlan(ctx, paths, io);
    io.stdout.write(
      format === "json"
        ? `${JSON.stringify(planJson(ctx.target, entries), null, 2)}\n`
        : renderPlanText(ctx.target, entries),
    );
    const counts = countActions(entries);
    if (values["fail-on-drift"] && counts.drifted > 0) {
      io.stderr.write(
        `sentinel-dac plan: ${counts.drifted} item(s) drifted in ${ctx.target.name}\n`,
      );
      return 1;
    }
    return 0;
  });
}
