import { notFound, validationError } from "../../errors";
import { hydrateMessages, MessageRow } from "../../store/message-repository";
import { Page, decodeCursor, encodeCursor, validate } from "../../validation";
import type { MessageService } from "../contracts";
import type { Message, ReadPointer, Receipt, ReceiptStatus } from "../types";
import { MessageContext, visibleMessage } from "./message-context";
import { MessageSender } from "./message-sender";
import { MessageChanges } from "./message-changes";
import {
  ListQuery,
  conversationIdSchema,
  listSchema,
  messageIdSchema,
  repliesSchema,
  sendSchema,
} from "./message-schemas";
import { ReactionService } from "./reaction-service";
import { ReadService } from "./read-service";
import { ReadStateService } from "./read-state-service";
import type { Tx } from "../../store/handles";

interface SeqCursor {
  s: number;
  d: "asc" | "desc";
}
const isSeqCursor = (value: unknown): boolean => {
  const v = value as Partial<SeqCursor> | null;
  return Number.isSafeInteger(v?.s) && (v?.d === "asc" || v?.d === "desc");
};

/**
 * Messages: sending (validated and rate limited here, stored by MessageSender), history
 * and threads. Edits, deletes, reactions and read state are delegated.
 */
export class DefaultMessageService implements MessageService {
  private readonly changes: MessageChanges;
  private readonly reactionService: ReactionService;
  private readonly readService: ReadService;
  private readonly sender: MessageSender;
  /** Mark unread, thread pointers, delivered acknowledgements (Services.readState). */
  readonly readStates: ReadStateService;

  constructor(private readonly context: MessageContext) {
    this.readStates = new ReadStateService(context);
    this.changes = new MessageChanges(context);
    this.reactionService = new ReactionService(context);
    this.readService = new ReadService(context);
    this.sender = new MessageSender(context);
  }

  async sendMessage(
    callerId: string,
    conversationId: unknown,
    input: unknown,
  ): Promise<{ message: Message; created: boolean }> {
    const started = performance.now();
    const id = validate(conversationIdSchema, conversationId);
    const body = validate(sendSchema, input);
    // The per-user rate limit is spent by the send batcher, a statement's drafts together.
    this.context.timings?.sendStage("admission", (performance.now() - started) / 1000);
    // Pre-send moderation: the one call in the send flow, skipped when none is configured.
    if (this.context.moderation)
      body.content = await this.context.moderation.reviewSend(callerId, id, body);
    return this.sender.send(callerId, id, body);
  }

  async listMessages(
    callerId: string,
    conversationId: unknown,
    query: unknown,
  ): Promise<Page<Message>> {
    const id = validate(conversationIdSchema, conversationId);
    const q = validate(listSchema, query ?? {});
    if (!(await this.context.members.find(id, callerId))) throw notFound("conversation");
    const page = await this.page(
      { conversationId: id },
      q,
      q.after_seq !== undefined ? "asc" : "desc",
    );
    return this.present(callerId, page);
  }

  async listReplies(callerId: string, messageId: unknown, query: unknown): Promise<Page<Message>> {
    const id = validate(messageIdSchema, messageId);
    const q = validate(repliesSchema, query ?? {});
    await visibleMessage(this.context, id, callerId);
    return this.present(callerId, await this.page({ parentId: id }, q, "asc"));
  }

  /** Messages of people the caller blocked, as configured (blocks.history). */
  private present(callerId: string, page: Page<Message>): Page<Message> {
    const viewer = this.context.viewer;
    return viewer ? { ...page, data: viewer.present(callerId, page.data) } : page;
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
      data: await hydrateMessages(this.context.db, pageRows),
      next_cursor:
        rows.length > q.limit ? encodeCursor({ s: Number(pageRows.at(-1)!.seq), d }) : null,
    };
  }

  async getMessage(callerId: string, messageId: unknown): Promise<Message> {
    const message = await this.snapshot(callerId, messageId);
    return this.context.viewer ? this.context.viewer.present(callerId, [message])[0] : message;
  }

  /** The message as stored, if the caller may see it (reports keep this copy). */
  async snapshot(callerId: string, messageId: unknown): Promise<Message> {
    const id = validate(messageIdSchema, messageId);
    const row = await visibleMessage(this.context, id, callerId);
    const [message] = await hydrateMessages(this.context.db, [row]);
    return message;
  }

  editMessage(callerId: string, messageId: unknown, input: unknown): Promise<Message> {
    return this.changes.editMessage(callerId, messageId, input);
  }

  deleteMessage(callerId: string, messageId: unknown): Promise<void> {
    return this.changes.deleteMessage(callerId, messageId);
  }

  deleteAnyMessage(
    messageId: unknown,
    within: (trx: Tx, row: MessageRow) => Promise<void>,
  ): Promise<void> {
    return this.changes.deleteAnyMessage(messageId, within);
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

  receiptStatus(callerId: string, messageId: unknown): Promise<ReceiptStatus> {
    return this.readService.receiptStatus(callerId, messageId);
  }
}
