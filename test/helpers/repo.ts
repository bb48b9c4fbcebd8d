// Temporary repositories for tests: write files, run a command in-process, read the result.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { memoryIo, MemoryIo } from "../../scripts/cli/io";
import { run } from "../../scripts/cli";

export const PROJECT_ROOT = path.resolve(__dirname, "../..");
export const SHARED = path.resolve(PROJECT_ROOT, "../shared");
export const hasShared = fs.existsSync(path.join(SHARED, "community-rules"));

export function tempRepo(files: Record<string, string | Buffer> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-dac-test-"));
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** Runs `sentinel-dac <argv>` in-process with `cwd` as the repository root. */
export async function cli(
  cwd: string,
  argv: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<MemoryIo & { code: number }> {
  const io = memoryIo(cwd, env);
  const code = await run(argv, io);
  return Object.assign(io, { code });
}

/** A valid hunting query, with fields overridable. */
export function huntingRule(overrides: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    id: "id: 1b2c3d4e-0000-4000-8000-000000000001",
    name: "name: Test hunting query",
    description: "description: Finds test traffic.",
    requiredDataConnectors:
      "requiredDataConnectors:\n  - connectorId: MicrosoftThreatProtection\n    dataTypes:\n      - DeviceNetworkEvents",
    tactics: "tactics:\n  - CommandAndControl",
    relevantTechniques: "relevantTechniques:\n  - T1071",
    query:
      "query: |\n  DeviceNetworkEvents\n  | where Timestamp > ago(1d)\n  | where RemoteUrl has 'example.org'",
    ...overrides,
  };
  return `${Object.values(fields)
    .filter((v) => v !== "")
    .join("\n")}\n`;
}

/** A valid scheduled analytics rule, with fields overridable. */
export function analyticsRule(overrides: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    id: "id: 1b2c3d4e-0000-4000-8000-0000000000a1",
    name: "name: Test analytics rule",
    description: "description: Alerts on test traffic.",
    kind: "kind: Scheduled",
    severity: "severity: Medium",
    requiredDataConnectors:
      "requiredDataConnectors:\n  - connectorId: MicrosoftThreatProtection\n    dataTypes:\n      - DeviceNetworkEvents",
    queryFrequency: "queryFrequency: 1h",
    queryPeriod: "queryPeriod: 1h",
    triggerOperator: "triggerOperator: gt",
    triggerThreshold: "triggerThreshold: 0",
    tactics: "tactics:\n  - CommandAndControl",
    relevantTechniques: "relevantTechniques:\n  - T1071",
    query:
      "query: |\n  DeviceNetworkEvents\n  | where Timestamp > ago(1h)\n  | where RemoteUrl has 'example.org'\n  | project Timestamp, DeviceName, RemoteUrl",
    entityMappings:
      "entityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: HostName\n        columnName: DeviceName",
    version: "version: 1.0.0",
    ...overrides,
  };
  return `${Object.values(fields)
    .filter((v) => v !== "")
    .join("\n")}\n`;
}
