import type { Conversation, Message, ServerFrame, ServerFrames } from "../types.js";
import type { ChatStore } from "./chat-store.js";

/** What applying a frame left for the client to fetch: conversations whose counts are unsure. */
export type Refetch = (conversationId: string) => void;

type Handlers = {
  [K in keyof ServerFrames]?: (store: ChatStore, frame: ServerFrames[K], refetch: Refetch) => void;
};

const tombstone = (message: Message, deletedAt: string): Message => ({
  ...message,
  content: null,
  attachments: [],
  reactions: [],
  mentions: [],
  deleted_at: deletedAt,
});

/**
 * The signed-in user's own read state changed (a read, mark unread, a thread read, joining):
 * absolute counts, and the pointer, which may move back (mark unread).
 */
export function applyReadState(
  store: ChatStore,
  data: ServerFrames["read_state.updated"]["data"],
): void {
  const conversation = store.conversation(data.conversation_id);
  if (!conversation || data.user_id !== store.userId) return;
  conversation.unread_count = data.unread_count;
  conversation.mention_count = data.mention_count;
  const me = conversation.members.find((m) => m.user_id === store.userId);
  if (me && data.thread_id === null) me.last_read_seq = data.last_read_seq;
  store.emit({ type: "conversations", conversationId: conversation.id });
}

function withReaction(message: Message, userId: string, emoji: string, added: boolean): Message {
  const reactions = message.reactions.map((r) => ({ ...r, user_ids: [...r.user_ids] }));
  let reaction = reactions.find((r) => r.emoji === emoji);
  if (added && !reaction) reactions.push((reaction = { emoji, count: 0, user_ids: [] }));
  if (!reaction || reaction.user_ids.includes(userId) === added) return message;
  reaction.user_ids = added
    ? [...reaction.user_ids, userId]
    : reaction.user_ids.filter((u) => u !== userId);
  reaction.count = reaction.user_ids.length;
  return { ...message, reactions: reactions.filter((r) => r.count > 0) };
}

/** Adds or removes one user's reaction on a held message (idempotent: echoes are harmless). */
export function applyReaction(
  store: ChatStore,
  reaction: { conversation_id: string; message_id: string; user_id: string; emoji: string },
  added: boolean,
): void {
  const held = store.timeline(reaction.conversation_id).get(reaction.message_id);
  if (held) store.putMessage(withReaction(held, reaction.user_id, reaction.emoji, added));
}

/** Unread counts of the signed-in user after a read or a deletion: exact, or refetched. */
function recount(store: ChatStore, conversation: Conversation, refetch: Refetch): void {
  const pointer = store.readPointer(conversation);
  const timeline = store.timeline(conversation.id);
  if (pointer >= conversation.last_seq) {
    conversation.unread_count = 0;
    conversation.mention_count = 0;
  } else if (timeline.holdsRange(pointer, conversation.last_seq)) {
    const unread = timeline.messages.filter(
      (m) => m.seq > pointer && m.sender_id !== store.userId && !m.deleted_at,
    );
    conversation.unread_count = unread.length;
    conversation.mention_count = unread.filter((m) => m.mentions.includes(store.userId!)).length;
  } else return refetch(conversation.id);
  store.emit({ type: "conversations", conversationId: conversation.id });
}

/** A message's new version (an edit): held copies and the conversation's last message. */
export function applyEdit(store: ChatStore, message: Message): void {
  if (store.timeline(message.conversation_id).get(message.id)) store.putMessage(message);
  const conversation = store.conversation(message.conversation_id);
  if (conversation?.last_message?.id === message.id)
    store.putConversation({ ...conversation, last_message: message });
}

/** A message became a tombstone: held copies, the conversation's last message, unread counts. */
export function applyDeletion(
  store: ChatStore,
  data: {
    id: string;
    conversation_id: string;
    seq: number;
    deleted_at: string;
    unread_count?: number;
    mention_count?: number;
  },
  refetch: Refetch,
): void {
  const conversation = store.conversation(data.conversation_id);
  const held = store.timeline(data.conversation_id).get(data.id);
  if (held) store.putMessage(tombstone(held, data.deleted_at));
  if (!conversation) return;
  if (conversation.last_message?.id === data.id)
    conversation.last_message = tombstone(conversation.last_message, data.deleted_at);
  if (data.unread_count !== undefined && data.mention_count !== undefined) {
    // The service sent the receiver's own counts after the deletion.
    conversation.unread_count = data.unread_count;
    conversation.mention_count = data.mention_count;
    return store.emit({ type: "conversations", conversationId: conversation.id });
  }
  if (data.seq <= store.readPointer(conversation)) return;
  if (!held) return refetch(conversation.id);
  if (!held.deleted_at && held.sender_id !== store.userId) recount(store, conversation, refetch);
}

/** A member's read pointer moved (never backwards); the signed-in user's unread count follows. */
export function applyReadPointer(
  store: ChatStore,
  read: { conversation_id: string; user_id: string; last_read_seq: number },
  refetch: Refetch,
): void {
  const conversation = store.conversation(read.conversation_id);
  const member = conversation?.members.find((m) => m.user_id === read.user_id);
  if (!conversation || !member) return;
  member.last_read_seq = Math.max(member.last_read_seq, read.last_read_seq);
  if (read.user_id === store.userId) recount(store, conversation, refetch);
  else store.emit({ type: "conversations", conversationId: conversation.id });
}

const HANDLERS: Handlers = {
  "message.new": (store, frame, refetch) => {
    store.putMessage(frame.data);
    if (!store.conversation(frame.data.conversation_id)) refetch(frame.data.conversation_id);
  },
  "message.updated": (store, frame) => applyEdit(store, frame.data),
  "message.deleted": (store, { data }, refetch) => applyDeletion(store, data, refetch),
  "reaction.added": (store, { data }) => applyReaction(store, data, true),
  "reaction.removed": (store, { data }) => applyReaction(store, data, false),
  "message.read": (store, frame, refetch) => applyReadPointer(store, frame, refetch),
  "read_state.updated": (store, { data }) => applyReadState(store, data),
  "notifications.updated": (store, { data }) => {
    const conversation = store.conversation(data.conversation_id);
    if (!conversation || data.user_id !== store.userId) return;
    conversation.notification_level = data.notification_level;
    conversation.muted_until = data.muted_until;
    store.emit({ type: "conversations", conversationId: conversation.id });
  },
  "message.delivered": (store, { data }) => store.setDelivered(data),
  "conversation.created": (store, frame) => store.putConversation(frame.data),
  "conversation.updated": (store, frame) => store.putConversation(frame.data),
  "conversation.deleted": (store, frame) => store.removeConversation(frame.data.id),
  "member.added": (store, { data }, refetch) => {
    const conversation = store.conversation(data.conversation_id);
    if (data.user_id === store.userId || !conversation) return refetch(data.conversation_id);
    if (conversation.members.some((m) => m.user_id === data.user_id)) return;
    const joined_at = new Date().toISOString();
    conversation.members.push({
      user_id: data.user_id,
      role: data.role,
      joined_at,
      last_read_seq: 0,
    });
    store.emit({ type: "conversations", conversationId: conversation.id });
  },
  "member.removed": (store, { data }) => {
    if (data.user_id === store.userId) return store.removeConversation(data.conversation_id);
    const conversation = store.conversation(data.conversation_id);
    if (!conversation) return;
    conversation.members = conversation.members.filter((m) => m.user_id !== data.user_id);
    store.emit({ type: "conversations", conversationId: conversation.id });
  },
  "typing.indicator": (store, frame) =>
    store.setTyping(frame.conversation_id, frame.user_id, frame.is_typing),
  "presence.changed": (store, frame) => store.setPresence(frame.user_id, frame.status),
};

/** Applies one server frame (live or replayed) to the store. */
export function applyFrame(store: ChatStore, frame: ServerFrame, refetch: Refetch): void {
  const handler = HANDLERS[frame.type] as
    ((s: ChatStore, f: ServerFrame, r: Refetch) => void) | undefined;
  handler?.(store, frame, refetch);
}
