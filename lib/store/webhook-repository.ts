import type { Knex } from "knex";
import { Db, dbOf, sql, Tx, txOf } from "./handles";
import { SEALED_PREFIX, SecretBox } from "./secret-box";
import { mappingErrors } from "./store-errors";

export interface SubscriptionRow {
  id: string;
  kind: "events" | "command";
  url: string;
  secret: string;
  description: string | null;
  event_types: string[];
  conversation_ids: string[] | null;
  user_id: string | null;
  command: string | null;
  owner_key_id: string | null;
  created_by_user_id: string | null;
  enabled: boolean;
  disabled_at: Date | null;
  disabled_reason: string | null;
  cursor: number;
  attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  consecutive_failures: number;
  created_at: Date;
  updated_at: Date;
}

export interface DeadLetterRow {
  id: string;
  subscription_id: string;
  event_id: string;
  position: number;
  event_type: string;
  body: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  replayed_at: Date | null;
}

/** Subscription writes of the node holding its lease; false once another node took it over. */
type LeasedWrite = Promise<boolean>;

/**
 * Webhook subscriptions, their cursors over the event log and their dead letters. A node
 * delivers to a subscription only while it holds the subscription's lease, so one
 * subscription's events go out one at a time, in position order, whichever node sends them.
 */
export class WebhookRepository {
  constructor(
    private readonly knex: Knex,
    /** Signing secrets are stored sealed (encrypted at rest) and opened as rows are read. */
    private readonly secrets: SecretBox,
  ) {}

  private readonly toSubscription = (row: SubscriptionRow): SubscriptionRow => ({
    ...row,
    secret: this.secrets.open(row.secret),
    cursor: Number(row.cursor),
  });

  /** Seals the secrets of rows stored before secrets were encrypted. @returns how many */
  async sealPlaintextSecrets(): Promise<number> {
    const rows = (await this.knex("webhook_subscriptions")
      .whereNot("secret", "like", `${SEALED_PREFIX}%`)
      .select("id", "secret")) as Pick<SubscriptionRow, "id" | "secret">[];
    for (const { id, secret } of rows) {
      await this.knex("webhook_subscriptions")
        .where({ id, secret })
        .update({ secret: this.secrets.seal(secret) });
    }
    return rows.length;
  }

  async insert(
    row: Omit<
      SubscriptionRow,
      | "enabled"
      | "disabled_at"
      | "disabled_reason"
      | "attempts"
      | "next_attempt_at"
      | "last_error"
      | "consecutive_failures"
      | "created_at"
      | "updated_at"
    >,
    db: Db = dbOf(this.knex),
  ): Promise<SubscriptionRow> {
    const [inserted] = (await mappingErrors(
      sql(db)("webhook_subscriptions")
        .insert({ ...row, secret: this.secrets.seal(row.secret) })
        .returning("*"),
    )) as SubscriptionRow[];
    return this.toSubscription(inserted);
  }

  async find(id: string, db: Db = dbOf(this.knex)): Promise<SubscriptionRow | undefined> {
    const row = (await sql(db)("webhook_subscriptions").where({ id }).first()) as
      SubscriptionRow | undefined;
    return row && this.toSubscription(row);
  }

  /** Oldest first after `afterId`; `ownerKeyId` limits to one key's subscriptions. */
  async page(
    filter: { ownerKeyId?: string; kind?: "events" | "command"; userId?: string },
    limit: number,
    afterId?: string,
  ): Promise<SubscriptionRow[]> {
    const query = this.knex("webhook_subscriptions").orderBy("id").limit(limit);
    if (filter.ownerKeyId) query.where("owner_key_id", filter.ownerKeyId);
    if (filter.kind) query.where("kind", filter.kind);
    if (filter.userId) query.where("user_id", filter.userId);
    if (afterId) query.where("id", ">", afterId);
    return ((await query) as SubscriptionRow[]).map(this.toSubscription);
  }

  async update(
    id: string,
    fields: Partial<Omit<SubscriptionRow, "secret">>,
    db: Db = dbOf(this.knex),
  ): Promise<SubscriptionRow | undefined> {
    const [row] = (await mappingErrors(
      sql(db)("webhook_subscriptions")
        .where({ id })
        .update({ ...fields, updated_at: sql(db).fn.now() })
        .returning("*"),
    )) as SubscriptionRow[];
    return row && this.toSubscription(row);
  }

  async delete(id: string, db: Db = dbOf(this.knex)): Promise<boolean> {
    return (await sql(db)("webhook_subscriptions").where({ id }).delete()) > 0;
  }

  /** Disables every subscription a key owns (the key was revoked). */
  async disableOwnedBy(keyId: string, reason: string, db: Db): Promise<number> {
    return sql(db)("webhook_subscriptions")
      .where({ owner_key_id: keyId, enabled: true })
      .update({ enabled: false, disabled_at: sql(db).fn.now(), disabled_reason: reason });
  }

  async anyEnabled(): Promise<boolean> {
    return Boolean(await this.knex("webhook_subscriptions").where({ enabled: true }).first("id"));
  }

  /** The lowest cursor of an enabled subscription: the log is kept after it. */
  async lowestEnabledCursor(): Promise<number | undefined> {
    const row = (await this.knex("webhook_subscriptions")
      .where({ enabled: true })
      .min({ cursor: "cursor" })
      .first()) as { cursor: string | null } | undefined;
    return row?.cursor == null ? undefined : Number(row.cursor);
  }

  /**
   * Leases up to `limit` enabled subscriptions that are due (no retry pending) and behind
   * `head`, and that no live lease holds. SKIP LOCKED: nodes claiming at once share them.
   */
  async claimDue(
    owner: string,
    head: number,
    leaseMs: number,
    limit: number,
  ): Promise<SubscriptionRow[]> {
    const { rows } = (await this.knex.raw(
      `UPDATE webhook_subscriptions SET lease_owner = ?,
         lease_expires_at = now() + ? * interval '1 millisecond'
       WHERE id IN (
         SELECT id FROM webhook_subscriptions
         WHERE enabled AND next_attempt_at <= now() AND cursor < ?
           AND (lease_expires_at IS NULL OR lease_expires_at < now())
         ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [owner, leaseMs, head, limit],
    )) as { rows: SubscriptionRow[] };
    return rows.map(this.toSubscription);
  }

  /** The cursor moves on (an event delivered, or filtered out); the lease is renewed. */
  async advance(id: string, owner: string, position: number, leaseMs: number): LeasedWrite {
    const count = await this.knex("webhook_subscriptions")
      .where({ id, lease_owner: owner })
      .update({
        cursor: this.knex.raw("greatest(cursor, ?)", [position]),
        attempts: 0,
        consecutive_failures: 0,
        last_error: null,
        lease_expires_at: this.knex.raw("now() + ? * interval '1 millisecond'", [leaseMs]),
      });
    return count > 0;
  }

  /** Skipped events (no delivery): moves the cursor without touching the failure count. */
  async skipTo(id: string, owner: string, position: number): LeasedWrite {
    const count = await this.knex("webhook_subscriptions")
      .where({ id, lease_owner: owner })
      .update({ cursor: this.knex.raw("greatest(cursor, ?)", [position]) });
    return count > 0;
  }

  /** A failed try: the next one is due after `delayMs`; the lease is given back. */
  async scheduleRetry(
    id: string,
    owner: string,
    attempts: number,
    delayMs: number,
    error: string,
  ): LeasedWrite {
    const count = await this.knex("webhook_subscriptions")
      .where({ id, lease_owner: owner })
      .update({
        attempts,
        last_error: error,
        next_attempt_at: this.knex.raw("now() + ? * interval '1 millisecond'", [delayMs]),
        lease_owner: null,
        lease_expires_at: null,
      });
    return count > 0;
  }

  /**
   * The event becomes a dead letter and the cursor moves past it, in one transaction; after
   * `disableAfter` dead letters in a row the subscription is disabled (`onDisable` runs in
   * the same transaction). @returns whether it was disabled, or undefined without the lease
   */
  async deadLetter(
    letter: Omit<DeadLetterRow, "created_at" | "replayed_at">,
    owner: string,
    disableAfter: number,
    onDisable: (trx: Tx, reason: string) => Promise<void>,
  ): Promise<boolean | undefined> {
    return this.knex.transaction(async (trx) => {
      const [sub] = (await trx("webhook_subscriptions")
        .where({ id: letter.subscription_id, lease_owner: owner })
        .update({
          cursor: trx.raw("greatest(cursor, ?)", [letter.position]),
          attempts: 0,
          last_error: letter.last_error,
          consecutive_failures: trx.raw("consecutive_failures + 1"),
        })
        .returning(["consecutive_failures"])) as { consecutive_failures: number }[];
      if (!sub) return undefined;
      await trx("webhook_dead_letters").insert(letter);
      if (sub.consecutive_failures < disableAfter) return false;
      const reason = `${sub.consecutive_failures} dead letters in a row; last: ${letter.last_error}`;
      await trx("webhook_subscriptions")
        .where({ id: letter.subscription_id })
        .update({
          enabled: false,
          disabled_at: trx.fn.now(),
          disabled_reason: reason.slice(0, 500),
        });
      await onDisable(txOf(trx), reason);
      return true;
    });
  }

  /** Gives the lease back (the node is done with the subscription for now). */
  async release(id: string, owner: string): Promise<void> {
    await this.knex("webhook_subscriptions")
      .where({ id, lease_owner: owner })
      .update({ lease_owner: null, lease_expires_at: null });
  }
}
