// Runs every community rule's query on empty tables and sorts the outcomes: ran, invalid KQL
// (Kusto.Language's syntax diagnostics), unsupported feature, or another error. Used by the
// community-rules test and runnable alone: `node bin/run-ts.js test/kql/engine/community-rules.ts`.

import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { run } from "../../../scripts/kql/engine/index";

export interface RuleOutcome {
  file: string;
  outcome: "ran" | "invalid" | "unsupported" | "error" | "bad-yaml";
  message?: string;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

export function runCommunityRules(dir: string): RuleOutcome[] {
  return yamlFiles(dir).flatMap((file): RuleOutcome[] => {
    let doc: { query?: unknown } | null;
    try {
      doc = parseYaml(fs.readFileSync(file, "utf8")) as { query?: unknown } | null;
    } catch (err) {
      return [
        {
          file,
          outcome: "bad-yaml",
          message: err instanceof Error ? err.message.split("\n")[0] : String(err),
        },
      ];
    }
    if (!doc || typeof doc.query !== "string") return [];
    try {
      run(doc.query, { now: "2026-05-06T10:00:00Z", budget: { maxMillis: 10_000 } });
      return [{ file, outcome: "ran" }];
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const outcome = /^syntax error|Kusto\.Language reports/.test(message)
        ? "invalid"
        : /unsupported/.test(message)
          ? "unsupported"
          : "error";
      return [{ file, outcome, message }];
    }
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  const dir = process.argv[2] ?? path.resolve(__dirname, "../../../../shared/community-rules");
  const results = runCommunityRules(dir);
  const count = (o: RuleOutcome["outcome"]) => results.filter((r) => r.outcome === o).length;
  for (const r of results)
    if (r.outcome !== "ran")
      console.log(`${r.outcome}: ${path.relative(dir, r.file)}: ${r.message}`);
  const valid = results.length - count("invalid") - count("bad-yaml");
  console.log(
    `rules: ${results.length}, ran: ${count("ran")}, invalid KQL: ${count("invalid")}, unsupported: ${count("unsupported")}, other errors: ${count("error")}, unreadable YAML: ${count("bad-yaml")}`,
  );
  console.log(
    `ran without 'unsupported' among valid queries: ${(((valid - count("unsupported")) / valid) * 100).toFixed(1)}%`,
  );
}
