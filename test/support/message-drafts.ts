import type { MessageDraft } from "../../lib/store/message-batch-store";

let next = 0;

/** A plain text message draft for the send path's unit tests (ids unique per process). */
export function sendDraft(conversationId: string, senderId = "member"): MessageDraft {
  next += 1;
  return {
    id: `m${next}`,
    eventId: `e${next}`,
    conversationId,
    senderId,
    content: "hi",
    metadata: {},
    parentId: null,
    mentionNames: [],
    mentionAll: false,
    clientMsgId: null,
    fileIds: [],
    frame: { type: "message.new" },
  };
}
