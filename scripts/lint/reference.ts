// Reference data copied into the project (data/), loaded once.
// data/tactic-techniques.json: ATT&CK technique ids per Sentinel tactic, as used by the
//   Azure-Sentinel repository's analytics-rule validation (see its "source" field).
// data/connector-ids.json: data connector ids accepted by that validation (a snapshot), and
//   data/connector-ids-added.json: newer ids the maintainers added.

import * as fs from "node:fs";
import * as path from "node:path";

const DATA_DIR = path.resolve(__dirname, "../../data");

let tactics: Map<string, Set<string>> | undefined;
let connectors: Set<string> | undefined;

/** Tactic name → parent technique ids (`T1071`). */
export function tacticTechniques(): Map<string, Set<string>> {
  if (!tactics) {
    const raw = JSON.parse(
      fs.readFileSync(path.join(DATA_DIR, "tactic-techniques.json"), "utf8"),
    ) as {
      tactics: Record<string, string[]>;
    };
    tactics = new Map(Object.entries(raw.tactics).map(([t, ids]) => [t, new Set(ids)]));
  }
  return tactics;
}

/** Every technique id the snapshot knows, with the tactics it belongs to. */
export function techniqueTactics(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [tactic, ids] of tacticTechniques()) {
    for (const id of ids) out.set(id, [...(out.get(id) ?? []), tactic]);
  }
  return out;
}

export function connectorIds(): Set<string> {
  if (!connectors) {
    connectors = new Set();
    for (const file of ["connector-ids.json", "connector-ids-added.json"]) {
      const raw = JSON.parse(fs.readFileSync(path.join(DATA_DIR, file), "utf8")) as {
        connectorIds: string[];
      };
      for (const id of raw.connectorIds) connectors.add(id);
    }
  }
  return connectors;
}
