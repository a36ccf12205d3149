import type { Knex } from "knex";
import type { ConversationType, Role } from "../domain/types";
import type { MemberRow } from "./member-repository";
import { MESSAGE_COLUMNS, MessageRow } from "./message-repository";
import { Db, dbOf, sql, Tx } from "./handles";

export interface ConversationRow {
  id: string;
  type: ConversationType;
  name: string | null;
  description: string | null;
  metadata: Record<string, unknown>;
  created_by: string | null;
  direct_key: string | null;
  last_seq: number;
  last_activity_at: Date;
  created_at: Date;
  updated_at: Date;
}

/** A row of the caller's list, with its sort key as of the listing's snapshot. */
export interface ListedConversationRow extends ConversationRow {
  /** The activity key (epoch microseconds) the list is ordered by. */
  key_us: number;
  /** The snapshot (epoch microseconds) the whole traversal is ordered as of. */
  snapshot_us: number;
}

export interface ListPosition {
  snapshotUs: number;
  /** The last row of the previous page; absent on the first page. */
  after?: { keyUs: number; id: string };
}

const COLUMNS = [
  "id",
  "type",
  "name",
  "description",
  "metadata",
  "created_by",
  "direct_key",
  "last_seq",
  "last_activity_at",
  "created_at",
  "updated_at",
];

const epochUs = (column: string) => `(extract(epoch from ${column}) * 1000000)::bigint`;

/**
 * A conversation's activity as of the snapshot: last_activity_at when it has not moved
 * since, else the time of its newest message sent at or before the snapshot (message sends
 * set last_activity_at to their own created_at), else its creation. Fixed for the whole
 * traversal, which is what makes paging visit every conversation exactly once.
 */
const ACTIVITY_AS_OF_SNAPSHOT = `
  CASE WHEN ${epochUs("c.last_activity_at")} <= snap.t THEN ${epochUs("c.last_activity_at")}
  ELSE ${epochUs(`coalesce((
    SELECT m.created_at FROM messages m
    WHERE m.conversation_id = c.id AND ${epochUs("m.created_at")} <= snap.t
    ORDER BY m.seq DESC LIMIT 1), c.created_at)`)}
  END`;

/** conversations and the membership writes that go with them. */
export class ConversationRepository {
  constructor(private readonly knex: Knex) {}

  async findById(id: string, db: Db = dbOf(this.knex)): Promise<ConversationRow | undefined> {
    return (await sql(db)("conversations").where({ id }).first(COLUMNS)) as
      ConversationRow | undefined;
  }

  /** Locks the row until commit: membership changes of one conversation run one at a time. */
  async lock(id: string, trx: Tx): Promise<ConversationRow | undefined> {
    return (await sql(trx)("conversations").where({ id }).forUpdate().first(COLUMNS)) as
      ConversationRow | undefined;
  }

  async findByDirectKey(key: string, db: Db): Promise<ConversationRow | undefined> {
    return (await sql(db)("conversations").where({ direct_key: key }).first(COLUMNS)) as
      ConversationRow | undefined;
  }

  /** Inserts; undefined when a direct conversation of that pair already exists. */
  async insert(
    row: Pick<ConversationRow, "id" | "type" | "name" | "description" | "metadata"> & {
      created_by: string;
      direct_key: string | null;
    },
    trx: Tx,
  ): Promise<ConversationRow | undefined> {
    const [inserted] = (await sql(trx)("conversations")
      .insert({ ...row, metadata: JSON.stringify(row.metadata) })
      .onConflict("direct_key")
      .ignore()
      .returning(COLUMNS)) as ConversationRow[];
    return inserted;
  }

  async update(
    id: string,
    patch: Partial<Pick<ConversationRow, "name" | "description" | "metadata">>,
    trx: Tx,
  ): Promise<ConversationRow> {
    const values: Record<string, unknown> = { ...patch, updated_at: sql(trx).fn.now() };
    if (patch.metadata !== undefined) values.metadata = JSON.stringify(patch.metadata);
    const [row] = (await sql(trx)("conversations")
      .where({ id })
      .update(values)
      .returning(COLUMNS)) as ConversationRow[];
    return row;
  }

  /** Hard delete; members, messages and everything hanging off them cascade. */
  async delete(id: string, trx: Tx): Promise<void> {
    await sql(trx)("conversations").where({ id }).delete();
  }

  async insertMembers(
    conversationId: string,
    members: { user_id: string; role: Role }[],
    trx: Tx,
  ): Promise<MemberRow[]> {
    if (members.length === 0) return [];
    return (await sql(trx)("conversation_members")
      .insert(members.map((member) => ({ conversation_id: conversationId, ...member })))
      .returning("*")) as MemberRow[];
  }

  async setRole(conversationId: string, userId: string, role: Role, trx: Tx): Promise<void> {
    await sql(trx)("conversation_members")
      .where({ conversation_id: conversationId, user_id: userId })
      .update({ role });
  }

  async deleteMember(conversationId: string, userId: string, trx: Tx): Promise<void> {
    await sql(trx)("conversation_members")
      .where({ conversation_id: conversationId, user_id: userId })
      .delete();
  }

  /** Ids among `ids` that are registered users. */
  async existingUserIds(ids: string[], db: Db): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = (await sql(db)("users")
      .whereIn("id", ids)
      .whereNull("deleted_at")
      .select("id")) as {
      id: string;
    }[];
    return new Set(rows.map((row) => row.id));
  }

  /**
   * One page of the user's conversations, most recent activity first (id breaks ties),
   * ordered as of `position.snapshotUs` (the first page's time when absent).
   */
  async pageForUser(
    userId: string,
    limit: number,
    position: Partial<ListPosition>,
    db: Db = dbOf(this.knex),
  ): Promise<ListedConversationRow[]> {
    const snapshot =
      position.snapshotUs === undefined
        ? `(extract(epoch from now()) * 1000000)::bigint`
        : "?::bigint";
    const bindings: (string | number)[] =
      position.snapshotUs === undefined ? [] : [position.snapshotUs];
    bindings.push(userId);
    let after = "";
    if (position.after) {
      after = "AND (k.key_us, c.id) < (?::bigint, ?::uuid)";
      bindings.push(position.after.keyUs, position.after.id);
    }
    bindings.push(limit);
    const columns = COLUMNS.map((column) => `c.${column}`).join(", ");
    const result = await sql(db).raw(
      `WITH snap AS (SELECT ${snapshot} AS t)
       SELECT ${columns}, k.key_us, snap.t AS snapshot_us
       FROM conversation_members mine
       JOIN conversations c ON c.id = mine.conversation_id
       CROSS JOIN snap
       CROSS JOIN LATERAL (SELECT ${ACTIVITY_AS_OF_SNAPSHOT} AS key_us) k
       WHERE mine.user_id = ? ${after}
       ORDER BY k.key_us DESC, c.id DESC
       LIMIT ?`,
      bindings,
    );
    return (result.rows as ListedConversationRow[]).map((row) => ({
      ...row,
      key_us: Number(row.key_us),
      snapshot_us: Number(row.snapshot_us),
    }));
  }

  /** The newest message (tombstones included) of each conversation, by its last_seq. */
  async lastMessageRows(
    conversations: Pick<ConversationRow, "id" | "last_seq">[],
    db: Db = dbOf(this.knex),
  ): Promise<MessageRow[]> {
    const pairs = conversations
      .filter((row) => Number(row.last_seq) > 0)
      .map((row) => [row.id, Number(row.last_seq)]);
    if (pairs.length === 0) return [];
    return (await sql(db)("messages")
      .whereIn(["conversation_id", "seq"], pairs)
      .select(MESSAGE_COLUMNS)) as MessageRow[];
  }
}
