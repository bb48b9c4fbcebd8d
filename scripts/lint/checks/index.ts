// Every check, in the order findings are computed. A check is one file in this folder named
// after its id.

import type { Check } from "../check";
import { schema } from "./schema";
import { unknownField } from "./unknown-field";
import { attackTactic } from "./attack-tactic";
import { attackTechnique } from "./attack-technique";
import { huntingAttack } from "./hunting-attack";
import { connectorId } from "./connector-id";
import { entityIdentifiers } from "./entity-identifiers";
import { analyticsSchedule } from "./analytics-schedule";
import { fileExtension } from "./file-extension";
import { uniqueId } from "./unique-id";
import { uniqueName } from "./unique-name";
import { kqlChecks } from "./kql";
import { testsPolicy } from "./tests-policy";

export const coreChecks: Check[] = [
  schema,
  unknownField,
  attackTactic,
  attackTechnique,
  huntingAttack,
  connectorId,
  entityIdentifiers,
  analyticsSchedule,
  fileExtension,
  uniqueId,
  uniqueName,
];

export function allChecks(): Check[] {
  return [...coreChecks, testsPolicy, ...kqlChecks];
}
