import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { Knex } from "knex";
import type { App } from "../../lib/app";
import type { TestUser } from "./factories";

/** Whose stored rows an attack must leave alone. */
export interface StoredScope {
  userIds: string[];
  conversationIds: string[];
}

/** Every stored row of the scope, per table, as sorted JSON lines (plus the event count). */
export type StoredState = Record<string, string[]>;

const rows = async (query: Knex.QueryBuilder): Promise<string[]> =>
  ((await query) as unknown[]).map((row) => JSON.stringify(row)).sort();

/** Reads what is stored for the scope's users and conversations. */
export async function storedState(app: App, scope: StoredScope): Promise<StoredState> {
  const knex = app.database.knex;
  const { userIds, conversationIds } = scope;
  const messageIds = knex("messages")
    .whereIn("conversation_id", conversationIds)
    .orWhereIn("sender_id", userIds)
    .select("id");
  const byMessage = (table: string) => rows(knex(table).whereIn("message_id", messageIds));
  const [outbox] = await knex("outbox")
    .whereIn("conversation_id", conversationIds)
    .count({ n: "*" });
  return {
    users: await rows(knex("users").whereIn("id", userIds)),
    conversations: await rows(knex("conversations").whereIn("id", conversationIds)),
    members: await rows(
      knex("conversation_members")
        .whereIn("conversation_id", conversationIds)
        .orWhereIn("user_id", userIds),
    ),
    messages: await rows(knex("messages").whereIn("id", messageIds)),
    message_edits: await byMessage("message_edits"),
    message_attachments: await byMessage("message_attachments"),
    message_reactions: await byMessage("message_reactions"),
    message_read_receipts: await byMessage("message_read_receipts"),
    files: await rows(knex("files").whereIn("uploader_id", userIds)),
    events: [String(outbox.n)],
  };
}

/**
 * Asserts that nothing stored for the scope changed since `before`: with `allowAdded`, every
 * row of `before` is still there unchanged (new rows are fine), else the state is equal.
 * `ignore` names tables a legitimate request in between updates (a send moves
 * `conversations.last_seq` and the sender's read pointer in `members`).
 */
export async function assertStoreUnchanged(
  app: App,
  scope: StoredScope,
  before: StoredState,
  options: { allowAdded?: boolean; ignore?: string[] } = {},
): Promise<void> {
  const after = await storedState(app, scope);
  for (const [table, lines] of Object.entries(before)) {
    if (options.ignore?.includes(table)) continue;
    if (!options.allowAdded) assert.deepEqual(after[table], lines, `${table} changed`);
    else if (table !== "events") {
      const kept = new Set(after[table]);
      for (const line of lines) assert.ok(kept.has(line), `${table} row changed: ${line}`);
    }
  }
}

/** Every file (relative path) below `dir`, for "no file stored" checks. */
export function filesBelow(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((entry) => fs.statSync(path.join(dir, entry)).isFile())
    .sort();
}

/** The service is still healthy after an attack: /healthz and a normal request answer 200. */
export async function assertServing(url: string, user: TestUser): Promise<void> {
  assert.equal((await fetch(`${url}/healthz`)).status, 200, "/healthz after the attack");
  const me = await user.api.get("/api/v1/users/me");
  assert.equal(me.status, 200, "a normal request after the attack");
  assert.equal(me.body.id, user.id);
}
