import type { TransactionRunner } from "../../event-log/transaction-runner";
import type { MemberRepository } from "../../store/member-repository";
import type { EventRedactionRepository } from "../../store/event-redaction-repository";
import type { MessageRepository, VisibleMessageRow } from "../../store/message-repository";
import type { ReactionRepository } from "../../store/reaction-repository";
import type { ReadStateRepository } from "../../store/read-state-repository";
import type { SendBatcher } from "./send-batcher";
import type { SendStage } from "../../metrics";
import type { SendInput } from "./message-schemas";
import type { MessagePresenter } from "../types";
import { notFound } from "../../errors";
import type { Db } from "../../store/handles";

/** What the message services share: the pool, the transaction runner, the repositories. */
export interface MessageContext {
  db: Db;
  transactions: TransactionRunner;
  members: MemberRepository;
  messages: MessageRepository;
  /** Rewrites stored events when a message is edited or deleted (delete means gone). */
  redactions: EventRedactionRepository;
  reactions: ReactionRepository;
  readState: ReadStateRepository;
  /** Where every send is stored (batched with concurrent ones). */
  sends: SendBatcher;
  /** Where sends spend their time (lib/metrics.ts). */
  timings?: { sendStage(stage: SendStage, seconds: number): void };
  /** The per-user budget of `@all` messages; a refusal throws rate_limited. */
  mentionAllLimit?: { consumeMentionAll(userId: string): Promise<unknown> };
  /** Pre-send moderation (lib/moderation); absent when none is configured: sends skip it. */
  moderation?: MessageModeration;
  /** How a reader sees messages of people they blocked (history, threads, one message). */
  viewer?: MessagePresenter;
}

/** Reviews content before it is stored: the content to store, or a throw (`rejected`, `unavailable`). */
export interface MessageModeration {
  reviewSend(senderId: string, conversationId: string, draft: SendInput): Promise<string>;
  reviewEdit(
    senderId: string,
    conversationId: string,
    messageId: string,
    content: string,
  ): Promise<string>;
}

/**
 * The message if the caller is a member of its conversation; anything else is not_found,
 * so a non-member cannot tell a hidden message from a missing one.
 */
export async function visibleMessage(
  context: MessageContext,
  messageId: string,
  callerId: string,
  db: Db = context.db,
  lock = false,
): Promise<VisibleMessageRow> {
  const row = await context.messages.findVisible(messageId, callerId, db, lock);
  if (!row) throw notFound("message");
  return row;
}
