import type { EventBus } from "../../events/event-bus";
import type { EventBody } from "../../events/event-bus";
import type { TransactionRunner } from "../../event-log/transaction-runner";
import type { FileStorage } from "../../files/file-storage";
import type { Logger } from "../../logger";
import type {
  AccountJobRepository,
  AccountJobRow,
  JobUpdate,
} from "../../store/account-job-repository";
import type { ErasureRepository } from "../../store/erasure-repository";
import type { EventRedactionRepository } from "../../store/event-redaction-repository";
import type { MemberRepository } from "../../store/member-repository";
import type { ConversationService } from "../contracts";
import { patchEach } from "../messages/redact-many";
import { tombstonePatch } from "../messages/tombstone";
import type { JobHandler } from "./account-job-runner";
import { Db, transaction } from "../../store/handles";

/** The steps of an erasure, in order; each runs in bounded batches until it has nothing left. */
const STEPS = [
  "memberships",
  "messages",
  "reactions",
  "receipts",
  "files",
  "exports",
  "reports",
  "stream",
] as const;
type Step = (typeof STEPS)[number];

export interface AccountEraserDeps {
  db: Db;
  transactions: TransactionRunner;
  erasure: ErasureRepository;
  redactions: EventRedactionRepository;
  members: MemberRepository;
  conversations: Pick<ConversationService, "removeMember">;
  storage: FileStorage;
  jobs: AccountJobRepository;
  bus: Pick<EventBus, "erase">;
  /** The log's head, and how far the relay has published it (the broker's copy). */
  head(): Promise<number>;
  publishedThrough(): Promise<number>;
  /** `accounts.deleted_messages`. */
  mode: "erase" | "keep";
  batchSize: number;
  logger: Logger;
}

/**
 * The background part of an account's deletion (the `erase` job), after the profile was
 * emptied and the tokens refused in the deletion's own transaction. Every step is idempotent
 * and resumable: memberships are left (ownership handed over, a group keeps an owner), then
 * in `erase` mode the messages become tombstones everywhere the log holds them (message.deleted
 * to the members) and the reactions go; in both modes read receipts, uploaded files (rows and
 * bytes), exports, report notes and copies, webhook dead letters and, last, the broker's
 * published copies (after the relay has published the rewritten log) go.
 */
export class AccountEraser implements JobHandler {
  constructor(private readonly deps: AccountEraserDeps) {}

  async step(job: AccountJobRow): Promise<JobUpdate> {
    const step = (job.progress.step as Step | undefined) ?? STEPS[0];
    const userId = job.user_id;
    const more = await this.run(step, userId, job);
    if (more === true) return { progress: { ...job.progress, step } };
    if (typeof more === "object") return more;
    const next = STEPS[STEPS.indexOf(step) + 1];
    if (next) return { progress: { ...job.progress, step: next } };
    await this.deps.erasure.markErased(userId);
    return { status: "done", progress: { step: "done" } };
  }

  /** @returns true when the step has more to do, a JobUpdate to wait, false when it is done */
  private async run(step: Step, userId: string, job: AccountJobRow): Promise<boolean | JobUpdate> {
    const erase = this.deps.mode === "erase";
    switch (step) {
      case "memberships":
        return this.leaveConversations(userId);
      case "messages":
        return erase && (await this.tombstoneMessages(userId));
      case "reactions":
        return erase && (await this.removeReactions(userId));
      case "receipts":
        await this.deps.erasure.deleteReceipts(userId, this.deps.db);
        return false;
      case "files":
        return this.deleteFiles(userId, erase);
      case "exports":
        await this.deleteExports(userId);
        return false;
      case "reports":
        if (erase) await this.redactCopies(userId);
        return false;
      case "stream":
        return erase ? this.eraseStream(userId, job) : false;
    }
  }

  private async leaveConversations(userId: string): Promise<boolean> {
    const ids = await this.deps.members.conversationIds(userId);
    for (const conversationId of ids.slice(0, this.deps.batchSize)) {
      await this.deps.conversations.removeMember(userId, conversationId, userId).catch((error) => {
        if ((error as { code?: string }).code !== "not_found") throw error;
      });
    }
    return ids.length > this.deps.batchSize;
  }

  private async tombstoneMessages(userId: string): Promise<boolean> {
    const { erasure, redactions, members, batchSize } = this.deps;
    return this.deps.transactions.run(async ({ trx, emit }) => {
      const erased = await erasure.tombstoneMessages(userId, batchSize, trx);
      if (erased.length === 0) return false;
      const deletedAt = new Date(erased[0].deleted_at).toISOString();
      await patchEach(redactions, trx, erased, tombstonePatch(deletedAt));
      const audiences = new Map<string, string[]>();
      for (const message of erased) {
        let audience = audiences.get(message.conversation_id);
        if (!audience) {
          audience = await members.memberIds(message.conversation_id, trx);
          audiences.set(message.conversation_id, audience);
        }
        emit({
          type: "message.deleted",
          conversationId: message.conversation_id,
          audience,
          frame: {
            type: "message.deleted",
            data: {
              id: message.id,
              conversation_id: message.conversation_id,
              seq: Number(message.seq),
              deleted_at: new Date(message.deleted_at).toISOString(),
            },
          },
        });
      }
      return erased.length === batchSize;
    });
  }

  private async removeReactions(userId: string): Promise<boolean> {
    const { erasure, members, batchSize } = this.deps;
    return this.deps.transactions.run(async ({ trx, emit }) => {
      const removed = await erasure.deleteReactions(userId, batchSize, trx);
      for (const reaction of removed) {
        const data = { ...reaction, user_id: userId };
        emit({
          type: "reaction.removed",
          conversationId: reaction.conversation_id,
          audience: await members.memberIds(reaction.conversation_id, trx),
          frame: { type: "reaction.removed", data },
        });
      }
      return removed.length === batchSize;
    });
  }

  /** Rows first (nobody can reach the bytes after), then the bytes; kept messages lose them. */
  private async deleteFiles(userId: string, erase: boolean): Promise<boolean> {
    const { erasure, redactions, batchSize, storage } = this.deps;
    const files = await this.deps.transactions.run(async ({ trx }) => {
      const found = await erasure.filesOf(userId, batchSize, trx);
      if (!erase) await patchEach(redactions, trx, found.messages, { attachments: [] });
      await erasure.deleteFiles(
        found.files.map((file) => file.id),
        trx,
      );
      return found.files;
    });
    for (const file of files) await storage.delete(file.storage_key);
    return files.length === batchSize;
  }

  private async deleteExports(userId: string): Promise<void> {
    const exports = await this.deps.jobs.exportsOf(userId);
    for (const job of exports) {
      const key = job.result?.storage_key;
      if (typeof key === "string") await this.deps.storage.delete(key);
    }
    await this.deps.jobs.delete(exports.map((job) => job.id));
  }

  private async redactCopies(userId: string): Promise<void> {
    const deletedAt = new Date().toISOString();
    await transaction(this.deps.db, async (trx) => {
      await this.deps.erasure.redactReports(userId, deletedAt, trx);
      await this.deps.erasure.redactDeadLetters(userId, tombstonePatch(deletedAt), trx);
    });
  }

  /**
   * Once the relay has published everything up to the head (the rewritten events included),
   * the broker's earlier copies of the user's messages are erased.
   */
  private async eraseStream(userId: string, job: AccountJobRow): Promise<boolean | JobUpdate> {
    const { bus } = this.deps;
    if (!bus.erase) return false;
    const target = Number(job.progress.stream_after ?? (await this.deps.head()));
    if ((await this.deps.publishedThrough()) < target) {
      return { progress: { ...job.progress, step: "stream", stream_after: target }, delayMs: 500 };
    }
    const erased = await bus.erase({
      subjects: ["message.*", "conversation.*"],
      since: await this.deps.erasure.createdAt(userId),
      match: (body) => carriesTextOf(body, userId),
    });
    this.deps.logger.info("erased a deleted account's events from the broker", {
      user_id: userId,
      erased,
    });
    return false;
  }
}

/** A published event that carries a message of the user (its text): itself, or as last message. */
function carriesTextOf(body: EventBody, userId: string): boolean {
  const data = body.data as
    | { sender_id?: string; content?: unknown; last_message?: { sender_id?: string } | null }
    | undefined;
  if (body.type === "message.new" || body.type === "message.updated") {
    return data?.sender_id === userId;
  }
  if (body.type === "conversation.created" || body.type === "conversation.updated") {
    return data?.last_message?.sender_id === userId;
  }
  return false;
}
