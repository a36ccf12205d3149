import type { Logger } from "../logger";
import type { EventLog } from "./event-log";

/**
 * Retention of the event log: periodically deletes published events older than the
 * retention and advances `pruned_through` (older sync cursors then get 410). Runs on every
 * node; concurrent runs are harmless (see PostgresEventLog.prune).
 */
export class EventLogPruner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private floor: (() => Promise<number | undefined>) | undefined;
  private pruned: ((deleted: number) => void) | undefined;

  constructor(
    private readonly log: Pick<EventLog, "prune">,
    private readonly retentionMs: number,
    private readonly logger: Logger,
    private readonly intervalMs = Math.min(60_000, Math.max(1_000, retentionMs / 10)),
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.prune().catch(() => undefined), this.intervalMs);
    this.timer.unref();
  }

  /** Keeps every event after the position `floor` gives (the slowest webhook's cursor). */
  keepAfter(floor: () => Promise<number | undefined>): void {
    this.floor = floor;
  }

  /** Told how many events each run deleted (the retention metric). */
  onPruned(listener: (deleted: number) => void): void {
    this.pruned = listener;
  }

  /** Prunes now. @returns how many events were deleted */
  async prune(): Promise<number> {
    this.running ??= (this.floor?.() ?? Promise.resolve(undefined))
      .then((keepAfter) => this.log.prune(new Date(Date.now() - this.retentionMs), keepAfter))
      .then((deleted) => {
        if (deleted > 0) this.logger.info("pruned the event log", { deleted });
        this.pruned?.(deleted);
        return deleted;
      })
      .catch((error: Error) => {
        this.logger.warn("pruning the event log failed", { error: error.message });
        throw error;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
