import Joi from "joi";
import type { PresenceService as PresenceServiceContract } from "../domain/contracts";
import type { Presence, PresenceStatus } from "../domain/types";
import type { Logger } from "../logger";
import { decodeCursor, encodeCursor, Page, pageQuery, uuid, validate } from "../validation";
import type {
  ConnectionRef,
  PresenceChange,
  PresenceRecord,
  PresenceStore,
} from "./presence-store";

const statusSchema = Joi.object({
  status: Joi.string().valid("online", "away", "busy", "offline").required(),
});
const listSchema = Joi.object(pageQuery);
const userIdSchema = uuid().required();

/** Entries a sweep removes per store call, and users a review claims per round. */
const SWEEP_BATCH = 1000;
const REVIEW_BATCH = 500;
/** Users announced between two yields to the event loop. */
const ANNOUNCE_SLICE = 25;
/** Pages of stale ids one `GET /users/online` skips at most before answering. */
const LIST_ROUNDS = 4;
/** Ids of the online set checked per refresh for users whose status went stale. */
const AUDIT_BATCH = 500;

/** `{type: "presence.changed", user_id, status}` as every transport sends it. */
export interface PresenceChangedFrame {
  type: "presence.changed";
  user_id: string;
  status: PresenceStatus;
  [key: string]: unknown;
}

export interface PresenceServiceOptions {
  store: PresenceStore;
  /** `presence.ttl`: a dead node's users are announced offline within this. */
  ttlMs: number;
  /** `presence.offline_grace`: how long a closed connection still counts (no flapping). */
  graceMs: number;
  /** Who hears each user's presence: the users sharing a conversation with them (one query). */
  contactsOf(userIds: string[]): Promise<Map<string, string[]>>;
  /** Throws not_found for an unknown user (GET /users/:id/presence). */
  assertUserExists(userId: string): Promise<void>;
  /** Delivers presence.changed to these users on every node. */
  announce(userIds: string[], frame: PresenceChangedFrame): void;
  logger: Logger;
}

/**
 * Presence: one store entry per open connection, refreshed by this node every ttl/3 and
 * when a heartbeat arrives; a closed connection keeps counting for the grace period (a
 * quick reconnect shows no offline). A sweeper on every node removes lapsed entries,
 * including those of a dead node, and announces the changes it claims from the store's
 * review queue, in batches (one contacts query per batch); what a node claimed and did not
 * finish is claimed again by any node once its lease ends (see PresenceStore).
 */
export class PresenceService implements PresenceServiceContract {
  private readonly local = new Map<string, ConnectionRef>();
  /** Closes the store could not record (it was away): recorded again once it is back. */
  private readonly unrecordedCloses = new Map<string, ConnectionRef>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly sweepMs: number;
  private readonly leaseMs: number;
  private running = false;
  private sweeping: Promise<void> | undefined;
  private sweepAgain = false;
  private closeTimer: NodeJS.Timeout | undefined;
  private auditAfter: string | null = null;

  constructor(private readonly options: PresenceServiceOptions) {
    this.sweepMs = Math.max(50, Math.floor(Math.min(options.graceMs, options.ttlMs) / 4));
    this.leaseMs = Math.min(10_000, Math.max(1000, 4 * this.sweepMs));
  }

  /**
   * An entry's lifetime: a sweep interval and a margin for announcing (a tenth of the ttl,
   * at most 5 s) short of the ttl, so a dead node's users are announced within the ttl.
   */
  private get lifetimeMs(): number {
    const { ttlMs } = this.options;
    return Math.max(this.sweepMs, ttlMs - this.sweepMs - Math.min(ttlMs / 10, 5000));
  }

  start(): void {
    this.running = true;
    const refresh = setInterval(() => void this.resync(), Math.max(50, this.options.ttlMs / 3));
    const sweep = setInterval(() => void this.sweep(), this.sweepMs);
    for (const timer of [refresh, sweep]) timer.unref();
    this.timers.push(refresh, sweep);
  }

  /** Clean stop: this node's connections count for the grace period, then lapse. */
  async stop(): Promise<void> {
    const connections = [...this.local.values()];
    this.abandon();
    const now = Date.now();
    await this.options.store.touch(connections, now + this.options.graceMs, now);
  }

  /**
   * Stops like a crashed node: no refresh, no sweep, entries left to lapse (what `stop` does
   * before it shortens them to the grace period; fault tests call it alone).
   */
  abandon(): void {
    this.running = false;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    clearTimeout(this.closeTimer);
    this.local.clear();
  }

  async connectionOpened(userId: string, connectionId: string): Promise<void> {
    if (!this.running) return;
    this.local.set(connectionId, { userId, connectionId });
    const now = Date.now();
    await this.options.store.touch([{ userId, connectionId }], now + this.lifetimeMs, now);
    await this.review([userId]);
  }

  async connectionAlive(userId: string, connectionId: string): Promise<void> {
    if (!this.local.has(connectionId)) return;
    const now = Date.now();
    const lost = await this.options.store.touch(
      [{ userId, connectionId }],
      now + this.lifetimeMs,
      now,
    );
    if (lost.length > 0) await this.review(lost);
  }

  async connectionClosed(userId: string, connectionId: string): Promise<void> {
    if (!this.local.delete(connectionId)) return;
    const now = Date.now();
    await this.options.store
      .touch([{ userId, connectionId }], now + this.options.graceMs, now)
      .catch((error: unknown) => {
        this.unrecordedCloses.set(connectionId, { userId, connectionId });
        throw error;
      });
    // One timer for a burst of closes; a close it misses is caught by the periodic sweep.
    this.closeTimer ??= setTimeout(() => {
      this.closeTimer = undefined;
      void this.sweep();
    }, this.options.graceMs + 5).unref();
  }

  async setStatus(userId: string, input: unknown): Promise<Presence> {
    const { status } = validate(statusSchema, input) as { status: PresenceStatus };
    await this.options.store.setChosen(userId, status === "online" ? null : status);
    await this.review([userId]);
    return this.presenceOf(userId);
  }

  /**
   * Which of these users had a connection open at or after `sinceMs` (epoch ms): one open
   * now, or one refreshed or closed since. Push asks this of a message's offline members
   * once its grace period is over (a connection that saw the message counts).
   */
  async connectedSince(userIds: string[], sinceMs: number): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const records = await this.options.store.read(userIds, Date.now());
    return new Set(
      records
        .filter((r) => r.status !== "offline" || (r.lastSeenAt !== null && r.lastSeenAt >= sinceMs))
        .map((r) => r.userId),
    );
  }

  async statusOf(userId: string): Promise<PresenceStatus> {
    return (await this.presenceOf(userId)).status;
  }

  async getPresence(userId: unknown): Promise<Presence> {
    const id = validate(userIdSchema, userId) as string;
    await this.options.assertUserExists(id);
    return this.presenceOf(id.toLowerCase());
  }

  /**
   * The users online now, by id. The announced set is the index, but every entry is read
   * back and an offline one is skipped (and queued for review): between a node's death and
   * the sweep, or after a lost announcement, the index may hold users who are not online.
   */
  async listOnline(query: unknown): Promise<Page<Presence>> {
    const { limit, cursor } = validate(listSchema, query ?? {}) as {
      limit: number;
      cursor?: string;
    };
    let after = decodeCursor<string>(cursor, (value) => typeof value === "string") ?? null;
    const data: Presence[] = [];
    const stale: string[] = [];
    try {
      for (let round = 0; round < LIST_ROUNDS; round += 1) {
        const ids = await this.options.store.listOnline(after, limit + 1);
        for (const record of await this.options.store.read(ids, Date.now())) {
          if (data.length === limit) return { data, next_cursor: encodeCursor(after) };
          after = record.userId;
          if (record.status === "offline") stale.push(record.userId);
          else data.push(toPresence(record));
        }
        if (ids.length <= limit) return { data, next_cursor: null };
      }
      return { data, next_cursor: encodeCursor(after) };
    } finally {
      if (stale.length > 0) void this.review(stale);
    }
  }

  /**
   * Removes lapsed entries, then announces every change due in the review queue (this
   * node's and those whose announcer died). One run
   * at a time per node; a call during a run makes it go once more.
   */
  async sweep(): Promise<void> {
    if (this.sweeping) {
      this.sweepAgain = true;
      return this.sweeping;
    }
    this.sweeping = (async () => {
      do {
        this.sweepAgain = false;
        if (!this.running) return;
        try {
          while ((await this.options.store.sweepExpired(Date.now(), SWEEP_BATCH)) >= SWEEP_BATCH);
          await this.review();
        } catch (error) {
          this.options.logger.warn("presence sweep failed", { error: (error as Error).message });
        }
      } while (this.sweepAgain);
    })().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  /**
   * Refreshes this node's entries now; users whose entries the store had lost (Redis came
   * back empty, or a sweep removed them while this node stalled) are reviewed again, and so
   * are the users of a slice of the online set who are no longer online.
   */
  async resync(): Promise<void> {
    if (!this.running) return;
    const now = Date.now();
    try {
      const lost = await this.options.store.touch(
        [...this.local.values()],
        now + this.lifetimeMs,
        now,
      );
      if (lost.length > 0) await this.review(lost);
      await this.recordCloses();
      await this.auditOnline();
    } catch (error) {
      this.options.logger.warn("presence refresh failed", { error: (error as Error).message });
    }
  }

  /**
   * Records the closes the store missed: their entries lapse after the grace period, and
   * the sweep announces the users offline. Their announced status is set to online first,
   * what contacts last heard: a store that came back empty has forgotten it, and would
   * otherwise see no change to announce.
   */
  private async recordCloses(): Promise<void> {
    if (this.unrecordedCloses.size === 0) return;
    const closes = [...this.unrecordedCloses.values()];
    const now = Date.now();
    await this.options.store.touch(closes, now + this.options.graceMs, now);
    const users = [...new Set(closes.map((close) => close.userId))];
    await this.options.store.recordAnnounced(
      users.map((userId) => ({ userId, status: "online" })),
      now,
    );
    for (const close of closes) this.unrecordedCloses.delete(close.connectionId);
  }

  private async presenceOf(userId: string): Promise<Presence> {
    const [record] = await this.options.store.read([userId], Date.now());
    return toPresence(record);
  }

  /** Claims the given users (or the queue, batch by batch) and announces their changes. */
  private async review(userIds?: string[]): Promise<void> {
    for (let offset = 0; ; offset += REVIEW_BATCH) {
      const now = Date.now();
      const claim = await this.options.store.claimReviews(
        now,
        now + this.leaseMs,
        REVIEW_BATCH,
        userIds?.slice(offset, offset + REVIEW_BATCH),
      );
      if (claim.changes.length > 0) await this.announce(claim.changes);
      const done = userIds ? offset + REVIEW_BATCH >= userIds.length : claim.claimed < REVIEW_BATCH;
      if (done) return;
    }
  }

  /**
   * One contacts query for the batch, then the frames, yielding to the event loop every
   * ANNOUNCE_SLICE users: a burst (a node's users going offline, or announced again after
   * Redis came back empty) must not hold up the sends on this node while it goes out.
   */
  private async announce(changes: PresenceChange[]): Promise<void> {
    const contacts = await this.options.contactsOf(changes.map((change) => change.userId));
    for (const [index, { userId, status }] of changes.entries()) {
      if (index > 0 && index % ANNOUNCE_SLICE === 0) await new Promise(setImmediate);
      const frame: PresenceChangedFrame = { type: "presence.changed", user_id: userId, status };
      this.options.announce(contacts.get(userId) ?? [], frame);
    }
    await this.options.store.recordAnnounced(changes, Date.now());
  }

  /** Walks the online set a slice per refresh, reviewing users who are no longer online. */
  private async auditOnline(): Promise<void> {
    const ids = await this.options.store.listOnline(this.auditAfter, AUDIT_BATCH);
    this.auditAfter = ids.length < AUDIT_BATCH ? null : ids[ids.length - 1];
    const records = await this.options.store.read(ids, Date.now());
    const stale = records.filter((record) => record.status === "offline");
    if (stale.length > 0) await this.review(stale.map((record) => record.userId));
  }
}

const toPresence = (record: PresenceRecord): Presence => ({
  user_id: record.userId,
  status: record.status,
  last_seen_at: record.lastSeenAt === null ? null : new Date(record.lastSeenAt).toISOString(),
});
