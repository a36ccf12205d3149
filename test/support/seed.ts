import type { Knex } from "knex";
import { newId } from "../../lib/ids";

/**
 * Direct inserts for suites that need conversations and messages in place without
 * going through the conversation and message APIs (search and files tests).
 */
export async function seedConversation(
  knex: Knex,
  input: { memberIds: string[]; type?: "direct" | "group"; name?: string; description?: string },
): Promise<string> {
  const id = newId();
  const type = input.type ?? "group";
  await knex("conversations").insert({
    id,
    type,
    name: input.name ?? null,
    description: input.description ?? null,
    created_by: input.memberIds[0],
    direct_key: type === "direct" ? [...input.memberIds].sort().join(":") : null,
  });
  await knex("conversation_members").insert(
    input.memberIds.map((userId, index) => ({
      conversation_id: id,
      user_id: userId,
      role: index === 0 ? "owner" : "member",
    })),
  );
  return id;
}

export async function seedMessage(
  knex: Knex,
  input: {
    conversationId: string;
    senderId: string;
    content: string;
    createdAt?: Date;
    fileIds?: string[];
  },
): Promise<string> {
  const id = newId();
  await knex.transaction(async (trx) => {
    const [{ last_seq: seq }] = await trx("conversations")
      .where({ id: input.conversationId })
      .increment("last_seq", 1)
      .returning("last_seq");
    await trx("messages").insert({
      id,
      conversation_id: input.conversationId,
      sender_id: input.senderId,
      seq,
      content: input.content,
      ...(input.createdAt ? { created_at: input.createdAt } : {}),
    });
    if (input.fileIds?.length) {
      await trx("message_attachments").insert(
        input.fileIds.map((fileId, position) => ({ message_id: id, file_id: fileId, position })),
      );
    }
  });
  return id;
}

export async function seedEdit(knex: Knex, messageId: string, content: string): Promise<void> {
  await knex("messages").where({ id: messageId }).update({ content, edited_at: knex.fn.now() });
}

export async function seedDelete(knex: Knex, messageId: string): Promise<void> {
  await knex("messages")
    .where({ id: messageId })
    .update({ content: null, deleted_at: knex.fn.now() });
}
