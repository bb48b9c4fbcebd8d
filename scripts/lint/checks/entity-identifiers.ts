// An entity mapping may name each identifier once, and must include one of the entity's
// strong identifier sets (a FileHash needs both Algorithm and Value; a Host needs one of
// FullName, HostName, NetBiosName, AzureID, OMSAgentID). Sentinel drops or rejects the entity
// otherwise. The sets are those of the Azure-Sentinel repository's template validation
// (EntityMappingIdentifiers.cs).

import type { RuleCheck } from "../check";
import { ENTITY_IDENTIFIERS } from "../../rules/vocabulary";

const REQUIRED: Record<string, string[][]> = {
  Account: [["FullName"], ["Sid"], ["Name"], ["AadUserId"], ["PUID"], ["ObjectGuid"]],
  AzureResource: [["ResourceId"]],
  CloudApplication: [["AppId"], ["Name"]],
  DNS: [["DomainName"]],
  File: [["Name"]],
  FileHash: [["Algorithm", "Value"]],
  Host: [["FullName"], ["HostName"], ["NetBiosName"], ["AzureID"], ["OMSAgentID"]],
  IoTDevice: [["DeviceId"]],
  IP: [["Address"]],
  Mailbox: [["MailboxPrimaryAddress"]],
  MailCluster: [["Query"], ["Source"]],
  MailMessage: [["NetworkMessageId"], ["Recipient"]],
  Malware: [["Name"]],
  Process: [["CommandLine"], ["ProcessId"]],
  RegistryKey: [["Key"], ["Hive"]],
  RegistryValue: [["Name"]],
  SecurityGroup: [["DistinguishedName"], ["SID"], ["ObjectGuid"]],
  SubmissionMail: [["SubmissionId"], ["NetworkMessageId"], ["Recipient"], ["Submitter"]],
  URL: [["Url"]],
};

export const entityIdentifiers: RuleCheck = {
  scope: "rule",
  meta: {
    id: "entity-identifiers",
    severity: "error",
    description: "entity mappings name each identifier once and include a strong identifier",
    docs: "Sentinel rejects an entity mapping whose fieldMappings repeat an identifier, and cannot build an entity without one of its strong identifiers (e.g. Host needs FullName, HostName, NetBiosName, AzureID or OMSAgentID).",
  },
  check(rule, ctx) {
    const mappings = rule.data.entityMappings;
    if (!Array.isArray(mappings)) return;
    mappings.forEach((m, i) => {
      const fields = (m as Record<string, unknown> | null)?.fieldMappings;
      if (!Array.isArray(fields)) return;
      const seen = new Map<string, number>();
      fields.forEach((f, j) => {
        const id = (f as Record<string, unknown> | null)?.identifier;
        if (typeof id !== "string") return;
        const first = seen.get(id);
        if (first !== undefined) {
          ctx.report({
            range: ctx.rangeOf(["entityMappings", i, "fieldMappings", j, "identifier"]),
            message: `the ${String((m as Record<string, unknown>).entityType)} mapping names the identifier ${id} twice (fieldMappings ${first} and ${j})`,
            fix: "keep one of them",
          });
        } else seen.set(id, j);
      });
      const type = String((m as Record<string, unknown>).entityType);
      const sets = REQUIRED[type];
      // A misspelt identifier is the schema check's to report; don't pile on.
      const valid = ENTITY_IDENTIFIERS[type] ?? [];
      if (!sets || seen.size === 0 || [...seen.keys()].some((id) => !valid.includes(id))) return;
      if (!sets.some((set) => set.every((id) => seen.has(id)))) {
        const missing = sets.length === 1 ? sets[0].filter((id) => !seen.has(id)) : [];
        ctx.report({
          range: ctx.rangeOf(["entityMappings", i, "entityType"]),
          message:
            sets.length === 1
              ? `the ${type} mapping lacks ${missing.join(" and ")}: Sentinel identifies a ${type} by ${sets[0].join(" + ")}`
              : `the ${type} mapping has none of the identifiers Sentinel identifies a ${type} by (${sets.map((s) => s.join(" + ")).join(", ")})`,
          fix: sets.length === 1 ? `map ${missing.join(" and ")}` : "map at least one of them",
        });
      }
    });
  },
};
