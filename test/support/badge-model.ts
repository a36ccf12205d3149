import type { Knex } from "knex";
import type { Frame } from "./realtime-clients";

/** A conversation's badge as a device keeps it, with what it needs for the total. */
export interface DeviceBadge {
  unread: number;
  mention: number;
  level: string;
  mutedUntil: string | null;
}

/**
 * What a client does with the events to keep its badges right (docs/events.md, "Badges"):
 * absolute counts from conversation views, read_state.updated and message.deleted; a
 * message.new from someone else adds one (and one mention when it names the device's
 * user); one's own message.new reads everything before it.
 */
export class DeviceBadges {
  readonly conversations = new Map<string, DeviceBadge>();

  constructor(
    readonly userId: string,
    private readonly tracked: Set<string>,
  ) {}

  /** From GET /conversations (the device's starting point). */
  load(views: Record<string, any>[]): void {
    for (const view of views.filter((v) => this.tracked.has(v.id))) {
      this.conversations.set(view.id, {
        unread: view.unread_count,
        mention: view.mention_count,
        level: view.notification_level,
        mutedUntil: view.muted_until,
      });
    }
  }

  apply(frame: Frame): void {
    const data = frame.data ?? {};
    const id: string | undefined = data.conversation_id ?? data.id;
    if (!id || !this.tracked.has(id)) return;
    const badge = this.conversations.get(id);
    switch (frame.type) {
      case "message.new":
        if (!badge) return;
        if (data.sender_id === this.userId) {
          badge.unread = 0;
          badge.mention = 0;
        } else {
          badge.unread += 1;
          if ((data.mentions as string[]).includes(this.userId)) badge.mention += 1;
        }
        return;
      case "read_state.updated":
      case "message.deleted":
        if (data.unread_count === undefined) return;
        this.ensure(id).unread = data.unread_count;
        this.ensure(id).mention = data.mention_count;
        return;
      case "conversation.created":
      case "conversation.updated":
        Object.assign(this.ensure(id), {
          unread: data.unread_count,
          mention: data.mention_count,
          level: data.notification_level,
          mutedUntil: data.muted_until,
        });
        return;
      case "notifications.updated":
        this.ensure(id).level = data.notification_level;
        this.ensure(id).mutedUntil = data.muted_until;
        return;
      case "member.added":
        if (data.user_id === this.userId) this.ensure(id);
        return;
      case "member.removed":
        if (data.user_id === this.userId) this.conversations.delete(id);
        return;
      case "conversation.deleted":
        this.conversations.delete(id);
        return;
    }
  }

  /** The device's counts per conversation and its total (conversations that may notify). */
  snapshot(now: Date): Counts {
    return summarise(this.conversations, now);
  }

  private ensure(id: string): DeviceBadge {
    let badge = this.conversations.get(id);
    if (!badge) {
      // A conversation joined while connected: its level comes with the next view.
      badge = { unread: 0, mention: 0, level: "mentions", mutedUntil: null };
      this.conversations.set(id, badge);
    }
    return badge;
  }
}

export interface Counts {
  perConversation: Record<string, [number, number]>;
  total: [number, number];
}

function summarise(badges: Map<string, DeviceBadge>, now: Date): Counts {
  const perConversation: Record<string, [number, number]> = {};
  const total: [number, number] = [0, 0];
  for (const [id, badge] of [...badges].sort(([a], [b]) => a.localeCompare(b))) {
    perConversation[id] = [badge.unread, badge.mention];
    const muted = badge.mutedUntil !== null && new Date(badge.mutedUntil) > now;
    if (muted || badge.level === "none") continue;
    total[0] += badge.unread;
    total[1] += badge.mention;
  }
  return { perConversation, total };
}

const asArray = (value: string[] | string): string[] =>
  Array.isArray(value) ? value : value.replace(/[{}]/g, "").split(",").filter(Boolean);

/**
 * The same counts recomputed from the database rows in plain code (not the service's SQL):
 * a message is unread for a member when it is after their pointer and, for a reply, after
 * their pointer in its thread; by someone else; not deleted.
 */
export async function recount(
  knex: Knex,
  userId: string,
  conversationIds: string[],
  defaults: { direct: string; group: string },
): Promise<Map<string, DeviceBadge>> {
  const members = await knex("conversation_members as cm")
    .join("conversations as c", "c.id", "cm.conversation_id")
    .where("cm.user_id", userId)
    .whereIn("cm.conversation_id", conversationIds)
    .select("cm.*", "c.type");
  const threads = await knex("thread_reads").where({ user_id: userId });
  const threadPointer = new Map(threads.map((t) => [t.root_id, Number(t.last_read_seq)]));
  const result = new Map<string, DeviceBadge>();
  for (const member of members) {
    const messages = await knex("messages").where({ conversation_id: member.conversation_id });
    let unread = 0;
    let mention = 0;
    for (const m of messages) {
      const seq = Number(m.seq);
      if (seq <= Number(member.last_read_seq) || m.sender_id === userId || m.deleted_at) continue;
      if (m.parent_id && seq <= (threadPointer.get(m.parent_id) ?? 0)) continue;
      unread += 1;
      if (asArray(m.mentions).includes(userId)) mention += 1;
    }
    result.set(member.conversation_id, {
      unread,
      mention,
      level: member.notification_level ?? defaults[member.type as "direct" | "group"],
      mutedUntil: member.muted_until ? new Date(member.muted_until).toISOString() : null,
    });
  }
  return result;
}

export const countsOf = (badges: Map<string, DeviceBadge>, now: Date): Counts =>
  summarise(badges, now);
