import { isMessagingError } from "../errors.js";
import type { RestApi } from "../rest/rest-api.js";
import type { Conversation, ServerFrame, User } from "../types.js";
import type { ChatStore } from "./chat-store.js";

/**
 * Loads over REST what the events do not carry: the conversation list (first connect,
 * resync, or while the realtime connection is down), one conversation whose counts are
 * unsure, users (for names) and the presence of people met in a new conversation.
 */
export class ConversationLoader {
  /** Events seen per conversation, so a fetch that raced one is done again. */
  private readonly versions = new Map<string, number>();
  private readonly users = new Map<string, Promise<User | null>>();
  private readonly unknownUsers = new Set<string>();
  private readonly presenceAsked = new Set<string>();

  constructor(
    private readonly rest: RestApi,
    private readonly store: ChatStore,
  ) {}

  /** Counts an event of the conversation it concerns (before the store applies it). */
  noteFrame(frame: ServerFrame): void {
    const id = conversationOf(frame);
    if (id) this.versions.set(id, (this.versions.get(id) ?? 0) + 1);
  }

  /** Fetches a conversation again; retried while events for it arrive meanwhile. */
  async refresh(id: string): Promise<void> {
    for (let tries = 0; tries < 3; tries++) {
      const before = this.versions.get(id) ?? 0;
      try {
        const conversation = await this.rest.conversation(id);
        if ((this.versions.get(id) ?? 0) !== before) continue;
        return this.put(conversation);
      } catch (error) {
        if (isMessagingError(error, "not_found")) return this.store.removeConversation(id);
        return;
      }
    }
  }

  /** A conversation from a REST answer; new people in it get their presence fetched. */
  put(conversation: Conversation): void {
    const known = this.store.conversation(conversation.id) !== undefined;
    this.store.putConversation(conversation);
    if (!known) void this.loadPresence(conversation.members.map((m) => m.user_id));
  }

  /** Reloads every conversation and the presence of who is online. */
  async reload(): Promise<void> {
    const before = new Map(this.versions);
    const conversations = [];
    let cursor: string | null | undefined;
    do {
      const page = await this.rest.listConversations({ limit: 100, ...(cursor ? { cursor } : {}) });
      conversations.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    this.store.replaceConversations(conversations);
    for (const [id, version] of this.versions)
      if (before.get(id) !== version) void this.refresh(id);
    const online = await this.rest.onlineUsers({ limit: 100 }).catch(() => ({ data: [] }));
    for (const presence of online.data) this.store.setPresence(presence.user_id, presence.status);
  }

  /**
   * Fetches the users the store does not hold yet, once each: a user that does not exist
   * is not asked for again, one that failed otherwise is, at the next call.
   */
  async loadUsers(ids: Iterable<string>): Promise<void> {
    const asked = [...new Set(ids)].filter(
      (id) => id && !this.store.user(id) && !this.unknownUsers.has(id),
    );
    const loading = asked.map((id) => {
      let request = this.users.get(id);
      if (!request) {
        request = this.rest
          .user(id)
          .then((user) => (this.store.putUsers([user]), user))
          .catch((error) => {
            if (isMessagingError(error, "not_found")) this.unknownUsers.add(id);
            return null;
          })
          .finally(() => this.users.delete(id));
        this.users.set(id, request);
      }
      return request;
    });
    await Promise.all(loading);
  }

  /**
   * Fetches the status of users whose presence is unknown (presence.changed only reaches
   * people who already share a conversation), once each.
   */
  async loadPresence(ids: Iterable<string>): Promise<void> {
    const unknown = [...new Set(ids)].filter(
      (id) =>
        id !== this.store.userId &&
        this.store.presence(id) === undefined &&
        !this.presenceAsked.has(id),
    );
    await Promise.all(
      unknown.map(async (id) => {
        this.presenceAsked.add(id);
        const presence = await this.rest.presence(id).catch(() => null);
        // A presence.changed that came meanwhile is newer than this answer.
        if (presence && this.store.presence(id) === undefined)
          this.store.setPresence(id, presence.status);
      }),
    );
  }
}

function conversationOf(frame: ServerFrame): string | undefined {
  const data = (frame as { data?: { conversation_id?: string; id?: string } }).data;
  if (frame.type.startsWith("conversation.")) return data?.id;
  return (frame as { conversation_id?: string }).conversation_id ?? data?.conversation_id;
}
