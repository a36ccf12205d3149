import type { Logger } from "./logger";

/** One step of a drain; it should finish well within the deadline (ms left) it is given. */
export type DrainStep = (deadlineMs: number) => Promise<void> | void;

/** The phases of a graceful shutdown, run in this order (see Shutdown). */
export type DrainPhase = "realtime" | "flush" | "disconnect";
export const DRAIN_PHASES: readonly DrainPhase[] = ["realtime", "flush", "disconnect"];

/** Something the composition root opened: how it starts (if it has work) and how it closes. */
export interface Resource {
  name: string;
  /** When it closes: sockets first, then background work is flushed, then connections. */
  phase: DrainPhase;
  /** Background work begun by `App.start()`, in registration order. */
  start?: () => Promise<void> | void;
  close?: DrainStep;
}

/**
 * The node's resources in the order they were opened. One list gives both orders: `startAll`
 * starts them in order, and closing (a shutdown, a failed start, a failed wiring) runs every
 * closer phase by phase, in registration order within a phase. So a resource is registered
 * right after it is opened, and whatever opened before a failure is closed by the same code
 * that closes it on SIGTERM.
 */
export class ResourceList {
  private readonly resources: Resource[] = [];

  constructor(private readonly logger: Logger) {}

  /** Registers what was just opened (or created, for work that starts later). */
  add(resource: Resource): void {
    this.resources.push(resource);
  }

  /** Background work that follows the log: started by `App.start()`, stopped in the flush phase. */
  addWorker(
    name: string,
    worker: { start(): Promise<void> | void; stop(): Promise<void> | void } | undefined,
  ): void {
    if (worker)
      this.add({ name, phase: "flush", start: () => worker.start(), close: () => worker.stop() });
  }

  /** Starts every resource that has work, in order; stops at the first failure (rejects). */
  async startAll(): Promise<void> {
    for (const { start } of this.resources) await start?.();
  }

  /** Runs one phase's closers; a failing closer is logged and the rest still run. */
  async closePhase(phase: DrainPhase, deadline: number): Promise<void> {
    for (const resource of this.resources) {
      if (resource.phase !== phase || !resource.close) continue;
      try {
        await resource.close(Math.max(0, deadline - Date.now()));
      } catch (error) {
        this.logger.error(`shutdown: ${resource.name} failed`, {
          error: (error as Error).message,
        });
      }
    }
  }

  /** Every phase in order: the rollback of a wiring that failed half way. */
  async closeAll(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const phase of DRAIN_PHASES) await this.closePhase(phase, deadline);
  }
}
