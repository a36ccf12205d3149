import type { Knex } from "knex";
import { Db, sql } from "./handles";

export type BlockKind = "block" | "mute";

export interface BlockRow {
  blocker_id: string;
  blocked_id: string;
  kind: BlockKind;
  created_at: Date;
}

/** `user_blocks`: who blocked or muted whom. */
export class BlockRepository {
  constructor(private readonly knex: Knex) {}

  /** Every block (each node loads them at start: a map lookup per delivery afterwards). */
  async all(): Promise<BlockRow[]> {
    return (await this.knex("user_blocks").select("*")) as BlockRow[];
  }

  /** Inserts or changes the kind; returns the row and whether anything changed. */
  async upsert(
    blockerId: string,
    blockedId: string,
    kind: BlockKind,
    db: Db,
  ): Promise<{ row: BlockRow; changed: boolean }> {
    const current = (await sql(db)("user_blocks")
      .where({ blocker_id: blockerId, blocked_id: blockedId })
      .forUpdate()
      .first()) as BlockRow | undefined;
    if (current?.kind === kind) return { row: current, changed: false };
    const [row] = (await sql(db)("user_blocks")
      .insert({ blocker_id: blockerId, blocked_id: blockedId, kind })
      .onConflict(["blocker_id", "blocked_id"])
      .merge({ kind })
      .returning("*")) as BlockRow[];
    return { row, changed: true };
  }

  async remove(blockerId: string, blockedId: string, db: Db): Promise<BlockRow | undefined> {
    const [row] = (await sql(db)("user_blocks")
      .where({ blocker_id: blockerId, blocked_id: blockedId })
      .delete()
      .returning("*")) as BlockRow[];
    return row;
  }

  /** The blocker's list, newest first, after `beforeCreated`/`beforeId` (keyset). */
  async page(blockerId: string, limit: number, after?: string): Promise<BlockRow[]> {
    const query = this.knex("user_blocks")
      .where({ blocker_id: blockerId })
      .orderBy("blocked_id")
      .limit(limit);
    if (after) query.where("blocked_id", ">", after);
    return (await query) as BlockRow[];
  }

  /** Every block by or of the user (an account deletion removes them). */
  async removeAllOf(userId: string, db: Db): Promise<BlockRow[]> {
    return (await sql(db)("user_blocks")
      .where({ blocker_id: userId })
      .orWhere({ blocked_id: userId })
      .delete()
      .returning("*")) as BlockRow[];
  }
}
