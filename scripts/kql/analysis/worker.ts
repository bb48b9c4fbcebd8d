// A worker thread: receives batches of queries, answers with their facts. The schemas come
// once, in workerData, so each worker builds its global state once.

import { parentPort, workerData } from "node:worker_threads";
import { analyseWith, EngineSchemas } from "./engine";
import type { QueryFacts } from "./facts";

export interface WorkRequest {
  id: number;
  queries: string[];
}

export interface WorkResponse {
  id: number;
  facts: QueryFacts[];
}

const schemas = (workerData as { schemas: EngineSchemas }).schemas;

parentPort?.on("message", (req: WorkRequest) => {
  const facts = req.queries.map((q) => analyseWith(schemas, q));
  parentPort?.postMessage({ id: req.id, facts } satisfies WorkResponse);
});
