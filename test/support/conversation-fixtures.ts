import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { newId } from "../../lib/ids";
import type { TestUser } from "./factories";

export interface OutboxRow {
  type: string;
  audience: string[];
  payload: Record<string, any>;
  viewer_fields: Record<string, Record<string, unknown>> | null;
}

/** The outbox rows of a conversation (of one type if given), in insertion order. */
export async function conversationEvents(
  app: App,
  conversationId: string,
  type?: string,
): Promise<OutboxRow[]> {
  const query = app.database
    .knex("outbox")
    .where({ conversation_id: conversationId })
    .orderBy("insert_order")
    .select("type", "audience", "payload", "viewer_fields");
  if (type) query.where({ type });
  return (await query) as OutboxRow[];
}

export const sorted = (ids: string[]): string[] => [...ids].sort();
export const idsOf = (users: TestUser[]): string[] => sorted(users.map((user) => user.id));

/** Creates a group over REST as `owner` with `members`, asserting 201. */
export async function createGroup(
  owner: TestUser,
  members: TestUser[] = [],
  extra: Record<string, unknown> = {},
): Promise<any> {
  const res = await owner.api.post("/api/v1/conversations", {
    type: "group",
    member_ids: members.map((member) => member.id),
    name: "a group",
    ...extra,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

/** Adds a member over REST, asserting 201. */
export async function addMember(
  actor: TestUser,
  conversationId: string,
  user: TestUser,
  role: "admin" | "member" = "member",
): Promise<any> {
  const res = await actor.api.post(`/api/v1/conversations/${conversationId}/members`, {
    user_id: user.id,
    role,
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

/**
 * A message stored the way a send stores it (next seq, activity bumped in the same
 * transaction), for the conversation list's counters without the messages API.
 */
export async function storeMessage(
  app: App,
  conversationId: string,
  senderId: string,
  options: { deleted?: boolean } = {},
): Promise<{ id: string; seq: number }> {
  return app.database.knex.transaction(async (trx) => {
    const [{ last_seq: seq }] = await trx("conversations")
      .where({ id: conversationId })
      .update({ last_seq: trx.raw("last_seq + 1"), last_activity_at: trx.fn.now() })
      .returning("last_seq");
    const id = newId();
    await trx("messages").insert({
      id,
      conversation_id: conversationId,
      sender_id: senderId,
      seq,
      content: options.deleted ? null : `message ${seq}`,
      deleted_at: options.deleted ? trx.fn.now() : null,
    });
    return { id, seq: Number(seq) };
  });
}
