import { conflict, notFound, unavailable } from "../../errors";
import { newId } from "../../ids";
import type { MessageDraft, StoredMessage } from "../../store/message-batch-store";
import { FileRow, hydrateMessages, toFileObject } from "../../store/message-repository";
import type { Message } from "../types";
import { parseMentions, type ParsedMentions } from "../notifications/mentions";
import type { MessageContext } from "./message-context";
import type { SendInput } from "./message-schemas";
import type { BatchOutcome } from "./send-batcher";
import { CLIENT_MSG_ID_KEY, DuplicateKeyError } from "../../store/store-errors";

const MAX_ATTEMPTS = 3;

type SendResult = { message: Message; created: boolean };

/** The Message as it will be stored; seq, created_at and the thread root come from the store. */
function draftMessage(
  callerId: string,
  conversationId: string,
  body: SendInput,
  files: FileRow[],
): Message {
  return {
    id: newId(),
    conversation_id: conversationId,
    sender_id: callerId,
    seq: 0,
    content: body.content,
    metadata: body.metadata ?? {},
    parent_id: null,
    reply_count: 0,
    attachments: files.map(toFileObject),
    reactions: [],
    client_msg_id: body.client_msg_id ?? null,
    created_at: "",
    edited_at: null,
    deleted_at: null,
    mentions: [],
  };
}

function toDraft(message: Message, body: SendInput, mentions: ParsedMentions): MessageDraft {
  return {
    id: message.id,
    // Its message.new carries the message's id: deleting or editing it finds the event by
    // the outbox's primary key, with no index of its own to maintain on every send.
    eventId: message.id,
    conversationId: message.conversation_id,
    senderId: message.sender_id,
    content: message.content!,
    metadata: message.metadata,
    parentId: body.parent_id ?? null,
    clientMsgId: message.client_msg_id,
    fileIds: message.attachments.map((file) => file.id),
    mentionNames: mentions.names,
    mentionAll: mentions.all,
    frame: { type: "message.new", data: message },
  };
}

/** The draft completed the way the store completed its `message.new` payload. */
const completed = (message: Message, stored: StoredMessage): Message => ({
  ...message,
  seq: Number(stored.seq),
  parent_id: stored.parent_id,
  created_at: stored.created_at,
  mentions: stored.mentions,
});

/**
 * Sending: every transport's sends go through the batcher, which stores each with its
 * gapless seq and its `message.new` outbox event in one statement. A refused draft is
 * explained afterwards by reads (rare: a non-member, a retry, a bad parent).
 */
export class MessageSender {
  constructor(private readonly context: MessageContext) {}

  async send(callerId: string, conversationId: string, body: SendInput): Promise<SendResult> {
    const files = await this.context.messages.ownFiles(callerId, body.attachments ?? []);
    if (files.length !== (body.attachments ?? []).length) throw notFound("file");
    const mentions = await this.mentionsOf(callerId, conversationId, body.content);
    for (let attempt = 1; ; attempt += 1) {
      const message = draftMessage(callerId, conversationId, body, files);
      const outcome = await this.submit(toDraft(message, body, mentions));
      if ("stored" in outcome)
        return { message: completed(message, outcome.stored), created: true };
      const existing = await this.explainRefusal(callerId, conversationId, body);
      if (existing) return existing;
      // Nothing explains the refusal: the state moved between the statement and the
      // reads (a member added meanwhile, say). Send again; the store decides once more.
      if (attempt >= MAX_ATTEMPTS) throw unavailable("the message could not be stored, try again");
    }
  }

  /**
   * The content's mentions. `@all` counts only from a group's owner or admins (the store
   * checks again) and is rate limited: the one extra read, only for content with `@all`.
   */
  private async mentionsOf(
    callerId: string,
    conversationId: string,
    content: string,
  ): Promise<ParsedMentions> {
    const parsed = parseMentions(content);
    if (!parsed.all) return parsed;
    const member = await this.context.members.find(conversationId, callerId);
    if (!member || member.role === "member") return { ...parsed, all: false };
    await this.context.mentionAllLimit?.consumeMentionAll(callerId);
    return parsed;
  }

  private async submit(draft: MessageDraft): Promise<BatchOutcome> {
    try {
      return await this.context.sends.submit(draft);
    } catch (error) {
      // A concurrent retry with the same key committed first: the unique index refused
      // ours (which rolled back, seq included); the reads find the first message.
      if (
        draft.clientMsgId &&
        error instanceof DuplicateKeyError &&
        error.constraint === CLIENT_MSG_ID_KEY
      ) {
        return { refused: true };
      }
      throw error;
    }
  }

  /**
   * Why the store refused, in the order a caller should hear it: not a member (not_found),
   * a client_msg_id used before (the first message, 200; another conversation's: conflict),
   * a parent outside this conversation (not_found). Undefined when nothing explains it.
   */
  private async explainRefusal(
    callerId: string,
    conversationId: string,
    body: SendInput,
  ): Promise<{ message: Message; created: false } | undefined> {
    const { members, messages } = this.context;
    if (!(await members.find(conversationId, callerId))) throw notFound("conversation");
    if (body.client_msg_id) {
      const existing = await messages.findByClientMsgId(callerId, body.client_msg_id);
      if (existing) {
        if (existing.conversation_id !== conversationId) {
          throw conflict("client_msg_id was already used for a message in another conversation");
        }
        const [message] = await hydrateMessages(this.context.db, [existing]);
        return { message, created: false };
      }
    }
    if (body.parent_id && !(await messages.findInConversation(body.parent_id, conversationId))) {
      throw notFound("parent message");
    }
    return undefined;
  }
}
