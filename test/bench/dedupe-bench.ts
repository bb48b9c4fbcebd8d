// Dedupe at scale: 100,000 indicators across 2,000 synthetic rules (in a temp dir), with
// repeats, defanged copies, comma-less pairs and indicators shared between rules. Prints the
// wall and CPU time of each stage; the target is the work after parsing (extraction +
// analysis) under 2 s.
// Run: node bin/run-ts.js test/bench/dedupe-bench.ts [rules] [indicatorsPerRule]

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { analyse, RuleIndicators } from "../../scripts/indicators/dedupe";
import { extractFromCode } from "../../scripts/indicators/extract";
import { fixRule } from "../../scripts/indicators/fix";
import { parse } from "../../scripts/kql/kusto";
import { findRuleFiles, loadRuleFile, queryMap, Rule } from "../../scripts/rules/load";
import { memoryIo } from "../../scripts/cli/io";
import { main as dedupeMain } from "../../scripts/indicators/command";

const RULES = Number(process.argv[2] ?? 2000);
const PER_RULE = Number(process.argv[3] ?? 50);

function indicator(rule: number, i: number): string {
  // A fifth of each rule's indicators come from a pool shared by many rules.
  const shared = i % 5 === 0;
  const n = shared ? (rule * 7 + i) % 500 : rule * PER_RULE + i;
  switch (i % 4) {
    case 0:
      return `c2-${n}.example${n % 13}.com`;
    case 1:
      return `${10 + (n % 200)}.${(n >> 8) % 256}.${n % 256}.${(n * 7) % 256}`;
    case 2:
      return (n.toString(16).padStart(8, "0") + "a1b2c3d4").repeat(4).slice(0, 64);
    default:
      return `https://files-${n}.example.org/payload${n % 17}.bin`;
  }
}

function ruleYaml(r: number): string {
  const values = Array.from({ length: PER_RULE }, (_, i) => indicator(r, i));
  const half = Math.floor(values.length / 2);
  if (r % 10 === 0) values[PER_RULE - 1] = values[half + 1]; // a repeat in the `in` list
  if (r % 10 === 1) values[half - 2] = values[0].replace(/\.(?=[^.]*$)/, "[.]"); // defanged copy
  if (r % 10 === 2) values[half - 1] = values[3].replace("https", "hxxps"); // defanged
  const lines = [
    `let Iocs = dynamic([`,
    ...values.slice(0, half).map((v, i) => `  "${v}"${i < half - 1 ? "," : ""}`),
    `]);`,
    `DeviceNetworkEvents`,
    `| where Timestamp > ago(1d)`,
    `| where RemoteUrl has_any (Iocs) or RemoteIP in (`,
    ...values
      .slice(half)
      .map((v, i, a) => `  '${v}'${i < a.length - 1 ? (r % 50 === 2 && i === 3 ? "" : ",") : ")"}`),
  ];
  const id = `00000000-0000-4000-8000-${String(r).padStart(12, "0")}`;
  return `id: ${id}\nname: Synthetic rule ${r}\nquery: |\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
}

/** With --expose-gc (as `npm run bench` runs), start a stage with a clean heap. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

interface Cost {
  wall: number;
  /** CPU time of this process (user + system): what the stage costs on a machine shared
   * with other work, where wall time also counts waiting for a core. */
  cpu: number;
}

function report(label: string, cost: Cost): void {
  process.stdout.write(
    `${label.padEnd(46)} ${cost.wall.toFixed(0).padStart(6)} ms wall ${cost.cpu
      .toFixed(0)
      .padStart(6)} ms cpu\n`,
  );
}

function measure<T>(fn: () => T): { value: T; cost: Cost } {
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const value = fn();
  const cpu = process.cpuUsage(cpu0);
  return { value, cost: { wall: performance.now() - start, cpu: (cpu.user + cpu.system) / 1000 } };
}

function time<T>(label: string, fn: () => T): T {
  const { value, cost } = measure(fn);
  report(label, cost);
  return value;
}

async function mainBench(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dedupe-bench-"));
  try {
    time(`write ${RULES} rule files`, () => {
      fs.mkdirSync(path.join(dir, "detections"));
      for (let r = 0; r < RULES; r++) {
        fs.writeFileSync(path.join(dir, "detections", `rule-${r}.yaml`), ruleYaml(r));
      }
    });
    const rules = time("load YAML (findRuleFiles + loadRuleFile)", () =>
      findRuleFiles(["detections"], dir)
        .map((f) => loadRuleFile(f, dir).rule)
        .filter((r): r is Rule => r !== undefined),
    );
    // The query's position map (file offset of each query character) belongs to reading the
    // YAML; it is built once per rule and cached, so it is measured here, not in analysis.
    time("map query positions (YAML scalar map)", () => rules.forEach((r) => queryMap(r)));
    parse("print 1"); // load Kusto.Language outside the measurement
    // As the command does: parse a rule, extract its lists, let the tree go.
    const parseCost: Cost = { wall: 0, cpu: 0 };
    const extractCost: Cost = { wall: 0, cpu: 0 };
    const extracted: RuleIndicators[] = [];
    collectGarbage();
    for (const rule of rules) {
      const parsed = measure(() => parse(rule.query ?? ""));
      const ex = measure(() => extractFromCode(parsed.value));
      extracted.push({ rule, extraction: ex.value });
      for (const k of ["wall", "cpu"] as const) {
        parseCost[k] += parsed.cost[k];
        extractCost[k] += ex.cost[k];
      }
    }
    report("parse KQL (Kusto.Language)", parseCost);
    report("extract indicators from the syntax trees", extractCost);
    const count = extracted.reduce(
      (n, ri) => n + ri.extraction.lists.reduce((m, l) => m + l.items.length, 0),
      0,
    );
    collectGarbage();
    const analysed = measure(() => analyse(extracted));
    const analysis = analysed.value;
    report("analyse (normalise, findings, index)", analysed.cost);
    report("=> after parsing: extract + analyse", {
      wall: extractCost.wall + analysed.cost.wall,
      cpu: extractCost.cpu + analysed.cost.cpu,
    });
    const fixable = time("plan and verify --fix for every rule", () =>
      extracted.filter((ri) => fixRule(ri).text !== undefined),
    ).length;

    const byId = new Map<string, number>();
    for (const f of analysis.findings) byId.set(f.ruleId, (byId.get(f.ruleId) ?? 0) + 1);
    process.stdout.write(
      `\n${count} indicators in ${rules.length} rules; ${analysis.index.length} distinct; ` +
        `${fixable} rules fixable\nfindings: ${[...byId].map(([k, v]) => `${k} ${v}`).join(", ")}\n\n`,
    );

    const io = memoryIo(dir);
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    await dedupeMain(["--format", "json"], io);
    const cpu = process.cpuUsage(cpu0);
    report("whole command: dedupe --format json", {
      wall: performance.now() - start,
      cpu: (cpu.user + cpu.system) / 1000,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void mainBench();
