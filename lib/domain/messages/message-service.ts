import type { UnitOfWork } from "../../events/transaction-runner";
import { conflict, notFound, validationError } from "../../errors";
import { newId } from "../../ids";
import {
  MessageRow,
  hydrateMessages,
  toFileObject,
  toMessage,
} from "../../store/message-repository";
import { Page, decodeCursor, encodeCursor, validate } from "../../validation";
import type { MessageService } from "../contracts";
import type { Message, ReadPointer, Receipt } from "../types";
import { MessageContext, visibleMessage } from "./message-context";
import { MessageChanges } from "./message-changes";
import {
  ListQuery,
  SendInput,
  conversationIdSchema,
  listSchema,
  messageIdSchema,
  repliesSchema,
  sendSchema,
} from "./message-schemas";
import { ReactionService } from "./reaction-service";
import { ReadService } from "./read-service";

const UNIQUE_VIOLATION = "23505";
const CLIENT_MSG_ID_KEY = "messages_sender_client_msg_id_key";

interface SeqCursor {
  s: number;
  d: "asc" | "desc";
}
const isSeqCursor = (value: unknown): boolean => {
  const v = value as Partial<SeqCursor> | null;
  return Number.isSafeInteger(v?.s) && (v?.d === "asc" || v?.d === "desc");
};

type SendOutcome = { message: Message; created: true } | { existing: MessageRow };

/**
 * Messages: sending (gapless seq, idempotent client_msg_id, threads, attachments),
 * history and threads. Edits, deletes, reactions and read state are delegated.
 */
export class DefaultMessageService implements MessageService {
  private readonly changes: MessageChanges;
  private readonly reactionService: ReactionService;
  private readonly readService: ReadService;

  constructor(private readonly context: MessageContext) {
    this.changes = new MessageChanges(context);
    this.reactionService = new ReactionService(context);
    this.readService = new ReadService(context);
  }

  async sendMessage(
    callerId: string,
    conversationId: unknown,
    input: unknown,
  ): Promise<{ message: Message; created: boolean }> {
    const id = validate(conversationIdSchema, conversationId);
    const body = validate(sendSchema, input);
    await this.context.sendLimit?.consumeMessage(callerId);
    let outcome: SendOutcome;
    try {
      outcome = await this.context.transactions.run((uow) => this.send(uow, callerId, id, body));
    } catch (error) {
      // A concurrent retry with the same key committed first: the unique index refused
      // ours (which rolled back, seq included), so answer with the first message.
      const e = error as { code?: string; constraint?: string };
      if (!body.client_msg_id || e.code !== UNIQUE_VIOLATION || e.constraint !== CLIENT_MSG_ID_KEY)
        throw error;
      const existing = await this.context.messages.findByClientMsgId(callerId, body.client_msg_id);
      if (!existing) throw error;
      outcome = { existing };
    }
    if ("message" in outcome) return outcome;
    if (outcome.existing.conversation_id !== id) {
      throw conflict("client_msg_id was already used for a message in another conversation");
    }
    const [message] = await hydrateMessages(this.context.knex, [outcome.existing]);
    return { message, created: false };
  }

  /** One transaction: the checks first, then one statement that takes the seq and stores. */
  private async send(
    { trx, emit }: UnitOfWork,
    callerId: string,
    conversationId: string,
    body: SendInput,
  ): Promise<SendOutcome> {
    const { messages } = this.context;
    const audience = await this.context.members.memberIds(conversationId, trx);
    if (!audience.includes(callerId)) throw notFound("conversation");
    if (body.client_msg_id) {
      const existing = await messages.findByClientMsgId(callerId, body.client_msg_id, trx);
      if (existing) return { existing };
    }
    const parentId = body.parent_id
      ? await this.threadRoot(body.parent_id, conversationId, trx)
      : null;
    const files = await messages.ownFiles(callerId, body.attachments ?? [], trx);
    if (files.length !== (body.attachments ?? []).length) throw notFound("file");

    const row = await messages.insertNext(
      {
        id: newId(),
        conversation_id: conversationId,
        sender_id: callerId,
        content: body.content,
        metadata: body.metadata ?? {},
        parent_id: parentId,
        client_msg_id: body.client_msg_id ?? null,
      },
      files.map((file) => file.id),
      trx,
    );
    if (!row) throw notFound("conversation");
    const message = toMessage(row, files.map(toFileObject), []);
    emit({
      type: "message.new",
      conversationId,
      audience,
      frame: { type: "message.new", data: message },
    });
    return { message, created: true };
  }

  /**
   * Threads are one level deep: a reply to a reply joins the thread of its root. The
   * parent must be in the same conversation (else not_found); a deleted root still
   * holds its thread.
   */
  private async threadRoot(
    parentId: string,
    conversationId: string,
    trx: UnitOfWork["trx"],
  ): Promise<string> {
    const parent = await this.context.messages.findInConversation(parentId, conversationId, trx);
    if (!parent) throw notFound("parent message");
    return parent.parent_id ?? parent.id;
  }

  async listMessages(
    callerId: string,
    conversationId: unknown,
    query: unknown,
  ): Promise<Page<Message>> {
    const id = validate(conversationIdSchema, conversationId);
    const q = validate(listSchema, query ?? {});
    if (!(await this.context.members.find(id, callerId))) throw notFound("conversation");
    return this.page({ conversationId: id }, q, q.after_seq !== undefined ? "asc" : "desc");
  }

  async listReplies(callerId: string, messageId: unknown, query: unknown): Promise<Page<Message>> {
    const id = validate(messageIdSchema, messageId);
    const q = validate(repliesSchema, query ?? {});
    await visibleMessage(this.context, id, callerId);
    return this.page({ parentId: id }, q, "asc");
  }

  /** Seq-ordered paging; the cursor carries its direction, so it wins over after_seq. */
  private async page(
    filter: { conversationId?: string; parentId?: string },
    q: ListQuery,
    direction: "asc" | "desc",
  ): Promise<Page<Message>> {
    const cursor = decodeCursor<SeqCursor>(q.cursor, isSeqCursor);
    if (cursor && filter.parentId && cursor.d !== "asc") {
      throw validationError("cursor", "cursor is not valid");
    }
    const d = cursor?.d ?? direction;
    const rows = await this.context.messages.page(filter, {
      direction: d,
      after: cursor?.s ?? q.after_seq,
      limit: q.limit + 1,
    });
    const pageRows = rows.slice(0, q.limit);
    return {
      data: await hydrateMessages(this.context.knex, pageRows),
      next_cursor:
        rows.length > q.limit ? encodeCursor({ s: Number(pageRows.at(-1)!.seq), d }) : null,
    };
  }

  async getMessage(callerId: string, messageId: unknown): Promise<Message> {
    const id = validate(messageIdSchema, messageId);
    const row = await visibleMessage(this.context, id, callerId);
    const [message] = await hydrateMessages(this.context.knex, [row]);
    return message;
  }

  editMessage(callerId: string, messageId: unknown, input: unknown): Promise<Message> {
    return this.changes.editMessage(callerId, messageId, input);
  }

  deleteMessage(callerId: string, messageId: unknown): Promise<void> {
    return this.changes.deleteMessage(callerId, messageId);
  }

  listEdits(
    callerId: string,
    messageId: unknown,
  ): Promise<{ content: string; edited_at: string }[]> {
    return this.changes.listEdits(callerId, messageId);
  }

  addReaction(
    callerId: string,
    messageId: unknown,
    input: unknown,
  ): Promise<{ created: boolean; message: Message }> {
    return this.reactionService.addReaction(callerId, messageId, input);
  }

  removeReaction(callerId: string, messageId: unknown, emoji: unknown): Promise<void> {
    return this.reactionService.removeReaction(callerId, messageId, emoji);
  }

  markRead(callerId: string, messageId: unknown): Promise<ReadPointer> {
    return this.readService.markRead(callerId, messageId);
  }

  listReceipts(callerId: string, messageId: unknown): Promise<Receipt[]> {
    return this.readService.listReceipts(callerId, messageId);
  }
}
