import type { Logger } from "../../logger";
import { newId } from "../../ids";
import type {
  AccountJobKind,
  AccountJobRepository,
  AccountJobRow,
  JobUpdate,
} from "../../store/account-job-repository";

/** One job kind's work: each call does one bounded step and says what is left. */
export interface JobHandler {
  step(job: AccountJobRow): Promise<JobUpdate>;
}

export interface JobRunnerOptions {
  repository: AccountJobRepository;
  handlers: Record<AccountJobKind, JobHandler>;
  pollIntervalMs: number;
  /** How long a node holds a job between two steps; a crashed node's job is taken over after it. */
  leaseMs?: number;
  logger: Logger;
}

const MAX_ATTEMPTS = 10;

/**
 * Runs account jobs (erasures, exports) on every node: one job at a time per node, leased
 * in the database, step by step (each step one short transaction, its progress stored), so a
 * job survives a crash and never holds the database for long. A failed step is retried with
 * backoff; after MAX_ATTEMPTS the job is marked failed (and logged).
 */
export class AccountJobRunner {
  private readonly owner = newId();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly options: JobRunnerOptions) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.options.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /** A job was created on this node: start at once. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: Error) => {
        this.options.logger.warn("account jobs failed", { error: error.message });
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private get leaseMs(): number {
    return this.options.leaseMs ?? 30_000;
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const job = await this.options.repository.claim(this.owner, this.leaseMs);
      if (!job) return;
      await this.run(job);
    }
  }

  private async run(job: AccountJobRow): Promise<void> {
    const { repository, handlers, logger } = this.options;
    let current = job;
    while (!this.stopped) {
      let change: JobUpdate;
      try {
        change = await handlers[current.kind].step(current);
      } catch (error) {
        const attempts = current.attempts + 1;
        const failed = attempts >= MAX_ATTEMPTS;
        logger.warn("account job step failed", {
          job_id: current.id,
          kind: current.kind,
          attempts,
          error: (error as Error).message,
        });
        change = failed
          ? { status: "failed", error: (error as Error).message, attempts }
          : {
              attempts,
              error: (error as Error).message,
              delayMs: Math.min(60_000, 500 * 2 ** attempts),
            };
      }
      if (!(await repository.update(current.id, this.owner, change, this.leaseMs))) return;
      if (change.status === "done" || change.status === "failed" || change.delayMs !== undefined) {
        return;
      }
      current = {
        ...current,
        progress: change.progress ?? current.progress,
        attempts: change.attempts ?? current.attempts,
      };
    }
  }
}
