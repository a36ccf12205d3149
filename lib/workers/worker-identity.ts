import cluster from "node:cluster";

/** Env variable naming a worker's slot (1..N): stable across restarts, unlike cluster ids. */
export const SLOT_ENV = "MESSAGING_WORKER_SLOT";

/** `{worker: {id, pid}}` in a worker (GET /healthz tells which one answered), else `{}`. */
export function workerIdentity(): { worker?: { id: number; pid: number } } {
  if (!cluster.isWorker) return {};
  return { worker: { id: Number(process.env[SLOT_ENV] ?? cluster.worker?.id), pid: process.pid } };
}
