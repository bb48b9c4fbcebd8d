// `sentinel-dac deploy --target NAME|--all`: applies the plan. Only creates and updates;
// drifted items only with --force; deletes only with --prune, and only of our own items.

import { CommandIo, parseCommandArgs, progress, UsageError } from "../cli/io";
import { redactor } from "./arm";
import { applyPlan, countOutcomes, ItemResult, renderResults } from "./apply";
import {
  DEFAULT_RULE_PATHS,
  formatOption,
  guard,
  livePlan,
  openTarget,
  openTargetsFile,
  positiveInt,
  TARGET_OPTIONS,
} from "./common";
import { countActions, planJson, renderPlanText } from "./plan";

const USAGE = `Usage: sentinel-dac deploy (--target NAME | --all) [options] [PATH...]

Deploys the rules under PATH (default: detections) to the target's Microsoft Sentinel
workspace: hunting queries as saved searches, Scheduled/NRT rules as analytics rules, each
with a Sentinel metadata resource naming this repository. Only what changed is written; a
second run writes nothing.

Options:
  -t, --target NAME     the target in the targets file
      --all             every target in the targets file, one after another
      --targets FILE    the targets file (default: deploy/targets.yaml)
      --force           also overwrite items changed in the workspace since the last deploy
      --prune           delete items deployed from this repository that are no longer in it
                        (never anything else in the workspace)
      --dry-run         print the plan only; write nothing
      --concurrency N   items written at the same time (default 4)
      --format FORMAT   text (default) or json
  -h, --help            show this help

Throttling (429) and transient errors (5xx, reset connections) are retried with backoff.
Exit codes: 0 deployed, 1 an item failed or a drifted item was left alone, 2 usage error
or the workspace could not be read.
`;

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...TARGET_OPTIONS,
    all: { type: "boolean" },
    force: { type: "boolean" },
    prune: { type: "boolean" },
    "dry-run": { type: "boolean" },
    concurrency: { type: "string" },
    format: { type: "string" },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (values.all && values.target) throw new UsageError("use --target NAME or --all, not both");
  const format = formatOption(values.format);
  const concurrency = positiveInt(values.concurrency, "--concurrency", 4);
  const paths = positionals.length ? positionals : DEFAULT_RULE_PATHS;
  const names = values.all ? undefined : [values.target];
  let exit = 0;
  const json: unknown[] = [];
  const listed = await guard("deploy", io, async () => {
    for (const name of names ?? [...openTargetsFile(values.targets, io).targets.keys()]) {
      const code = await guard("deploy", io, async () => {
        const ctx = openTarget({ target: name, targets: values.targets }, io);
        const { api, entries } = await livePlan(ctx, paths, io);
        if (values["dry-run"]) {
          if (format === "json") json.push(planJson(ctx.target, entries));
          else io.stdout.write(renderPlanText(ctx.target, entries));
          return countActions(entries).error ? 1 : 0;
        }
        const bar = progress(io.stderr, `deploy ${ctx.target.name}`, entries.length);
        const results: ItemResult[] = await applyPlan(api, ctx.target, entries, {
          repository: ctx.repository,
          force: Boolean(values.force),
          prune: Boolean(values.prune),
          concurrency,
          redact: redactor(io.env),
          onDone: (done, r) => bar.tick(done, r.entry.name ?? ""),
        });
        bar.done();
        const counts = countOutcomes(results);
        if (format === "json") {
          json.push({
            target: ctx.target.name,
            summary: counts,
            results: results.map((r) => ({
              outcome: r.outcome,
              kind: r.entry.kind,
              ruleId: r.entry.ruleId,
              name: r.entry.name,
              path: r.entry.path,
              resourceName: r.entry.resourceName,
              message: r.message,
            })),
          });
        } else {
          io.stdout.write(renderResults(ctx.target, results));
        }
        return counts.failed || counts.drifted ? 1 : 0;
      });
      exit = Math.max(exit, code);
    }
    return 0;
  });
  exit = Math.max(exit, listed);
  if (format === "json" && json.length) {
    io.stdout.write(`${JSON.stringify(values.all ? json : json[0], null, 2)}\n`);
  }
  return exit;
}
