import { isMessagingError, MessagingError } from "../errors.js";
import { backoffDelay } from "../realtime/backoff.js";
import type { Message } from "../types.js";
import type { OutboxEntry, OutboxStorage } from "./outbox-storage.js";

export interface OutboxHooks {
  /** Delivers one entry (over the realtime connection) and resolves with the stored message. */
  deliver(entry: OutboxEntry): Promise<Message>;
  /** True while deliveries can be attempted. */
  online(): boolean;
  /** The outbox's entries changed (added, failed, acknowledged). */
  changed(): void;
  /** An entry was acknowledged: its stored message. */
  acknowledged(entry: OutboxEntry, message: Message): void;
}

/**
 * The queue of sends not yet acknowledged. Every entry is written to storage before it
 * is sent; entries go out one at a time in queue order and are resent with the same
 * `client_msg_id` after any failure without an answer, until the service acknowledges
 * them (the ack, or their `message.new`) or refuses them (`failed`, kept for the app to
 * retry or discard).
 */
export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private readonly waiters = new Map<
    string,
    { resolve(m: Message): void; reject(e: Error): void }[]
  >();
  /** Recently acknowledged sends (bounded), so a late `acknowledgement()` still resolves. */
  private readonly acknowledged = new Map<string, Message>();
  private pumping = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private userId: string | undefined;
  private lastOrder = 0;
  readonly loaded: Promise<void>;

  constructor(
    private readonly storage: OutboxStorage,
    private readonly hooks: OutboxHooks,
  ) {
    this.loaded = storage.load().then((entries) => {
      for (const entry of entries) this.entries.set(entry.client_msg_id, entry);
      this.lastOrder = Math.max(0, ...entries.map((e) => e.order));
      if (entries.length) hooks.changed();
    });
  }

  /** Entries in queue order (those of the current user, once known). */
  list(): OutboxEntry[] {
    return [...this.entries.values()]
      .filter((e) => !this.userId || !e.user_id || e.user_id === this.userId)
      .sort((a, b) => a.order - b.order);
  }

  get(clientMsgId: string): OutboxEntry | undefined {
    return this.entries.get(clientMsgId);
  }

  /** The connected user: unowned entries become theirs; others' entries are left alone. */
  async adopt(userId: string): Promise<void> {
    await this.loaded;
    this.userId = userId;
    for (const entry of this.entries.values()) {
      if (!entry.user_id) await this.save({ ...entry, user_id: userId });
    }
  }

  /** Queues a send; resolves once the entry is in storage. */
  async add(draft: Omit<OutboxEntry, "order" | "state" | "created_at">): Promise<OutboxEntry> {
    await this.loaded;
    const entry: OutboxEntry = {
      ...draft,
      user_id: draft.user_id ?? this.userId,
      created_at: new Date().toISOString(),
      order: (this.lastOrder = Math.max(this.lastOrder + 1, Date.now())),
      state: "sending",
    };
    await this.save(entry);
    this.pump();
    return entry;
  }

  /**
   * Resolves with the stored message once acknowledged (at once if it already was, in
   * this session); rejects if it fails for good, or is not in the outbox at all.
   */
  async acknowledgement(clientMsgId: string): Promise<Message> {
    await this.loaded;
    const done = this.acknowledged.get(clientMsgId);
    if (done) return done;
    const entry = this.entries.get(clientMsgId);
    if (!entry) throw new Error(`${clientMsgId} is not in the outbox`);
    if (entry.state === "failed") throw new Error(entry.error?.message ?? "send failed");
    return new Promise((resolve, reject) => {
      const list = this.waiters.get(clientMsgId) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(clientMsgId, list);
    });
  }

  /** Sends a failed entry again (same client_msg_id). */
  async retry(clientMsgId: string): Promise<void> {
    const entry = this.entries.get(clientMsgId);
    if (!entry || entry.state !== "failed") return;
    await this.save({ ...entry, state: "sending", error: undefined });
    this.pump();
  }

  /** Drops an entry without sending it (a failed one the user gave up on). */
  async discard(clientMsgId: string): Promise<void> {
    if (!this.entries.delete(clientMsgId)) return;
    await this.storage.remove(clientMsgId);
    this.hooks.changed();
  }

  /** A stored message arrived (ack, message.new, history): settles the entry it answers. */
  async reconcile(message: Message): Promise<void> {
    const id = message.client_msg_id;
    const entry = id ? this.entries.get(id) : undefined;
    if (!entry || (entry.user_id && entry.user_id !== message.sender_id)) return;
    this.entries.delete(entry.client_msg_id);
    this.acknowledged.set(entry.client_msg_id, message);
    if (this.acknowledged.size > 1000) {
      this.acknowledged.delete(this.acknowledged.keys().next().value as string);
    }
    await this.storage.remove(entry.client_msg_id);
    this.hooks.acknowledged(entry, message);
    this.hooks.changed();
    for (const waiter of this.waiters.get(entry.client_msg_id) ?? []) waiter.resolve(message);
    this.waiters.delete(entry.client_msg_id);
  }

  /** Sends what is queued, in order, while online; called again after every (re)connect. */
  pump(): void {
    if (this.pumping || !this.hooks.online() || !this.userId) return;
    this.pumping = true;
    void this.drain().finally(() => {
      this.pumping = false;
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const next = this.list().find((e) => e.state === "sending" && e.user_id === this.userId);
      if (!next || !this.hooks.online()) return;
      try {
        const message = await this.hooks.deliver(next);
        this.attempt = 0;
        await this.reconcile(message);
      } catch (error) {
        if (!isMessagingError(error) || error.transient) {
          // No answer, or the service asks to wait: the same entry goes again later.
          return this.retryLater(error);
        }
        await this.fail(next, error);
      }
    }
  }

  private retryLater(error: unknown): void {
    const seconds = isMessagingError(error) ? error.retryAfter : undefined;
    const delay = seconds ? seconds * 1000 : backoffDelay(this.attempt++);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.pump(), delay);
  }

  private async fail(entry: OutboxEntry, error: MessagingError): Promise<void> {
    if (!this.entries.has(entry.client_msg_id)) return;
    const failed = {
      ...entry,
      state: "failed" as const,
      error: { code: error.code, message: error.message },
    };
    await this.save(failed);
    for (const waiter of this.waiters.get(entry.client_msg_id) ?? []) waiter.reject(error);
    this.waiters.delete(entry.client_msg_id);
  }

  private async save(entry: OutboxEntry): Promise<void> {
    await this.storage.put(entry);
    this.entries.set(entry.client_msg_id, entry);
    this.hooks.changed();
  }

  /** Stops retry timers (the client is closing). */
  stop(): void {
    clearTimeout(this.timer);
  }
}
