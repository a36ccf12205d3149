import type { App } from "../../lib/app";
import type { EventDraft } from "../../lib/events/event-types";
import { newId } from "../../lib/ids";

/** Records stored events the way a service does (one transaction through the outbox). */
export async function recordEvents(app: App, drafts: EventDraft[]): Promise<void> {
  await app.events.transactions.run(async ({ emit }) => drafts.forEach(emit));
}

/** A message.new draft for `audience`, with a unique content to find it by. */
export function messageDraft(audience: string[], content = `hello ${newId()}`): EventDraft {
  const conversationId = newId();
  return {
    type: "message.new",
    conversationId,
    audience,
    frame: {
      type: "message.new",
      data: { id: newId(), conversation_id: conversationId, sender_id: audience[0], content },
    },
  };
}

/** A group conversation written straight to the tables (until conversations have a service). */
export async function insertConversation(app: App, memberIds: string[]): Promise<string> {
  const id = newId();
  await app.database.knex.transaction(async (trx) => {
    await trx("conversations").insert({
      id,
      type: "group",
      name: "test",
      created_by: memberIds[0],
    });
    await trx("conversation_members").insert(
      memberIds.map((userId, index) => ({
        conversation_id: id,
        user_id: userId,
        role: index === 0 ? "owner" : "member",
      })),
    );
  });
  return id;
}

/** Short presence timings for tests (the offline grace must match GRACE_MS users). */
export const FAST_PRESENCE = { presence: { ttl: "1500ms", offline_grace: "300ms" } };
