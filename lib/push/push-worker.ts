import { CoalescingRunner } from "../coalescing-runner";
import type { Logger } from "../logger";
import type { PushQueueRepository } from "../store/push-queue-repository";
import type { PushPlanner } from "./push-planner";
import type { PushSender } from "./push-sender";

export interface PushWorkerOptions {
  planner: PushPlanner;
  sender: PushSender;
  queue: PushQueueRepository;
  pollIntervalMs: number;
  retentionMs: number;
  logger: Logger;
}

/** Sent notifications are pruned about once per this many polls. */
const PRUNE_EVERY = 600;
/** Wakes closer together than this are one run (a burst of sends). */
const WAKE_GATHER_MS = 50;

/**
 * Runs the planner and the sender on this node: every poll interval (messages of other
 * nodes, grace periods ending, retries coming due) and soon after this node numbers new
 * events or queues notifications. One run at a time; a wake during a run runs again after.
 */
export class PushWorker {
  private timer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private stopped = true;
  private polls = 0;
  private readonly runner = new CoalescingRunner(
    (poll) => this.runOnce(poll),
    (error) =>
      this.options.logger.warn("push run failed; retrying on the next poll", {
        error: error.message,
      }),
    () => this.stopped,
  );

  constructor(private readonly options: PushWorkerOptions) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.tick(true), this.options.pollIntervalMs);
    this.timer.unref();
    this.tick(true);
  }

  wake(): void {
    if (this.stopped || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.tick();
    }, WAKE_GATHER_MS);
    this.wakeTimer.unref();
  }

  /** Stops polling and lets the run in flight finish (each request bounded by push.timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.wakeTimer);
    await this.runner.settled();
  }

  private tick(poll = false): void {
    if (this.stopped) return;
    if (poll && ++this.polls % PRUNE_EVERY === 0) void this.prune();
    this.runner.trigger(poll);
  }

  private async runOnce(poll: boolean): Promise<void> {
    await this.options.planner.run(poll);
    // Rounds while the queue yields full batches (a backlog after an outage).
    while (!this.stopped && (await this.options.sender.run()) > 0);
  }

  private async prune(): Promise<void> {
    await this.options.queue.pruneSent(this.options.retentionMs).catch((error: Error) => {
      this.options.logger.warn("pruning sent pushes failed", { error: error.message });
    });
  }
}
