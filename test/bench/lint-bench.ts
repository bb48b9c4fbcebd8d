// Benchmark of `sentinel-dac lint` with the KQL checks over 2,000 synthetic rules.
//
//   node bin/run-ts.js test/bench/lint-bench.ts [--rules 2000] [--keep]
//
// Writes the rules to a temporary repository (varied, real-looking queries: every query text
// is distinct, so the cache cannot share work between rules), then times, each in a fresh
// process as a user would run it:
//   cold      no cache, workers chosen automatically (one per core above 50 queries)
//   warm      the same, second run: every analysis comes from .cache/sentinel-dac/kql
//   1 worker  no cache, one worker thread
//   2 workers no cache, two worker threads
//   0 workers no cache, everything in the main thread
// Timings are printed, never asserted.

import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const args = process.argv.slice(2);
const count = Number(args[args.indexOf("--rules") + 1]) || 2000;
/** Keep the generated repository (its path is printed) to profile runs by hand. */
const keep = args.includes("--keep");

const pick = <T>(items: T[], i: number): T => items[i % items.length];
const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const hex = (i: number, len: number) =>
  Array.from({ length: len }, (_, k) => "0123456789abcdef"[(i * 7 + k * 13) % 16]).join("");

/** Query templates after real Sentinel content; `i` makes each text unique. */
const templates: ((i: number) => { table: string; connector: string; query: string })[] = [
  (i) => ({
    table: "SecurityEvent",
    connector: "SecurityEvents",
    query: `SecurityEvent
| where TimeGenerated > ago(${1 + (i % 7)}d)
| where EventID == 4625
| summarize FailedLogons = count() by TargetAccount, IpAddress, bin(TimeGenerated, 1h)
| where FailedLogons > ${10 + (i % 50)}`,
  }),
  (i) => ({
    table: "DeviceProcessEvents",
    connector: "MicrosoftThreatProtection",
    query: `DeviceProcessEvents
| where Timestamp > ago(${1 + (i % 14)}d)
| where FileName in~ ("powershell.exe", "pwsh.exe")
| where ProcessCommandLine has_any ("-enc", "-EncodedCommand", "FromBase64String")
| extend Length = strlen(ProcessCommandLine)
| where Length > ${200 + i}
| project Timestamp, DeviceName, AccountName, ProcessCommandLine, InitiatingProcessFileName`,
  }),
  (i) => ({
    table: "DeviceNetworkEvents",
    connector: "MicrosoftThreatProtection",
    query: `let iocs = dynamic(["${ip(i)}", "${ip(i + 1)}", "${ip(i + 2)}"]);
DeviceNetworkEvents
| where Timestamp > ago(7d)
| where RemoteIP in (iocs) or RemoteUrl has "bad${i}.example"
| summarize Connections = count(), FirstSeen = min(Timestamp) by DeviceName, RemoteIP, RemotePort`,
  }),
  (i) => ({
    table: "SigninLogs",
    connector: "AzureActiveDirectory",
    query: `SigninLogs
| where TimeGenerated > ago(1d)
| where ResultType == "50126"
| summarize Attempts = count(), Users = dcount(UserPrincipalName) by IPAddress, bin(TimeGenerated, 10m)
| where Users > ${5 + (i % 20)} and Attempts > ${20 + i}`,
  }),
  (i) => ({
    table: "AuditLogs",
    connector: "AzureActiveDirectory",
    query: `AuditLogs
| where TimeGenerated > ago(${1 + (i % 3)}d)
| where OperationName == "Add member to role"
| extend Target = tostring(TargetResources[0].userPrincipalName)
| extend Actor = tostring(InitiatedBy.user.userPrincipalName)
| where Target !endswith "@contoso${i}.com"
| project TimeGenerated, Actor, Target, Result`,
  }),
  (i) => ({
    table: "OfficeActivity",
    connector: "Office365",
    query: `OfficeActivity
| where TimeGenerated > ago(1d)
| where Operation in ("New-InboxRule", "Set-InboxRule")
| where Parameters has "ForwardTo" or Parameters has "RedirectTo"
| extend ClientIP = tostring(split(ClientIP, ":")[0])
| summarize count() by UserId, ClientIP, rule = ${i}`,
  }),
  (i) => ({
    table: "DeviceFileEvents",
    connector: "MicrosoftThreatProtection",
    query: `DeviceFileEvents
| where Timestamp > ago(30d)
| where SHA256 in ("${hex(i, 64)}", "${hex(i + 3, 64)}")
| join kind=inner (DeviceInfo | where Timestamp > ago(1d) | summarize arg_max(Timestamp, *) by DeviceId) on DeviceId
| project Timestamp, DeviceName, FileName, FolderPath, OSPlatform`,
  }),
  (i) => ({
    table: "Syslog",
    connector: "Syslog",
    query: `Syslog
| where TimeGenerated > ago(1h)
| where Facility == "auth" and SyslogMessage has "Failed password"
| parse SyslogMessage with * "from " SourceIP " port " Port:int " " *
| summarize Failures = count() by SourceIP, Computer
| where Failures > ${3 + (i % 30)}`,
  }),
  (i) => ({
    table: "CommonSecurityLog",
    connector: "PaloAltoNetworks",
    query: `CommonSecurityLog
| where TimeGenerated > ago(${1 + (i % 12)}h)
| where DeviceVendor == "Palo Alto Networks" and Activity == "TRAFFIC"
| where DestinationPort in (445, 3389, ${1000 + i})
| summarize Bytes = sum(SentBytes) by SourceIP, DestinationIP
| top 50 by Bytes desc`,
  }),
  (i) => ({
    table: "AzureActivity",
    connector: "AzureActivity",
    query: `AzureActivity
| where TimeGenerated > ago(14d)
| where OperationNameValue endswith "/write" and ActivityStatusValue == "Success"
| summarize Operations = make_set(OperationNameValue, 100), Count = count() by Caller, CallerIpAddress
| where Count > ${100 + i}
| extend AccountName = tostring(split(Caller, "@")[0])`,
  }),
];

function ruleFile(i: number): string {
  const t = pick(templates, i)(i);
  const id = `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
  return [
    `id: ${id}`,
    `name: Synthetic rule ${i}`,
    "description: Generated for the lint benchmark.",
    "requiredDataConnectors:",
    `  - connectorId: ${t.connector}`,
    "    dataTypes:",
    `      - ${t.table}`,
    ...(t.query.includes("DeviceInfo") ? ["      - DeviceInfo"] : []),
    "tactics:",
    "  - Discovery",
    "relevantTechniques:",
    "  - T1087",
    "query: |",
    ...t.query.split("\n").map((l) => `  ${l}`),
    "version: 1.0.0",
    "",
  ].join("\n");
}

/** GNU time, when present, adds the CPU time a run used: wall time alone misleads on a busy machine. */
const GNU_TIME = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

function run(dir: string, label: string, config: string): number {
  fs.writeFileSync(
    path.join(dir, "sentinel-dac.config.yaml"),
    `tests:\n  required: false\n${config}`,
  );
  const lintArgs = [
    path.join(ROOT, "bin/sentinel-dac.js"),
    "lint",
    "detections",
    "--format",
    "json",
  ];
  const [cmd, cmdArgs] = GNU_TIME
    ? [GNU_TIME, ["-f", "cpu %U %S", process.execPath, ...lintArgs]]
    : [process.execPath, lintArgs];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, cmdArgs, { cwd: dir, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`${label}: lint exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  }
  const findings = (JSON.parse(r.stdout) as { ruleId: string }[]).filter((f) =>
    f.ruleId.startsWith("kql-"),
  ).length;
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  const cpuText = cpu ? `   cpu ${(Number(cpu[1]) + Number(cpu[2])).toFixed(1).padStart(6)} s` : "";
  console.log(
    `${label.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(7)} s   ${(ms / count).toFixed(2).padStart(6)} ms/rule${cpuText}   (${findings} KQL findings)`,
  );
  return ms;
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-dac-lint-bench-"));
  try {
    for (let i = 0; i < count; i++) {
      const sub = i % 2 ? "hunting" : "hunting/more";
      fs.mkdirSync(path.join(dir, "detections", sub), { recursive: true });
      fs.writeFileSync(path.join(dir, "detections", sub, `rule-${i}.yaml`), ruleFile(i));
    }
    const cores = os.availableParallelism?.() ?? os.cpus().length;
    console.log(
      `lint over ${count} synthetic rules (${templates.length} templates), ${cores} cores, node ${process.version}, load ${os.loadavg()[0].toFixed(1)}`,
    );
    fs.rmSync(path.join(dir, ".cache"), { recursive: true, force: true });
    run(dir, "cold (auto workers, empty cache)", "");
    run(dir, "warm (every query cached)", "");
    run(dir, "no cache, 0 workers (main thread)", "kql:\n  workers: 0\n  cache: false\n");
    run(dir, "no cache, 1 worker", "kql:\n  workers: 1\n  cache: false\n");
    run(dir, "no cache, 2 workers", "kql:\n  workers: 2\n  cache: false\n");
  } finally {
    if (keep) console.log(`kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
