import { setupWorker } from "@socket.io/sticky";
import type { Config } from "../../config/load-config";
import { App, createApp } from "../app";
import type { Logger } from "../logger";
import { renderClusterMetrics } from "./cluster-metrics";

/** The message a worker sends its primary once it serves (see primary.ts). */
export const READY_MESSAGE = "messaging:worker-ready";

/**
 * A worker's own listener: the primary owns the public port and hands each connection
 * over, so the worker listens only on a private loopback port (its drain and shutdown work
 * as on a single node).
 */
export const WORKER_LISTEN = { server: { http_port: 0, host: "127.0.0.1" } };

/**
 * Keeps the connections the primary hands over before Socket.IO exists (a restarted
 * worker is routed to as soon as it is forked); the returned function attaches the sticky
 * session handling to `app` and replays them.
 */
export function holdConnections(): (app: App, logger: Logger) => void {
  const held: [unknown, unknown][] = [];
  const hold = (message: unknown, handle: unknown) => held.push([message, handle]);
  process.on("message", hold);
  return (app, logger) => {
    const io = app.realtime.io;
    if (!io) throw new Error("Socket.IO is not attached");
    setupWorker(io);
    process.off("message", hold);
    for (const [message, handle] of held) process.emit("message", message, handle as never);
    process.send?.({ type: READY_MESSAGE, nodeId: app.realtime.nodeId });
    logger.info("worker serving", { pid: process.pid, node_id: app.realtime.nodeId });
  };
}

/**
 * Starts a worker's node: connections the primary hands over are held until it serves.
 * @throws when the node cannot start (the primary restarts the worker with back-off).
 */
export async function startWorkerNode(config: Config, logger: Logger): Promise<App> {
  const serve = holdConnections();
  const app = await createApp(config, { logger });
  await app.start();
  renderClusterMetrics(app.services.metrics);
  serve(app, logger);
  return app;
}
