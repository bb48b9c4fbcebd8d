// Analyses many queries on worker threads, one per core (at most `workers`), handing out
// small batches so a slow query does not leave the other threads idle.

import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { EngineSchemas } from "./engine";
import type { QueryFacts } from "./facts";
import type { WorkRequest, WorkResponse } from "./worker";

const BATCH = 16;

export async function analyseInWorkers(
  queries: string[],
  schemas: EngineSchemas,
  workers: number,
  onProgress?: (done: number) => void,
): Promise<QueryFacts[]> {
  const results: QueryFacts[] = new Array(queries.length);
  const batches: { id: number; from: number; queries: string[] }[] = [];
  for (let i = 0; i < queries.length; i += BATCH) {
    batches.push({ id: batches.length, from: i, queries: queries.slice(i, i + BATCH) });
  }
  let next = 0;
  let done = 0;
  const entry = path.join(__dirname, "worker-entry.js");
  const count = Math.max(1, Math.min(workers, batches.length));

  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(entry, { workerData: { schemas } });
      let settled = false;
      const finish = (err?: Error) => {
        if (settled) return;
        settled = true;
        void worker.terminate();
        if (err) reject(err);
        else resolve();
      };
      const send = () => {
        const batch = batches[next++];
        if (!batch) return finish();
        worker.postMessage({ id: batch.id, queries: batch.queries } satisfies WorkRequest);
      };
      worker.on("message", (res: WorkResponse) => {
        const batch = batches[res.id];
        res.facts.forEach((f, k) => (results[batch.from + k] = f));
        done += res.facts.length;
        onProgress?.(done);
        send();
      });
      worker.on("error", (err) => finish(err));
      worker.on("exit", (code) => {
        if (!settled) finish(new Error(`a KQL analysis worker stopped early (exit code ${code})`));
      });
      send();
    });

  await Promise.all(Array.from({ length: count }, runWorker));
  return results;
}
