// `sentinel-dac pull --target NAME --out DIR`: the workspace's hunting queries and
// Scheduled/NRT analytics rules as YAML rule files, so a team can adopt the repository
// without retyping its content. Existing files are never overwritten silently.

import * as fs from "node:fs";
import * as path from "node:path";
import { CommandIo, parseCommandArgs, UsageError } from "../cli/io";
import { findRuleFiles, loadRuleFile } from "../rules/load";
import { guard, openTarget, readWorkspace, TARGET_OPTIONS } from "./common";
import { metadataName, RemoteMetadata } from "./convert";
import { PulledRule, pullAlertRule, pullSavedSearch, ruleYaml, slugFor } from "./pull";

const USAGE = `Usage: sentinel-dac pull --target NAME [--out DIR] [options]

Reads the target workspace's hunting queries (saved searches in the Hunting Queries
category) and Scheduled/NRT analytics rules and writes each as a YAML rule file:
DIR/hunting/<name>.yaml and DIR/analytics/<name>.yaml (DIR defaults to detections).
A rule whose id is already in a file under DIR is skipped (with --overwrite that file is
rewritten in place); an existing file is never overwritten without --overwrite. A plan right
after a pull shows the pulled rules as unchanged.

Options:
  -t, --target NAME     the target in the targets file
      --targets FILE    the targets file (default: deploy/targets.yaml)
  -o, --out DIR         where to write the rule files (default: detections)
      --kind KIND       hunting, analytics or all (default: all)
      --overwrite       replace existing files
  -h, --help            show this help

Exit codes: 0 pulled, 2 usage error or the workspace could not be read.
`;

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...TARGET_OPTIONS,
    out: { type: "string", short: "o" },
    kind: { type: "string" },
    overwrite: { type: "boolean" },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const kind = values.kind ?? "all";
  if (!["hunting", "analytics", "all"].includes(kind)) {
    throw new UsageError(`--kind is hunting, analytics or all, not '${kind}'`);
  }
  return guard("pull", io, async () => {
    const ctx = openTarget(values, io);
    const outDir = path.resolve(io.cwd, values.out ?? "detections");
    const rel = (abs: string) => path.relative(io.cwd, abs).split(path.sep).join("/");

    // Ids already in the repository: those rules are not pulled again (or are refreshed in
    // place with --overwrite).
    const existing = new Map<string, string>();
    if (fs.existsSync(outDir)) {
      for (const file of findRuleFiles([outDir], io.cwd)) {
        const { rule } = loadRuleFile(file, io.cwd);
        if (rule?.id) existing.set(rule.id.toLowerCase(), file);
      }
    }

    const { state } = await readWorkspace(ctx, io);
    const metaFor = (k: "hunting" | "analytics", resource: string): RemoteMetadata | undefined =>
      state.metadata.get(metadataName(k, resource).toLowerCase());
    const pulled: (PulledRule | string)[] = [];
    if (kind !== "analytics") {
      for (const s of state.savedSearches.values()) {
        pulled.push(pullSavedSearch(s, metaFor("hunting", s.name ?? "")));
      }
    }
    if (kind !== "hunting") {
      for (const r of state.alertRules.values())
        pulled.push(pullAlertRule(r, metaFor("analytics", r.name ?? "")));
    }

    let written = 0;
    let skipped = 0;
    const used = new Set<string>();
    const sorted = pulled.sort((a, b) =>
      (typeof a === "string" ? a : a.name).localeCompare(typeof b === "string" ? b : b.name),
    );
    for (const p of sorted) {
      if (typeof p === "string") {
        // Saved searches of other categories are common (Log Analytics' own); say so once.
        if (!p.includes(" is in category ")) io.stdout.write(`skipped ${p}\n`);
        skipped++;
        continue;
      }
      const already = existing.get(p.id.toLowerCase());
      let file: string;
      if (already) {
        if (!values.overwrite) {
          io.stdout.write(
            `skipped ${p.kind} '${p.name}': already in ${rel(already)} (--overwrite refreshes it)\n`,
          );
          skipped++;
          continue;
        }
        file = already;
      } else {
        const dir = path.join(outDir, p.kind);
        file = path.join(dir, `${slugFor(p.name, p.id)}.yaml`);
        // Two rules with the same display name: the second gets part of its id.
        if (used.has(file)) {
          file = path.join(dir, `${slugFor(p.name, p.id)}-${slugFor(p.id, p.id).slice(0, 8)}.yaml`);
        }
        if (fs.existsSync(file) && !values.overwrite) {
          io.stdout.write(
            `skipped ${p.kind} '${p.name}': ${rel(file)} exists (--overwrite replaces it)\n`,
          );
          skipped++;
          continue;
        }
      }
      used.add(file);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, ruleYaml(p.data));
      written++;
      io.stdout.write(`wrote ${rel(file)}${p.warning ? ` (note: ${p.warning})` : ""}\n`);
    }
    const otherSearches = pulled.filter(
      (p) => typeof p === "string" && p.includes(" is in category "),
    ).length;
    io.stdout.write(
      `Pulled from ${ctx.target.workspace}: ${written} written, ${skipped} skipped` +
        (otherSearches ? ` (${otherSearches} saved searches of other categories)` : "") +
        ".\n",
    );
    return 0;
  });
}
