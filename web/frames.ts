import type { Controller } from "./controller";
import type { Frame } from "./realtime";
import type { Conversation, Member, PresenceStatus } from "./types";

const TYPING_SHOWN_MS = 7000;

/** Applies one server → client frame (live, or replayed after a reconnect). */
export function applyFrame(app: Controller, frame: Frame): void {
  const handler = HANDLERS[frame.type];
  if (handler) handler(app, frame);
}

type Handler = (app: Controller, frame: Frame) => void;

const HANDLERS: Record<string, Handler> = {
  "message.new": (app, frame) => {
    if (!app.store.conversations.has(frame.data.conversation_id)) {
      void fetchConversation(app, frame.data.conversation_id);
      return;
    }
    void app.ensureUsers([frame.data.sender_id]);
    app.ops.received(frame.data);
  },
  "message.updated": (app, frame) => app.ops.apply(frame.data),
  "message.deleted": (app, frame) => app.ops.tombstone(frame.data.id, frame.data.deleted_at),
  "reaction.added": (app, { data }) =>
    app.ops.reacted(data.message_id, data.user_id, data.emoji, true),
  "reaction.removed": (app, { data }) =>
    app.ops.reacted(data.message_id, data.user_id, data.emoji, false),
  "typing.indicator": (app, frame) => {
    const conversationId = String(frame.conversation_id);
    const userId = String(frame.user_id);
    let typists = app.store.typing.get(conversationId);
    if (!typists) app.store.typing.set(conversationId, (typists = new Map()));
    if (frame.is_typing) {
      typists.set(userId, Date.now() + TYPING_SHOWN_MS);
      void app.ensureUsers([userId]);
      // Clears itself if the stop never comes.
      setTimeout(() => app.renderTyping(), TYPING_SHOWN_MS + 50);
    } else {
      typists.delete(userId);
    }
    app.renderTyping();
  },
  "presence.changed": (app, frame) => {
    app.store.presence.set(String(frame.user_id), frame.status as PresenceStatus);
    app.sidebar.render();
    app.renderHeader();
  },
  "message.read": (app, frame) => {
    const conversation = app.store.conversations.get(String(frame.conversation_id));
    const member = conversation?.members.find((m) => m.user_id === frame.user_id);
    if (!conversation || !member) return;
    member.last_read_seq = Math.max(member.last_read_seq, Number(frame.last_read_seq));
    // Read on another device of ours: nothing before the pointer is unread any more.
    if (frame.user_id === app.store.me?.id && member.last_read_seq >= conversation.last_seq) {
      conversation.unread_count = 0;
    }
    app.timeline.refreshReceipts();
    app.sidebar.render();
  },
  "conversation.created": (app, frame) => app.addConversation(frame.data as Conversation),
  "conversation.updated": (app, frame) => {
    // The server sends each member its own unread_count, as of this event.
    app.addConversation(frame.data as Conversation);
    app.renderHeader();
  },
  "conversation.deleted": (app, frame) => removeConversation(app, frame.data.id),
  "member.added": (app, { data }) => {
    const conversation = app.store.conversations.get(data.conversation_id);
    if (data.user_id === app.store.me?.id || !conversation) {
      void fetchConversation(app, data.conversation_id);
      return;
    }
    if (!conversation.members.some((m) => m.user_id === data.user_id)) {
      const member: Member = {
        user_id: data.user_id,
        role: data.role ?? "member",
        joined_at: new Date().toISOString(),
        last_read_seq: 0,
      };
      conversation.members.push(member);
    }
    void app.ensureUsers([data.user_id]);
    app.renderHeader();
  },
  "member.removed": (app, { data }) => {
    if (data.user_id === app.store.me?.id) return removeConversation(app, data.conversation_id);
    const conversation = app.store.conversations.get(data.conversation_id);
    if (!conversation) return;
    conversation.members = conversation.members.filter((m) => m.user_id !== data.user_id);
    app.renderHeader();
  },
};

async function fetchConversation(app: Controller, id: string): Promise<void> {
  try {
    app.addConversation(await app.api.conversation(id));
  } catch {
    // Gone again, or no longer ours: nothing to show.
  }
}

function removeConversation(app: Controller, id: string): void {
  app.store.conversations.delete(id);
  app.store.timelines.delete(id);
  if (app.store.openId === id) app.closeConversation();
  else app.sidebar.render();
}
