import cluster, { Worker } from "node:cluster";
import net from "node:net";
import type http from "node:http";
import { setupMaster } from "@socket.io/sticky";
import type { Config } from "../../config/load-config";
import type { Logger } from "../logger";
import { readinessDrainMs } from "../shutdown";
import { openDatabase } from "../store/database";
import { serveClusterMetrics } from "./cluster-metrics";
import { RestartBackoff } from "./restart-backoff";
import { READY_MESSAGE } from "./worker";
import { SLOT_ENV } from "./worker-identity";

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

/**
 * `server.workers` > 1: this process runs the migrations once, forks the workers (each a
 * full node: its own database pool, Redis clients and node id on the cluster bus), then owns
 * the public port. @socket.io/sticky hands each connection to a worker: Socket.IO polling
 * requests by their session id to the worker holding the session, every other connection
 * (REST, /ws, a new Socket.IO session) round-robin.
 */
export async function startPrimary(config: Config, logger: Logger): Promise<Primary> {
  // Before any worker opens the pool: knex's lock does not cover creating its own tables,
  // which several processes racing on an empty database could trip over.
  await (await openDatabase(config, logger)).close();
  cluster.setupPrimary({ serialization: "advanced" }); // Buffers stay Buffers over IPC
  serveClusterMetrics();
  const handOvers = new RecentHandOvers();
  const pool = new WorkerPool(config.server.workers, logger, () => handOvers.closeAll());
  await pool.start();

  const listener = net.createServer();
  // A net.Server is enough: the primary only reads the first request's head to route it.
  setupMaster(listener as unknown as http.Server, { loadBalancingMethod: "round-robin" });
  // After sticky's own listener, which drops every other "data" listener of a connection.
  guardIdleConnections(listener, config.server.headers_timeout, handOvers);
  const url = await listen(listener, config);
  logger.info(`primary listening with ${config.server.workers} workers`, { pid: process.pid });

  const closeListener = () => listener.listening && listener.close();
  return {
    url,
    async stop(signal = "SIGTERM") {
      // The workers stop accepting after the readiness drain; so does the public port.
      const closer = setTimeout(closeListener, pool.stopping ? 0 : drainDelay(config, signal));
      // A worker exits by its own deadline; one that cannot (stuck) is killed after it.
      const killer = setTimeout(() => pool.kill(), config.server.shutdown_timeout + 4000);
      const code = await pool.stop(signal);
      clearTimeout(closer);
      clearTimeout(killer);
      closeListener();
      return code;
    },
  };
}

interface Slot {
  id: number;
  worker?: Worker;
  startedAt: number;
  backoff: RestartBackoff;
  restart?: NodeJS.Timeout;
}

/**
 * The workers, one per slot (1..N, the id logs show, stable across restarts). A worker that
 * exits is restarted with back-off; one that fails before the first start completes stops
 * the start.
 */
class WorkerPool {
  private readonly slots: Slot[];
  private exits: number[] | undefined;
  private readonly allExited: Promise<void>;

  constructor(
    count: number,
    private readonly logger: Logger,
    /** Called when a worker died unasked. */
    private readonly onCrash: () => void,
  ) {
    this.slots = Array.from({ length: count }, (_, index) => ({
      id: index + 1,
      startedAt: 0,
      backoff: new RestartBackoff(),
    }));
    this.allExited = new Promise((resolve) => {
      cluster.on("exit", (worker, code, signal) => {
        if (this.exited(worker, code, signal)) resolve();
      });
    });
  }

  get stopping(): boolean {
    return this.exits !== undefined;
  }

  /** Resolves once every worker serves. */
  async start(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.fork(slot))).catch((error) => {
      // The others stop too (a worker drains and exits when its primary is gone).
      this.exits = [];
      this.signal("SIGTERM");
      throw error;
    });
  }

  /** Passes `signal` on; resolves with 0 once every worker exited cleanly, else 1. */
  async stop(signal: NodeJS.Signals): Promise<number> {
    this.exits ??= [];
    for (const slot of this.slots) clearTimeout(slot.restart);
    this.signal(signal);
    if (this.slots.some((slot) => slot.worker)) await this.allExited;
    return this.exits.every((code) => code === 0) ? 0 : 1;
  }

  kill(): void {
    this.signal("SIGKILL");
  }

  private signal(signal: NodeJS.Signals): void {
    for (const slot of this.slots) slot.worker?.process.kill(signal);
  }

  private fork(slot: Slot): Promise<void> {
    slot.startedAt = Date.now();
    slot.worker = cluster.fork({ [SLOT_ENV]: String(slot.id) });
    return ready(slot.worker, slot.id, this.logger);
  }

  /** Handles a worker's exit; true when it was the last one during a stop. */
  private exited(worker: Worker, code: number | null, signal: string | null): boolean {
    const slot = this.slots.find((candidate) => candidate.worker === worker);
    if (!slot) return false;
    slot.worker = undefined;
    const how = { worker: slot.id, pid: worker.process.pid, code, signal };
    if (this.exits) {
      this.exits.push(code ?? 1);
      this.logger.info(`worker ${slot.id} exited`, how);
      return this.slots.every((candidate) => !candidate.worker);
    }
    this.onCrash();
    const delay = slot.backoff.next(Date.now() - slot.startedAt);
    this.logger.error(`worker ${slot.id} exited; restarting in ${delay} ms`, how);
    slot.restart = setTimeout(() => {
      this.fork(slot).catch((error: Error) =>
        this.logger.error(`worker ${slot.id} did not start`, { error: error.message }),
      );
    }, delay);
    return false;
  }
}

function drainDelay(config: Config, signal: NodeJS.Signals): number {
  if (signal === "SIGINT") return 0;
  const { shutdown_drain_delay: drainDelayMs, shutdown_timeout: timeoutMs } = config.server;
  return readinessDrainMs({ drainDelayMs, timeoutMs });
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
