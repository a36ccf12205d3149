import { Counter, Registry } from "prom-client";
import type { FileStorage } from "../../files/file-storage";
import type { Logger } from "../../logger";
import type { EventRedactionRepository } from "../../store/event-redaction-repository";
import type { AccountJobRepository } from "../../store/account-job-repository";
import type { PurgeCandidate, RetentionRepository } from "../../store/retention-repository";
import { patchEach } from "../messages/redact-many";
import { tombstonePatch } from "../messages/tombstone";
import { Db, transaction, Tx } from "../../store/handles";

export interface RetentionSettings {
  /** `retention.messages` in ms; 0 keeps messages (conversations may still set a period). */
  messagesMs: number;
  intervalMs: number;
  batchSize: number;
  batchPauseMs: number;
}

export type PurgedKind = "messages" | "files" | "events" | "exports";
type Totals = Record<PurgedKind, number>;

const DAY_MS = 86_400_000;
const BEFORE_ALL = "00000000-0000-0000-0000-000000000000";

/**
 * Retention: on a schedule, messages older than the global period (or their conversation's
 * own, shorter one) are deleted, with their reactions, edits and receipts, the files only
 * they attached (rows and bytes), and their text in the stored events (which become
 * tombstones); a message that still has replies stays as a tombstone until its last reply
 * goes. It works in batches of `batch_size`, each one short transaction that skips rows a
 * live request holds, with `batch_pause` between them, so live traffic keeps the database.
 * Expired export archives go too. `messaging_retention_purged_total{kind}` counts it all;
 * the event log's own retention (events.retention) reports there as `events`.
 */
export class RetentionPurger {
  private readonly purged: Counter<"kind">;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Totals> | undefined;
  private stopped = false;

  constructor(
    private readonly deps: {
      db: Db;
      retention: RetentionRepository;
      redactions: EventRedactionRepository;
      jobs: AccountJobRepository;
      storage: FileStorage;
      settings: RetentionSettings;
      registry: Registry;
      logger: Logger;
    },
  ) {
    this.purged = new Counter({
      name: "messaging_retention_purged_total",
      help: "What retention purged: messages, files, events (the event log) and expired exports",
      labelNames: ["kind"],
      registers: [deps.registry],
    });
    for (const kind of ["messages", "files", "events", "exports"]) this.purged.inc({ kind }, 0);
  }

  start(): void {
    const { intervalMs } = this.deps.settings;
    this.timer = setInterval(() => void this.run().catch(() => undefined), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Counts what the event log's pruner deleted. */
  countEvents(deleted: number): void {
    if (deleted > 0) this.purged.inc({ kind: "events" }, deleted);
  }

  /** One full pass now (the schedule, and tests). @returns what it purged */
  run(): Promise<Totals> {
    this.running ??= this.pass()
      .catch((error: Error) => {
        this.deps.logger.warn("retention failed; retrying at the next run", {
          error: error.message,
        });
        throw error;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<Totals> {
    const totals: Totals = { messages: 0, files: 0, events: 0, exports: 0 };
    const { retention, settings } = this.deps;
    const { messagesMs, batchSize } = settings;
    const now = Date.now();
    if (messagesMs > 0) {
      const cutoff = new Date(now - messagesMs);
      let after = BEFORE_ALL;
      const find = (trx: Tx) => retention.oldMessages(cutoff, after, batchSize, trx);
      while (!this.stopped && !(await this.batch(totals, find, (last) => (after = last.id)))) {
        // next batch
      }
      await this.purgeUploads(totals, cutoff);
    }
    for (const { id, retention_days: days } of await retention.conversationPeriods()) {
      const cutoff = new Date(now - Math.min(days * DAY_MS, messagesMs || Infinity));
      let afterSeq = 0;
      const find = (trx: Tx) => retention.oldMessagesOf(id, cutoff, afterSeq, batchSize, trx);
      while (
        !this.stopped &&
        !(await this.batch(totals, find, (last) => (afterSeq = Number(last.seq))))
      ) {
        // next batch
      }
    }
    await this.purgeExpiredExports(totals);
    if (totals.messages + totals.files + totals.exports > 0) {
      this.deps.logger.info("retention purged", totals);
    }
    return totals;
  }

  /** One batch in one transaction, then the pause. @returns true when there was nothing more */
  private async batch(
    totals: Totals,
    find: (trx: Tx) => Promise<PurgeCandidate[]>,
    advance: (last: PurgeCandidate) => void,
  ): Promise<boolean> {
    const { retention, redactions, db, settings } = this.deps;
    const { candidates, files } = await transaction(db, async (trx) => {
      const found = await find(trx);
      const ids = found.map((c) => c.id);
      const fileIds = await retention.attachedFiles(ids, trx);
      await patchEach(redactions, trx, found, tombstonePatch(new Date().toISOString()));
      const parents = found.filter((c) => c.has_replies && !c.deleted).map((c) => c.id);
      await retention.tombstone(parents, trx);
      await retention.delete(
        found.filter((c) => !c.has_replies).map((c) => c.id),
        trx,
      );
      return { candidates: found, files: await retention.deleteUnattachedFiles(fileIds, trx) };
    });
    await this.removeBytes(files.map((file) => file.storage_key));
    this.count(totals, "messages", candidates.filter((c) => !c.has_replies).length);
    this.count(totals, "files", files.length);
    if (candidates.length === 0) return true;
    advance(candidates.at(-1)!);
    await new Promise((resolve) => setTimeout(resolve, settings.batchPauseMs));
    return candidates.length < settings.batchSize;
  }

  /** Uploads older than the period that no message attaches (never sent, or purged). */
  private async purgeUploads(totals: Totals, cutoff: Date): Promise<void> {
    const { retention, db, settings } = this.deps;
    for (;;) {
      const limit = settings.batchSize;
      const files = await retention.deleteUnattachedFiles({ cutoff, limit }, db);
      await this.removeBytes(files.map((file) => file.storage_key));
      this.count(totals, "files", files.length);
      if (files.length < limit || this.stopped) return;
    }
  }

  private async purgeExpiredExports(totals: Totals): Promise<void> {
    const expired = await this.deps.jobs.expiredExports(this.deps.settings.batchSize);
    const keys = expired.map((job) => job.result?.storage_key);
    await this.removeBytes(keys.filter((key): key is string => typeof key === "string"));
    await this.deps.jobs.delete(expired.map((job) => job.id));
    this.count(totals, "exports", expired.length);
  }

  private async removeBytes(keys: string[]): Promise<void> {
    for (const key of keys) {
      await this.deps.storage.delete(key).catch((error: unknown) => {
        this.deps.logger.warn("could not remove purged bytes", { key, error: String(error) });
      });
    }
  }

  private count(totals: Totals, kind: PurgedKind, n: number): void {
    totals[kind] += n;
    if (n > 0) this.purged.inc({ kind }, n);
  }
}
