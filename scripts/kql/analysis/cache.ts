// The on-disk analysis cache: one JSON file per (query text, schema fingerprint, tool
// version). Safe to delete at any time; a file that cannot be read is treated as a miss.

import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { QueryFacts } from "./facts";

/**
 * Bump when the facts computed for a query change (a new check, a fixed heuristic), so old
 * entries are not reused.
 */
export const ANALYSIS_VERSION = 3;

export const DEFAULT_CACHE_DIR = path.join(".cache", "sentinel-dac", "kql");

function toolVersion(): string {
  const read = (p: string) => {
    try {
      return (JSON.parse(fs.readFileSync(p, "utf8")) as { version?: string }).version ?? "?";
    } catch {
      return "?";
    }
  };
  const own = read(path.resolve(__dirname, "../../../package.json"));
  let kusto = "?";
  try {
    kusto = read(require.resolve("@kusto/language-service-next/package.json"));
  } catch {
    // an unusual install layout: the other parts of the key still change with the tool
  }
  return `${own}/${kusto}/${ANALYSIS_VERSION}`;
}

let version: string | undefined;

export function cacheKey(query: string, fingerprint: string): string {
  version ??= toolVersion();
  return crypto
    .createHash("sha256")
    .update(version)
    .update("\0")
    .update(fingerprint)
    .update("\0")
    .update(query)
    .digest("hex");
}

export class AnalysisCache {
  constructor(readonly dir: string) {}

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  get(key: string): QueryFacts | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.file(key), "utf8")) as QueryFacts;
    } catch {
      return undefined;
    }
  }

  set(key: string, facts: QueryFacts): void {
    const file = this.file(key);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // Write then rename: a concurrent reader never sees half a file.
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(facts));
      fs.renameSync(tmp, file);
    } catch {
      // A read-only checkout still lints; it just does not get faster next time.
    }
  }
}
