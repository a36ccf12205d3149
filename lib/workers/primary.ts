import cluster, { Worker } from "node:cluster";
import net from "node:net";
import type http from "node:http";
import { setupMaster } from "@socket.io/sticky";
import type { Config } from "../../config/load-config";
import type { Logger } from "../logger";
import { openDatabase } from "../store/database";
import { serveClusterMetrics } from "./cluster-metrics";
import { RestartBackoff } from "./restart-backoff";
import { READY_MESSAGE, SLOT_ENV } from "./worker";

/** The running primary: where it listens, and its shutdown. */
export interface Primary {
  url: string;
  /**
   * Forwards `signal` to every worker and resolves with the exit code once all exited: 0
   * when each drained cleanly. The public port closes with the workers' listeners (after
   * the readiness drain on SIGTERM, at once on SIGINT); called again, it ends the drain.
   */
  stop(signal?: "SIGTERM" | "SIGINT"): Promise<number>;
}

interface Slot {
  id: number;
  worker?: Worker;
  startedAt: number;
  backoff: RestartBackoff;
  restart?: NodeJS.Timeout;
}

/**
 * `server.workers` > 1: this process runs the migrations once, forks the workers (each a
 * full node: its own database pool, Redis clients and node id on the cluster bus), then owns
 * the public port. @socket.io/sticky hands each connection to a worker: Socket.IO polling
 * requests by their session id to the worker holding the session, every other connection
 * (REST, /ws, a new Socket.IO session) round-robin. A worker that exits is restarted with
 * back-off; one that fails before the first start completes stops the start.
 */
export async function startPrimary(config: Config, logger: Logger): Promise<Primary> {
  // Before any worker opens the pool: knex's lock does not cover creating its own tables,
  // which several processes racing on an empty database could trip over.
  await (await openDatabase(config, logger)).close();
  cluster.setupPrimary({ serialization: "advanced" }); // Buffers stay Buffers over IPC
  serveClusterMetrics();
  const slots: Slot[] = Array.from({ length: config.server.workers }, (_, index) => ({
    id: index + 1,
    startedAt: 0,
    backoff: new RestartBackoff(),
  }));
  let stopping: { signal: NodeJS.Signals; exits: number[] } | undefined;
  const handOvers = new RecentHandOvers();
  const fork = (slot: Slot) => {
    slot.startedAt = Date.now();
    slot.worker = cluster.fork({ [SLOT_ENV]: String(slot.id) });
    return slot.worker;
  };
  await Promise.all(slots.map((slot) => ready(fork(slot), slot.id, logger))).catch((error) => {
    // The others stop too (a worker drains and exits when its primary is gone).
    forward(slots, "SIGTERM");
    throw error;
  });

  const allExited = new Promise<void>((resolve) => {
    cluster.on("exit", (worker, code, signal) => {
      const slot = slots.find((candidate) => candidate.worker === worker);
      if (!slot) return;
      slot.worker = undefined;
      const how = { worker: slot.id, pid: worker.process.pid, code, signal };
      if (stopping) {
        stopping.exits.push(code ?? 1);
        logger.info(`worker ${slot.id} exited`, how);
        if (slots.every((candidate) => !candidate.worker)) resolve();
        return;
      }
      handOvers.closeAll();
      const delay = slot.backoff.next(Date.now() - slot.startedAt);
      logger.error(`worker ${slot.id} exited; restarting in ${delay} ms`, how);
      slot.restart = setTimeout(() => {
        slot.restart = undefined;
        ready(fork(slot), slot.id, logger).catch((error: Error) =>
          logger.error(`worker ${slot.id} did not start`, { error: error.message }),
        );
      }, delay);
    });
  });

  const listener = net.createServer();
  // A net.Server is enough: the primary only reads the first request's head to route it.
  setupMaster(listener as unknown as http.Server, { loadBalancingMethod: "round-robin" });
  // After sticky's own listener, which drops every other "data" listener of a connection.
  guardIdleConnections(listener, config.server.headers_timeout, handOvers);
  const url = await listen(listener, config);
  logger.info(`primary listening with ${slots.length} workers`, { pid: process.pid });

  const closeListener = () => listener.listening && listener.close();
  return {
    url,
    async stop(signal = "SIGTERM") {
      if (stopping) {
        closeListener();
        forward(slots, signal);
        return allExited.then(() => exitCode(stopping!.exits));
      }
      stopping = { signal, exits: [] };
      for (const slot of slots) clearTimeout(slot.restart);
      forward(slots, signal);
      // The workers stop accepting after the readiness drain; so does the public port.
      const drain = signal === "SIGINT" ? 0 : drainDelay(config);
      const closer = setTimeout(closeListener, drain);
      if (slots.every((slot) => !slot.worker)) return 0;
      await allExited;
      clearTimeout(closer);
      closeListener();
      return exitCode(stopping.exits);
    },
  };
}

function forward(slots: Slot[], signal: NodeJS.Signals): void {
  for (const slot of slots) slot.worker?.process.kill(signal);
}

function exitCode(exits: number[]): number {
  return exits.every((code) => code === 0) ? 0 : 1;
}

function drainDelay(config: Config): number {
  const { shutdown_drain_delay: delay, shutdown_timeout: timeout } = config.server;
  return Math.min(delay, Math.floor(timeout / 2));
}

/** Resolves once the worker serves; rejects when it exits first. */
function ready(worker: Worker, slot: number, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`worker ${slot} exited with ${code} before it served`));
    const onMessage = (message: { type?: string; nodeId?: string }) => {
      if (message?.type !== READY_MESSAGE) return;
      worker.off("exit", onExit);
      worker.off("message", onMessage);
      logger.info(`worker ${slot} ready`, { pid: worker.process.pid, node_id: message.nodeId });
      resolve();
    };
    worker.once("exit", onExit);
    worker.on("message", onMessage);
  });
}

/**
 * A connection that sends nothing is held by the primary until a worker gets it: it is
 * closed after `server.headers_timeout` like a worker would close it (slowloris).
 */
function guardIdleConnections(listener: net.Server, timeoutMs: number, handOvers: RecentHandOvers) {
  listener.on("connection", (socket: net.Socket) => {
    const handle = (socket as unknown as { _handle?: Closable })._handle;
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.once("data", () => {
      socket.setTimeout(0);
      // Sent to a worker (Node detached it), not relayed by the primary.
      if (handle && !(socket as unknown as { _handle?: Closable })._handle) handOvers.add(handle);
    });
    socket.on("error", () => socket.destroy());
  });
}

interface Closable {
  close(): void;
}

/**
 * Node keeps the primary's copy of a connection handed to a worker until the worker
 * acknowledges it; one sent in the instant a worker is killed is never acknowledged and its
 * client would hang. When a worker dies, the copies handed out just before are closed: a
 * live worker holds its own descriptor (its connection goes on), a dead one's client sees
 * the connection close and can retry.
 */
class RecentHandOvers {
  private recent: { handle: Closable; at: number }[] = [];

  add(handle: Closable): void {
    const now = Date.now();
    this.recent = this.recent.filter((entry) => now - entry.at < 2000);
    this.recent.push({ handle, at: now });
  }

  closeAll(): void {
    for (const { handle } of this.recent.splice(0)) handle.close();
  }
}

function listen(listener: net.Server, config: Config): Promise<string> {
  return new Promise((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(config.server.http_port, config.server.host, () => {
      listener.off("error", reject);
      const { port } = listener.address() as net.AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}
