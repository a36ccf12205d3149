import Joi from "joi";
import type { PresenceService as PresenceServiceContract } from "../domain/contracts";
import type { Presence, PresenceStatus } from "../domain/types";
import type { Logger } from "../logger";
import { decodeCursor, encodeCursor, Page, pageQuery, uuid, validate } from "../validation";
import type { ConnectionRef, PresenceRecord, PresenceStore } from "./presence-store";

const statusSchema = Joi.object({
  status: Joi.string().valid("online", "away", "busy", "offline").required(),
});
const listSchema = Joi.object(pageQuery);
const userIdSchema = uuid().required();

/** `{type: "presence.changed", user_id, status}` as every transport sends it. */
export interface PresenceChangedFrame {
  type: "presence.changed";
  user_id: string;
  status: PresenceStatus;
  [key: string]: unknown;
}

export interface PresenceServiceOptions {
  store: PresenceStore;
  /** `presence.ttl`: an entry its node stops refreshing lapses within this. */
  ttlMs: number;
  /** `presence.offline_grace`: how long a closed connection still counts (no flapping). */
  graceMs: number;
  /** Who hears a user's presence: the users sharing a conversation with them. */
  contactIds(userId: string): Promise<string[]>;
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
 * including those of a dead node, and the store's atomic reconcile makes exactly one node
 * announce each change.
 */
export class PresenceService implements PresenceServiceContract {
  private readonly local = new Map<string, ConnectionRef>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly sweepMs: number;
  private running = false;

  constructor(private readonly options: PresenceServiceOptions) {
    this.sweepMs = Math.max(50, Math.floor(Math.min(options.graceMs, options.ttlMs) / 4));
  }

  /** An entry lives ttl minus one sweep interval, so a dead node's users go offline in ttl. */
  private get lifetimeMs(): number {
    return Math.max(this.sweepMs, this.options.ttlMs - this.sweepMs);
  }

  start(): void {
    this.running = true;
    const refresh = setInterval(() => void this.refreshAll(), Math.max(50, this.options.ttlMs / 3));
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

  /** Stops like a crashed node: no refresh, no sweep, entries left to lapse (tests). */
  abandon(): void {
    this.running = false;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.local.clear();
  }

  async connectionOpened(userId: string, connectionId: string): Promise<void> {
    if (!this.running) return;
    this.local.set(connectionId, { userId, connectionId });
    const now = Date.now();
    await this.options.store.touch([{ userId, connectionId }], now + this.lifetimeMs, now);
    await this.reconcile(userId);
  }

  async connectionAlive(userId: string, connectionId: string): Promise<void> {
    if (!this.local.has(connectionId)) return;
    const now = Date.now();
    await this.options.store.touch([{ userId, connectionId }], now + this.lifetimeMs, now);
  }

  async connectionClosed(userId: string, connectionId: string): Promise<void> {
    if (!this.local.delete(connectionId)) return;
    const now = Date.now();
    await this.options.store.touch([{ userId, connectionId }], now + this.options.graceMs, now);
    setTimeout(() => void this.sweep(), this.options.graceMs + 5).unref();
  }

  async setStatus(userId: string, input: unknown): Promise<Presence> {
    const { status } = validate(statusSchema, input) as { status: PresenceStatus };
    await this.options.store.setChosen(userId, status === "online" ? null : status);
    await this.reconcile(userId);
    return this.presenceOf(userId);
  }

  async statusOf(userId: string): Promise<PresenceStatus> {
    return (await this.presenceOf(userId)).status;
  }

  async getPresence(userId: unknown): Promise<Presence> {
    const id = validate(userIdSchema, userId) as string;
    await this.options.assertUserExists(id);
    return this.presenceOf(id.toLowerCase());
  }

  async listOnline(query: unknown): Promise<Page<Presence>> {
    const { limit, cursor } = validate(listSchema, query ?? {}) as {
      limit: number;
      cursor?: string;
    };
    const after = decodeCursor<string>(cursor, (value) => typeof value === "string");
    const ids = await this.options.store.listOnline(after ?? null, limit + 1);
    const page = ids.slice(0, limit);
    const records = await this.options.store.read(page, Date.now());
    return {
      data: records.map(toPresence),
      next_cursor: ids.length > limit ? encodeCursor(page[page.length - 1]) : null,
    };
  }

  private async presenceOf(userId: string): Promise<Presence> {
    const [record] = await this.options.store.read([userId], Date.now());
    return toPresence(record);
  }

  /** Announces the user's status if it changed since the last announcement (any node). */
  private async reconcile(userId: string): Promise<void> {
    const status = await this.options.store.reconcile(userId, Date.now());
    if (!status) return;
    const contacts = await this.options.contactIds(userId);
    this.options.announce(contacts, { type: "presence.changed", user_id: userId, status });
  }

  private async refreshAll(): Promise<void> {
    const now = Date.now();
    try {
      await this.options.store.touch([...this.local.values()], now + this.lifetimeMs, now);
    } catch (error) {
      this.options.logger.warn("presence refresh failed", { error: (error as Error).message });
    }
  }

  private async sweep(): Promise<void> {
    if (!this.running) return;
    try {
      const emptied = await this.options.store.sweepExpired(Date.now());
      for (const userId of emptied) await this.reconcile(userId);
    } catch (error) {
      this.options.logger.warn("presence sweep failed", { error: (error as Error).message });
    }
  }
}

const toPresence = (record: PresenceRecord): Presence => ({
  user_id: record.userId,
  status: record.status,
  last_seen_at: record.lastSeenAt === null ? null : new Date(record.lastSeenAt).toISOString(),
});
