import type { Knex } from "knex";
import type { PushDeviceRow } from "./push-device-repository";
import type { MemberNotifySettings } from "../push/push-recipients";

/** One planned notification of one device, as the planner writes it. */
export interface PlannedPush {
  id: string;
  device_id: string;
  /** The device's kind (for metrics; not stored). */
  kind: "webpush" | "gateway";
  user_id: string;
  conversation_id: string;
  message_id: string;
  position: number;
  payload: Record<string, unknown>;
  occurred_at: string;
  /** Messages of the same batch folded into this one (same device and conversation). */
  collapsed_count: number;
}

/** A claimed notification with its device. */
export interface ClaimedPush {
  id: string;
  message_id: string;
  conversation_id: string;
  payload: Record<string, unknown>;
  collapsed_count: number;
  attempts: number;
  occurred_at: Date;
  device: PushDeviceRow;
}

const CLAIM_QUEUE_SQL = `
UPDATE push_queue SET state = 'sending', lease_owner = ?,
  lease_expires_at = now() + ? * interval '1 millisecond'
WHERE id IN (
  SELECT id FROM push_queue
  WHERE (state = 'queued' AND next_attempt_at <= now())
     OR (state = 'sending' AND lease_expires_at < now())
  ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
RETURNING id, device_id, message_id, conversation_id, payload, collapsed_count, attempts,
  occurred_at`;

/**
 * The push planner's cursor over the event log and the durable queue of notifications.
 * The planner writes a batch's notifications and moves its cursor in one transaction, so a
 * message is planned once whatever crashes; `push_queue_once` (device, message) backs that.
 */
export class PushQueueRepository {
  constructor(private readonly knex: Knex) {}

  /** Takes the planner lease (free, expired or already ours). @returns the cursor, or undefined */
  async claimPlanner(owner: string, leaseMs: number): Promise<number | undefined> {
    const [row] = (await this.knex("push_state")
      .where({ id: 1 })
      .andWhere((q) => {
        q.whereNull("lease_owner");
        q.orWhere("lease_owner", owner);
        q.orWhere("lease_expires_at", "<=", this.knex.fn.now());
      })
      .update({
        lease_owner: owner,
        lease_expires_at: this.knex.raw("now() + ? * interval '1 millisecond'", [leaseMs]),
      })
      .returning(["cursor"])) as { cursor: string }[];
    return row ? Number(row.cursor) : undefined;
  }

  async releasePlanner(owner: string): Promise<void> {
    await this.knex("push_state")
      .where({ id: 1, lease_owner: owner })
      .update({ lease_owner: null, lease_expires_at: null });
  }

  async plannerCursor(): Promise<number> {
    const row = await this.knex("push_state").where({ id: 1 }).first("cursor");
    return Number(row?.cursor ?? 0);
  }

  /** The members' own levels and mutes in the conversation (null where never chosen). */
  async memberSettings(
    conversationId: string,
    userIds: string[],
  ): Promise<Map<string, MemberNotifySettings>> {
    if (userIds.length === 0) return new Map();
    const rows = (await this.knex("conversation_members")
      .where({ conversation_id: conversationId })
      .whereRaw("user_id = ANY(?::uuid[])", [userIds])
      .select("user_id", "notification_level", "muted_until")) as {
      user_id: string;
      notification_level: MemberNotifySettings["level"];
      muted_until: Date | null;
    }[];
    return new Map(
      rows.map((row) => [
        row.user_id,
        { level: row.notification_level, mutedUntil: row.muted_until },
      ]),
    );
  }

  /** Conversation type and name, and the sender's display name, of a message. */
  async messageContext(
    conversationId: string,
    senderId: string,
  ): Promise<{ type: string; name: string | null; senderName: string | null }> {
    const [conversation, sender] = await Promise.all([
      this.knex("conversations").where({ id: conversationId }).first("type", "name"),
      this.knex("users").where({ id: senderId }).first("display_name"),
    ]);
    return {
      type: (conversation as { type?: string } | undefined)?.type ?? "group",
      name: (conversation as { name?: string | null } | undefined)?.name ?? null,
      senderName: (sender as { display_name?: string } | undefined)?.display_name ?? null,
    };
  }

  /**
   * Queues the notifications and moves the cursor to `through`, in one transaction under
   * the planner lease; a queued notification of the same device and conversation takes the
   * newer message instead (collapsed). @returns false when the lease was lost (nothing written)
   */
  async plan(owner: string, through: number, pushes: PlannedPush[]): Promise<boolean> {
    return this.knex.transaction(async (trx) => {
      const moved = await trx("push_state")
        .where({ id: 1, lease_owner: owner })
        .update({ cursor: trx.raw("greatest(cursor, ?)", [through]) });
      if (moved === 0) return false;
      if (pushes.length === 0) return true;
      const insert = trx("push_queue")
        .insert(
          pushes.map(({ kind: _kind, ...push }) => ({
            ...push,
            payload: JSON.stringify(push.payload),
          })),
        )
        .toQuery();
      await trx.raw(
        `${insert} ON CONFLICT (device_id, conversation_id) WHERE state = 'queued' DO UPDATE SET
           message_id = EXCLUDED.message_id, position = EXCLUDED.position,
           payload = EXCLUDED.payload, occurred_at = EXCLUDED.occurred_at,
           collapsed_count = push_queue.collapsed_count + EXCLUDED.collapsed_count + 1
         WHERE push_queue.position < EXCLUDED.position`,
      );
      return true;
    });
  }

  /**
   * Up to `limit` due notifications (or ones a crashed node was sending), leased to
   * `owner`. Those whose news is stale (see cancelStale) are not returned.
   */
  async claimDue(owner: string, leaseMs: number, limit: number): Promise<ClaimedPush[]> {
    const { rows: claimed } = (await this.knex.raw(CLAIM_QUEUE_SQL, [owner, leaseMs, limit])) as {
      rows: (Omit<ClaimedPush, "device"> & { device_id: string })[];
    };
    if (claimed.length === 0) return [];
    const stale = await this.cancelStale(claimed.map((row) => row.id));
    const rows = claimed.filter((row) => !stale.has(row.id));
    const devices = (await this.knex("push_devices").whereIn(
      "id",
      rows.map((row) => row.device_id),
    )) as PushDeviceRow[];
    const byId = new Map(devices.map((device) => [device.id, device]));
    return rows.flatMap(({ device_id, ...row }) => {
      const device = byId.get(device_id);
      return device ? [{ ...row, device }] : [];
    });
  }

  /**
   * Cancels the notifications whose message was deleted or read by the member meanwhile
   * (on another device), or whose member left: pushing them would show what is gone or
   * already seen. @returns their ids
   */
  private async cancelStale(ids: string[]): Promise<Set<string>> {
    const { rows } = (await this.knex.raw(
      `UPDATE push_queue q SET state = 'cancelled', lease_owner = NULL, lease_expires_at = NULL
       WHERE q.id = ANY(?::uuid[]) AND NOT EXISTS (
         SELECT 1 FROM messages m JOIN conversation_members cm
           ON cm.conversation_id = m.conversation_id AND cm.user_id = q.user_id
         WHERE m.id = q.message_id AND m.deleted_at IS NULL AND cm.last_read_seq < m.seq)
       RETURNING q.id`,
      [ids],
    )) as { rows: { id: string }[] };
    return new Set(rows.map((row) => row.id));
  }

  async markSent(id: string, owner: string): Promise<void> {
    await this.knex("push_queue").where({ id, lease_owner: owner, state: "sending" }).update({
      state: "sent",
      sent_at: this.knex.fn.now(),
      lease_owner: null,
      lease_expires_at: null,
      last_error: null,
    });
  }

  /**
   * A failed try: queued again after `delayMs`, or folded into a newer notification of the
   * same device and conversation queued meanwhile (that one carries the news).
   */
  async scheduleRetry(
    push: ClaimedPush,
    owner: string,
    delayMs: number,
    error: string,
  ): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const newer = await trx("push_queue")
        .where({
          device_id: push.device.id,
          conversation_id: push.conversation_id,
          state: "queued",
        })
        .first("id");
      await trx("push_queue")
        .where({ id: push.id, lease_owner: owner, state: "sending" })
        .update({
          state: newer ? "collapsed" : "queued",
          attempts: push.attempts + 1,
          last_error: error.slice(0, 500),
          next_attempt_at: trx.raw("now() + ? * interval '1 millisecond'", [delayMs]),
          lease_owner: null,
          lease_expires_at: null,
        });
    });
  }

  /** The last try failed: the notification stays as a dead letter with its error. */
  async deadLetter(id: string, owner: string, attempts: number, error: string): Promise<void> {
    await this.knex("push_queue")
      .where({ id, lease_owner: owner, state: "sending" })
      .update({
        state: "dead",
        attempts,
        last_error: error.slice(0, 500),
        lease_owner: null,
        lease_expires_at: null,
      });
  }

  /** Forgets sent notifications older than `retentionMs`. */
  async pruneSent(retentionMs: number): Promise<number> {
    return this.knex("push_queue")
      .where("state", "sent")
      .andWhere(
        "queued_at",
        "<",
        this.knex.raw("now() - ? * interval '1 millisecond'", [retentionMs]),
      )
      .delete();
  }

  /** Notifications by state (tests and operators). */
  async ofUser(userId: string): Promise<Record<string, unknown>[]> {
    return (await this.knex("push_queue")
      .where({ user_id: userId })
      .orderBy("queued_at")) as Record<string, unknown>[];
  }
}
