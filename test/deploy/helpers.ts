// A throwaway repository (targets file + rule files) wired to a fake ARM server, and a runner
// for the deploy commands in-process.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { memoryIo, MemoryIo } from "../../scripts/cli/io";
import { run } from "../../scripts/cli";
import type { ArmServer } from "./arm-server";

export const SUB = "11111111-2222-3333-4444-555555555555";
export const RG = "rg-sentinel-test";
export const WS = "law-sentinel-test";
export const TOKEN = "test-token-5f1b3c9e7a2d4f60b8c1e3a5d7f9b2c4";
export const REPO = "contoso/detections";

export const HUNTING_RARE = `id: a60ac80f-dce6-43ec-b102-9ae8c094d5dc
name: Rare process launched as a service
description: |
  Looks for rarely seen processes launched as a service.
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes:
      - DeviceProcessEvents
tactics:
  - Persistence
relevantTechniques:
  - T1543
  - T1543.003
query: |
  DeviceProcessEvents
  | where InitiatingProcessParentFileName contains "services.exe"
  | summarize count() by FileName
  | where count_ < 6
version: 1.0.0
`;

export const HUNTING_LOGONS = `id: 0a8f410d-38b5-4d75-90da-32b472b97230
name: Network logons with local accounts
description: Logons over the network with local accounts.
requiredDataConnectors: []
tactics:
  - LateralMovement
relevantTechniques:
  - T1021
query: |
  SecurityEvent
  | where EventID == 4624 and LogonType == 3
  | where AccountType == "User"
suppress:
  - rule: kql-performance
    reason: small table
`;

export const ANALYTICS_SPRING = `id: 3bd33158-3f0b-47e3-a50f-7c20a1b88038
name: AV detections related to SpringShell Vulnerability
description: |
  'This query looks for Microsoft Defender AV detections related to the SpringShell vulnerability.'
severity: High
status: Available
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes:
      - SecurityAlert
queryFrequency: 1d
queryPeriod: 14d
triggerOperator: gt
triggerThreshold: 0
tactics:
  - InitialAccess
relevantTechniques:
  - T1190
query: |
  SecurityAlert
  | where ProviderName =~ "MDATP"
  | extend HostName = tostring(split(CompromisedEntity, ".")[0])
entityMappings:
  - entityType: Host
    fieldMappings:
      - identifier: HostName
        columnName: HostName
customDetails:
  Provider: ProviderName
incidentConfiguration:
  createIncident: true
  groupingConfiguration:
    enabled: true
    reopenClosedIncident: false
    lookbackDuration: 5h
    matchingMethod: Selected
    groupByEntities:
      - Host
eventGroupingSettings:
  aggregationKind: AlertPerResult
version: 1.0.3
kind: Scheduled
`;

export const ANALYTICS_NRT = `id: 5b6ee21d-da53-46eb-827c-eab2a9ba3d2f
name: Admin role assigned (NRT)
description: A privileged directory role was assigned.
severity: Medium
requiredDataConnectors:
  - connectorId: AzureActiveDirectory
    dataTypes:
      - AuditLogs
tactics:
  - PrivilegeEscalation
relevantTechniques:
  - T1078.004
query: |
  AuditLogs
  | where OperationName == "Add member to role"
  | extend Actor = tostring(InitiatedBy.user.userPrincipalName)
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: Actor
alertDetailsOverride:
  alertDisplayNameFormat: "Role assigned by {{Actor}}"
version: 1.1.0
kind: NRT
`;

export const DEFAULT_RULES: Record<string, string> = {
  "detections/hunting/rare-process-as-a-service.yaml": HUNTING_RARE,
  "detections/hunting/network-logons-with-local-accounts.yaml": HUNTING_LOGONS,
  "detections/analytics/avspringshell.yaml": ANALYTICS_SPRING,
  "detections/analytics/admin-role-assigned.yaml": ANALYTICS_NRT,
};

export interface TestRepo {
  dir: string;
  write(rel: string, text: string): void;
  remove(rel: string): void;
  read(rel: string): string;
}

export function makeRepo(
  server: ArmServer,
  rules: Record<string, string> = DEFAULT_RULES,
  targetExtra = "",
): TestRepo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdac-deploy-"));
  const write = (rel: string, text: string) => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  };
  write(
    "deploy/targets.yaml",
    `repository: ${REPO}
targets:
  test:
    subscriptionId: ${SUB}
    resourceGroup: ${RG}
    workspace: ${WS}
    armEndpoint: ${server.url}
    caFile: ${server.caFile}
${targetExtra}`,
  );
  for (const [rel, text] of Object.entries(rules)) write(rel, text);
  return {
    dir,
    write,
    remove: (rel) => fs.rmSync(path.join(dir, rel)),
    read: (rel) => fs.readFileSync(path.join(dir, rel), "utf8"),
  };
}

/** Short backoff so retries cost milliseconds, not seconds. */
export const TEST_ENV: NodeJS.ProcessEnv = {
  SENTINEL_DAC_ACCESS_TOKEN: TOKEN,
  SENTINEL_DAC_RETRY_DELAY_MS: "5",
  SENTINEL_DAC_MAX_RETRY_DELAY_MS: "20",
};

export async function dac(
  repo: TestRepo,
  argv: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<MemoryIo & { code: number }> {
  const io = memoryIo(repo.dir, { ...TEST_ENV, ...env });
  const code = await run(argv, io);
  return Object.assign(io, { code });
}
