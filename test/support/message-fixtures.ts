import crypto from "node:crypto";
import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { newId } from "../../lib/ids";
import type { TestUser } from "./factories";

/**
 * Creates a conversation over REST as the first user (its owner) with the others as
 * members; `roles` makes some of them admins (added one by one, with that role).
 */
export async function openConversation(
  users: TestUser[],
  options: { type?: "direct" | "group"; roles?: Record<string, "admin" | "member"> } = {},
): Promise<string> {
  const [owner, ...others] = users;
  const type = options.type ?? "group";
  const roles = options.roles ?? {};
  const initial = others.filter((user) => !roles[user.id]);
  const res = await owner.api.post("/api/v1/conversations", {
    type,
    member_ids: initial.map((user) => user.id),
    ...(type === "group" ? { name: "a group" } : {}),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  for (const user of others.filter((u) => roles[u.id])) {
    const added = await owner.api.post(`/api/v1/conversations/${res.body.id}/members`, {
      user_id: user.id,
      role: roles[user.id],
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
  }
  return res.body.id;
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

/** The outbox rows of a conversation: one helper, shared with the conversation suites. */
export { conversationEvents as outboxEvents } from "./conversation-fixtures";

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
