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
  deleted_at: deletedAt,
});

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

function updateHeld(
  store: ChatStore,
  conversationId: string,
  id: string,
  change: (m: Message) => Message,
) {
  const held = store.timeline(conversationId).get(id);
  if (held) store.putMessage(change(held));
}

/** Unread counts of the signed-in user after a read or a deletion: exact, or refetched. */
function recount(store: ChatStore, conversation: Conversation, refetch: Refetch): void {
  const pointer = store.readPointer(conversation);
  const timeline = store.timeline(conversation.id);
  if (pointer >= conversation.last_seq) conversation.unread_count = 0;
  else if (timeline.holdsRange(pointer, conversation.last_seq)) {
    conversation.unread_count = timeline.messages.filter(
      (m) => m.seq > pointer && m.sender_id !== store.userId && !m.deleted_at,
    ).length;
  } else return refetch(conversation.id);
  store.emit({ type: "conversations", conversationId: conversation.id });
}

const HANDLERS: Handlers = {
  "message.new": (store, frame, refetch) => {
    store.putMessage(frame.data);
    if (!store.conversation(frame.data.conversation_id)) refetch(frame.data.conversation_id);
  },
  "message.updated": (store, frame) => {
    if (store.timeline(frame.data.conversation_id).get(frame.data.id)) store.putMessage(frame.data);
    const conversation = store.conversation(frame.data.conversation_id);
    if (conversation?.last_message?.id === frame.data.id)
      store.putConversation({ ...conversation, last_message: frame.data });
  },
  "message.deleted": (store, { data }, refetch) => {
    const conversation = store.conversation(data.conversation_id);
    const held = store.timeline(data.conversation_id).get(data.id);
    if (held) store.putMessage(tombstone(held, data.deleted_at));
    if (!conversation) return;
    if (conversation.last_message?.id === data.id)
      conversation.last_message = tombstone(conversation.last_message, data.deleted_at);
    if (data.seq <= store.readPointer(conversation)) return;
    if (!held) return refetch(conversation.id);
    if (!held.deleted_at && held.sender_id !== store.userId) recount(store, conversation, refetch);
  },
  "reaction.added": (store, { data }) =>
    updateHeld(store, data.conversation_id, data.message_id, (m) =>
      withReaction(m, data.user_id, data.emoji, true),
    ),
  "reaction.removed": (store, { data }) =>
    updateHeld(store, data.conversation_id, data.message_id, (m) =>
      withReaction(m, data.user_id, data.emoji, false),
    ),
  "message.read": (store, frame, refetch) => {
    const conversation = store.conversation(frame.conversation_id);
    const member = conversation?.members.find((m) => m.user_id === frame.user_id);
    if (!conversation || !member) return;
    member.last_read_seq = Math.max(member.last_read_seq, frame.last_read_seq);
    if (frame.user_id === store.userId) recount(store, conversation, refetch);
    else store.emit({ type: "conversations", conversationId: conversation.id });
  },
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
