// Engine benchmark: two typical detection shapes over a 1,000,000-row DeviceNetworkEvents
// table, each compared with a hand-written JavaScript loop doing the same work in the same run.
// Targets: engine time within 3x of the loop; extra memory within 2x of the input table's size.
// Run: node bin/run-ts.js test/bench/engine-bench.ts [rows]

import { runToTable } from "../../scripts/kql/engine/index";
import {
  datetimeFromUnixMs,
  TICKS_PER_DAY,
  TICKS_PER_HOUR,
  type Column,
  type Table,
  type Value,
} from "../../scripts/kql/engine/values";

const ROWS = Number(process.argv[2] ?? 1_000_000);
const NOW = Date.UTC(2026, 4, 6, 10, 0, 0);

function heapUsed(): number {
  global.gc?.();
  return process.memoryUsage().heapUsed;
}

/** A deterministic pseudo-random generator, so every run measures the same data. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function buildTable(rows: number): Table {
  const rnd = lcg(42);
  const columns: Column[] = [
    { name: "Timestamp", type: "datetime" },
    { name: "DeviceName", type: "string" },
    { name: "RemoteUrl", type: "string" },
    { name: "RemoteIP", type: "string" },
    { name: "RemotePort", type: "int" },
    { name: "ActionType", type: "string" },
  ];
  const devices = Array.from({ length: 500 }, (_, i) => `host-${i}.contoso.com`);
  const urls = Array.from({ length: 5000 }, (_, i) => `site${i}.example.org`);
  const ips = Array.from({ length: 2000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.${i % 7}`);
  const actions = ["ConnectionSuccess", "ConnectionFailed", "ConnectionRequest"];
  const nowTicks = datetimeFromUnixMs(NOW);
  const out: Value[][] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    out[i] = [
      nowTicks - Math.floor(rnd() * 60 * TICKS_PER_DAY),
      devices[Math.floor(rnd() * devices.length)],
      urls[Math.floor(rnd() * urls.length)],
      ips[Math.floor(rnd() * ips.length)],
      [443, 80, 8080, 22][Math.floor(rnd() * 4)],
      actions[Math.floor(rnd() * actions.length)],
    ];
  }
  return { columns, rows: out };
}

function time<T>(fn: () => T): { ms: number; result: T; peak: number } {
  const before = heapUsed();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
  const start = process.hrtime.bigint();
  const result = fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { ms, result, peak: peak - before };
}

function best<T>(runs: number, fn: () => T) {
  let b: ReturnType<typeof time<T>> | undefined;
  for (let i = 0; i < runs; i++) {
    const t = time(fn);
    if (!b || t.ms < b.ms) b = { ...t, peak: Math.max(t.peak, b?.peak ?? 0) };
  }
  return b as ReturnType<typeof time<T>>;
}

function main() {
  const h0 = heapUsed();
  const table = buildTable(ROWS);
  const inputBytes = heapUsed() - h0;
  const urlList = Array.from({ length: 20 }, (_, i) => `site${i * 97}.example.org`);
  const options = { engineTables: { DeviceNetworkEvents: table }, now: new Date(NOW) };
  const whereQuery = `DeviceNetworkEvents
| where Timestamp > ago(30d)
| where RemoteUrl in (${urlList.map((u) => `"${u}"`).join(", ")})`;
  const summarizeQuery =
    "DeviceNetworkEvents | summarize count() by DeviceName, bin(Timestamp, 1h)";

  // Warm up Kusto.Language and the JIT.
  runToTable(whereQuery, options);
  runToTable(summarizeQuery, options);

  const cutoff = datetimeFromUnixMs(NOW) - 30 * TICKS_PER_DAY;
  const urlSet = new Set(urlList);
  const handWhere = () => {
    const out: Value[][] = [];
    for (const r of table.rows)
      if ((r[0] as number) > cutoff && urlSet.has(r[2] as string)) out.push(r);
    return out;
  };
  const handSummarize = () => {
    const groups = new Map<string, Map<number, number>>();
    for (const r of table.rows) {
      const ts = r[0] as number;
      const bin = Math.floor(ts / TICKS_PER_HOUR) * TICKS_PER_HOUR;
      let byBin = groups.get(r[1] as string);
      if (!byBin) groups.set(r[1] as string, (byBin = new Map()));
      byBin.set(bin, (byBin.get(bin) ?? 0) + 1);
    }
    let n = 0;
    for (const m of groups.values()) n += m.size;
    return n;
  };

  const results: string[] = [];
  const report = (
    label: string,
    engine: ReturnType<typeof time>,
    hand: ReturnType<typeof time>,
    check: string,
  ) => {
    const ratio = engine.ms / hand.ms;
    const memRatio = engine.peak / inputBytes;
    results.push(
      `${label}: engine ${engine.ms.toFixed(0)} ms, hand loop ${hand.ms.toFixed(0)} ms, ratio ${ratio.toFixed(2)}x (target <= 3x); ` +
        `extra memory ${(engine.peak / 1e6).toFixed(0)} MB = ${memRatio.toFixed(2)}x input (target <= 2x; ` +
        `hand loop ${(hand.peak / 1e6).toFixed(0)} MB); ${check}`,
    );
  };
  const ew = best(3, () => runToTable(whereQuery, options));
  const hw = best(3, handWhere);
  report("where ago + in (20)", ew, hw, `rows ${ew.result.rows.length} vs ${hw.result.length}`);
  const es = best(3, () => runToTable(summarizeQuery, options));
  const hs = best(3, handSummarize);
  report(
    "summarize count() by DeviceName, bin(Timestamp, 1h)",
    es,
    hs,
    `groups ${es.result.rows.length} vs ${hs.result}`,
  );
  console.log(`input: ${ROWS} rows, ${(inputBytes / 1e6).toFixed(0)} MB on the heap`);
  for (const r of results) console.log(r);
}

main();
