import type { HealthRegistry } from "./health";
import type { HttpServer } from "./http-server";
import type { Logger } from "./logger";
import type { ResourceList } from "./resources";

/** The readiness drain's length: `drainDelayMs`, at most half of the whole shutdown. */
export function readinessDrainMs(timing: ShutdownTiming): number {
  return Math.min(timing.drainDelayMs, Math.floor(timing.timeoutMs / 2));
}

/** How long a shutdown may take, and how much of it is the readiness drain. */
export interface ShutdownTiming {
  /** `server.shutdown_timeout`: the whole drain, in ms. */
  timeoutMs: number;
  /** `server.shutdown_drain_delay`: ms of step 1 (at most half of `timeoutMs`). */
  drainDelayMs: number;
}

/**
 * The ordered graceful shutdown of a node, bounded by `server.shutdown_timeout`:
 * 1. readiness drain: `/readyz` answers 503 at once and, for `server.shutdown_drain_delay`,
 *    the listener stays open so a load balancer polling it sees the 503 and moves traffic
 *    away while REST requests are still served (new realtime connections are refused by
 *    the handshake rule, which reads `HealthRegistry.isDraining`);
 * 2. the server stops accepting connections;
 * 3. "realtime": connected clients are closed with a reconnect hint (1001 / Socket.IO
 *    disconnect), so they reconnect to another node and resume from their cursor;
 * 4. in-flight requests finish (idle keep-alive connections are closed at once; what is
 *    still open at 60 % of the time left is cut);
 * 5. "flush": committed events are numbered and handed on (outbox);
 * 6. "disconnect": NATS, Redis and the database are closed, in the order registered.
 * Steps 3, 5 and 6 are the closers of the node's ResourceList (the same list that rolls back
 * a failed start). A failing step is logged and the drain goes on: the process must still exit.
 */
export class Shutdown {
  private drainSkipped = false;
  private endDrain: (() => void) | undefined;

  constructor(
    private readonly server: HttpServer,
    private readonly health: HealthRegistry,
    private readonly logger: Logger,
    private readonly timing: ShutdownTiming,
    private readonly resources: ResourceList,
  ) {}

  /** Ends the readiness drain now (a second SIGTERM); before `run()`, it is skipped. */
  skipDrain(): void {
    this.drainSkipped = true;
    this.endDrain?.();
  }

  async run(): Promise<void> {
    const deadline = Date.now() + this.timing.timeoutMs;
    this.health.startDraining();
    await this.readinessDrain();
    const closed = this.closeServer(Math.floor(Math.max(0, deadline - Date.now()) * 0.6));
    this.logger.info("shutdown: listener closed, no new connections");
    await this.resources.closePhase("realtime", deadline);
    await closed;
    await this.resources.closePhase("flush", deadline);
    await this.resources.closePhase("disconnect", deadline);
  }

  /** Step 1: readiness already fails; the listener stays open for the drain delay. */
  private readinessDrain(): Promise<void> {
    const delay = readinessDrainMs(this.timing);
    if (this.drainSkipped || delay <= 0 || !this.server.listening) return Promise.resolve();
    this.logger.info("shutdown: readiness drain, /readyz answers 503", { delay_ms: delay });
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.endDrain = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Stops accepting; resolves once every in-flight request has been answered (or cut). */
  private closeServer(graceMs: number): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const cut = setTimeout(() => {
        this.logger.warn("shutdown: cutting requests still in flight");
        this.server.closeAllConnections();
      }, graceMs);
      // Keep-alive connections that finish their request later are closed then, not held.
      const sweep = setInterval(() => this.server.closeIdleConnections(), 50);
      this.server.close(() => {
        clearTimeout(cut);
        clearInterval(sweep);
        resolve();
      });
      this.server.closeIdleConnections();
    });
  }
}
