import Joi from "joi";
import { notFound, validationError } from "../../errors";
import type { TransactionRunner, UnitOfWork } from "../../event-log/transaction-runner";
import type { BlockRepository, BlockRow } from "../../store/block-repository";
import type { UserRepository } from "../../store/user-repository";
import { Page, decodeCursor, encodeCursor, pageQuery, uuid, validate } from "../../validation";
import type { BlockCache } from "./block-cache";

/** One block as its owner sees it. */
export interface Block {
  user_id: string;
  blocked_user_id: string;
  /** `block`: also no new direct conversation between the two; `mute`: delivery only. */
  kind: "block" | "mute";
  created_at: string;
}

const blockSchema = Joi.object({
  user_id: uuid().required(),
  kind: Joi.string().valid("block", "mute").default("block"),
});
const userIdSchema = uuid().required().label("userId");
const listSchema = Joi.object({ ...pageQuery });

export const toBlock = (row: BlockRow): Block => ({
  user_id: row.blocker_id,
  blocked_user_id: row.blocked_id,
  kind: row.kind,
  created_at: new Date(row.created_at).toISOString(),
});

/**
 * Blocking and muting people. A block or mute stops the other person's messages, edits,
 * reactions, typing and presence from reaching the blocker (live, on resume and in sync),
 * keeps their messages out of the blocker's search and marks them in history; a block also
 * refuses a direct conversation between the two. The blocked person is never told: the
 * events go to the blocker alone.
 */
export class BlockService {
  constructor(
    private readonly deps: {
      blocks: BlockRepository;
      users: UserRepository;
      transactions: TransactionRunner;
      cache: BlockCache;
    },
  ) {}

  /** @returns the block and whether it is new or changed (201) or was already so (200) */
  async block(callerId: string, input: unknown): Promise<{ block: Block; created: boolean }> {
    const body = validate(blockSchema, input) as { user_id: string; kind: "block" | "mute" };
    const targetId = body.user_id.toLowerCase();
    if (targetId === callerId) throw validationError("user_id", "you cannot block yourself");
    const target = await this.deps.users.findById(targetId);
    if (!target || target.deleted_at) throw notFound("user");
    const { row, changed } = await this.deps.transactions.run(async (uow) => {
      const result = await this.deps.blocks.upsert(callerId, targetId, body.kind, uow.trx);
      if (result.changed) this.announce(uow, "block.added", toBlock(result.row));
      return result;
    });
    this.deps.cache.set(callerId, targetId, row.kind);
    return { block: toBlock(row), created: changed };
  }

  async unblock(callerId: string, userId: unknown): Promise<void> {
    const targetId = validate(userIdSchema, userId).toLowerCase();
    await this.deps.transactions.run(async (uow) => {
      const row = await this.deps.blocks.remove(callerId, targetId, uow.trx);
      if (!row) throw notFound("block");
      this.announce(uow, "block.removed", { user_id: callerId, blocked_user_id: targetId });
    });
    this.deps.cache.set(callerId, targetId, null);
  }

  async list(callerId: string, query: unknown): Promise<Page<Block>> {
    const q = validate(listSchema, query ?? {});
    const after = decodeCursor<{ b: string }>(
      q.cursor,
      (v) => typeof (v as { b?: unknown })?.b === "string",
    );
    const rows = await this.deps.blocks.page(callerId, q.limit + 1, after?.b);
    const page = rows.slice(0, q.limit);
    return {
      data: page.map(toBlock),
      next_cursor: rows.length > q.limit ? encodeCursor({ b: page.at(-1)!.blocked_id }) : null,
    };
  }

  /** To the blocker's own connections only (their other devices learn of it). */
  private announce(uow: UnitOfWork, type: "block.added" | "block.removed", data: object): void {
    const blockerId = (data as { user_id: string }).user_id;
    uow.emit({ type, conversationId: null, audience: [blockerId], frame: { type, data } });
  }
}
