import crypto from "node:crypto";
import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { newId } from "../../lib/ids";
import type { TestUser } from "./factories";

/**
 * Creates a conversation straight in the database (the first user is the owner), for
 * suites that test messages without depending on the conversations API.
 */
export async function seedConversation(
  app: App,
  users: TestUser[],
  options: { type?: "direct" | "group"; roles?: Record<string, "owner" | "admin" | "member"> } = {},
): Promise<string> {
  const id = newId();
  const type = options.type ?? "group";
  const knex = app.database.knex;
  await knex("conversations").insert({
    id,
    type,
    name: type === "group" ? `group ${id.slice(-6)}` : null,
    created_by: users[0].id,
    direct_key:
      type === "direct"
        ? users
            .map((u) => u.id)
            .sort()
            .join(":")
        : null,
  });
  await knex("conversation_members").insert(
    users.map((user, index) => ({
      conversation_id: id,
      user_id: user.id,
      role: options.roles?.[user.id] ?? (index === 0 ? "owner" : "member"),
    })),
  );
  return id;
}

/** A file row owned by `uploaderId` (the bytes are not needed to attach it). */
export async function seedFile(app: App, uploaderId: string): Promise<string> {
  const id = newId();
  await app.database.knex("files").insert({
    id,
    uploader_id: uploaderId,
    filename: `note-${id.slice(-4)}.txt`,
    content_type: "text/plain",
    size: 5,
    sha256: crypto.createHash("sha256").update(id).digest("hex"),
    storage_key: `test/${id}`,
  });
  return id;
}

export interface StoredEvent {
  type: string;
  audience: string[];
  payload: Record<string, any>;
}

/** The outbox rows of a conversation (of one type if given), in insertion order. */
export async function outboxEvents(
  app: App,
  conversationId: string,
  type?: string,
): Promise<StoredEvent[]> {
  const query = app.database
    .knex("outbox")
    .where({ conversation_id: conversationId })
    .orderBy("insert_order")
    .select("type", "audience", "payload");
  if (type) query.where({ type });
  return (await query) as StoredEvent[];
}

/** Sends a message over REST and returns it (asserting 201). */
export async function send(
  user: TestUser,
  conversationId: string,
  body: Record<string, unknown> | string,
): Promise<any> {
  const res = await user.api.post(
    `/api/v1/conversations/${conversationId}/messages`,
    typeof body === "string" ? { content: body } : body,
  );
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

export const sortedIds = (users: TestUser[]): string[] => users.map((u) => u.id).sort();
