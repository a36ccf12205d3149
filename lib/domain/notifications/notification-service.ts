import { notFound } from "../../errors";
import type { TransactionRunner } from "../../event-log/transaction-runner";
import { encodeEventCursor } from "../../events/event-types";
import { BadgeRepository, type BadgeCounts } from "../../store/badge-repository";
import type { MemberRepository } from "../../store/member-repository";
import type { ReadStateRepository } from "../../store/read-state-repository";
import { validate } from "../../validation";
import { conversationIdSchema } from "../messages/message-schemas";
import { notificationSettingsSchema, privacySchema } from "./notification-schemas";
import { effectiveLevel, type NotificationDefaults, type NotificationLevel } from "./notify-policy";
import { Db, transaction } from "../../store/handles";

/** A member's notification settings for one conversation (the caller's own). */
export interface NotificationSettings {
  conversation_id: string;
  notification_level: NotificationLevel;
  muted_until: string | null;
}

/** The caller's badges: the total (conversations that may notify) and each conversation's counts. */
export interface Badges extends BadgeCounts {
  conversations: (BadgeCounts & { conversation_id: string })[];
}

export interface NotificationServiceDeps {
  db: Db;
  transactions: TransactionRunner;
  members: MemberRepository;
  readState: ReadStateRepository;
  defaults: NotificationDefaults;
}

/**
 * Per-member notification levels and mutes, badges, and the read-receipt privacy switch.
 * Whether a message notifies someone is decided by notify-policy.ts from these settings.
 */
export class NotificationService {
  private readonly badgeCounts = new BadgeRepository();

  constructor(private readonly deps: NotificationServiceDeps) {}

  /** Sets the caller's level and/or mute; `notifications.updated` reaches their other devices. */
  async updateSettings(
    callerId: string,
    conversationId: unknown,
    input: unknown,
  ): Promise<NotificationSettings> {
    const id = validate(conversationIdSchema, conversationId).toLowerCase();
    const body = validate(notificationSettingsSchema, input);
    return this.deps.transactions.run(async ({ trx, emit }) => {
      const patch: { notification_level?: NotificationLevel | null; muted_until?: Date | null } =
        {};
      if (body.level !== undefined) patch.notification_level = body.level;
      if (body.muted_until !== undefined) {
        const until = body.muted_until;
        patch.muted_until = until && until.getTime() > Date.now() ? until : null;
      }
      const row = await this.deps.members.updateNotifications(id, callerId, patch, trx);
      if (!row) throw notFound("conversation");
      const settings: NotificationSettings = {
        conversation_id: id,
        notification_level: effectiveLevel(row.notification_level, row.type, this.deps.defaults),
        muted_until: row.muted_until ? new Date(row.muted_until).toISOString() : null,
      };
      emit({
        type: "notifications.updated",
        conversationId: id,
        audience: [callerId],
        frame: { type: "notifications.updated", data: { ...settings, user_id: callerId } },
      });
      return settings;
    });
  }

  /** The caller's badges now (also in GET /sync and the `ready` of a resume). */
  async badges(callerId: string, db: Db = this.deps.db): Promise<Badges> {
    const { total, conversations } = await this.badgeCounts.totals(
      callerId,
      this.deps.defaults,
      db,
    );
    return { ...total, conversations };
  }

  /**
   * The badges with the event-log position they hold at (`cursor`): read in one snapshot,
   * so they count exactly the events up to it (a send numbers its event in its own
   * statement). A client that applies events after the cursor stays right.
   */
  async badgesAt(callerId: string): Promise<Badges & { cursor: string }> {
    return transaction(
      this.deps.db,
      async (trx) => {
        const position = await this.badgeCounts.logPosition(trx);
        const badges = await this.badges(callerId, trx);
        return { ...badges, cursor: encodeEventCursor(position) };
      },
      { snapshot: true },
    );
  }

  /** The caller's privacy switch: false hides their reads from others. */
  async setPrivacy(callerId: string, input: unknown): Promise<{ read_receipts: boolean }> {
    const body = validate(privacySchema, input);
    await this.deps.readState.setReadReceipts(callerId, body.read_receipts);
    return body;
  }

  async privacy(callerId: string): Promise<{ read_receipts: boolean }> {
    return { read_receipts: await this.deps.readState.readsVisible(callerId) };
  }
}
