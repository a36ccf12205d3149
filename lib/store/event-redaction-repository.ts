import { sql, Tx } from "./handles";

/** Fields of a Message replaced in every stored event that carries it. */
export type MessagePatch = Record<string, unknown>;

const CONVERSATION_EVENTS = "type IN ('conversation.created', 'conversation.updated')";
/** A message's message.new has the message's id as its own (see MessageSender). */
const MESSAGE_NEW = "type = 'message.new' AND id = ?";
/** Edits are found through outbox_conversation_changes (by conversation, rare types only). */
const MESSAGE_UPDATED = "type = 'message.updated' AND conversation_id = ?";
const PATCH_DATA = "payload = jsonb_set(payload, '{data}', (payload -> 'data') || ?::jsonb)";

/** What a deleted conversation's stored conversation events keep of it: its id and dates. */
const DELETED_CONVERSATION = { name: null, description: null, metadata: {}, last_message: null };

/**
 * Rewrites the stored events (the outbox, which is the sync log and the relay's queue) when
 * a message's content changes or goes, inside the change's own transaction: the log keeps
 * each message only as it stands now, so `/sync`, a resume and any event not yet published
 * to JetStream carry a tombstone, never deleted text, and an edit's superseded text only
 * where the edit history keeps it. Only `payload` changes; an event's id, position and
 * audience stay, so cursors and delivery are unaffected.
 *
 * Found by primary key (message.new) and through the partial index of
 * knex/migrations/20261206200000_message_event_ids.js (whose predicate matches these).
 */
export class EventRedactionRepository {
  /**
   * Merges `patch` into the Message of every message.new / message.updated of `messageId`,
   * and into `last_message` of the conversation events of `conversationId` that show it.
   */
  async patchMessage(
    trx: Tx,
    conversationId: string,
    messageId: string,
    patch: MessagePatch,
  ): Promise<void> {
    const json = JSON.stringify(patch);
    await sql(trx).raw(`UPDATE outbox SET ${PATCH_DATA} WHERE ${MESSAGE_NEW}`, [json, messageId]);
    await sql(trx).raw(
      `UPDATE outbox SET ${PATCH_DATA} WHERE ${MESSAGE_UPDATED} AND (payload #>> '{data,id}') = ?`,
      [json, conversationId, messageId],
    );
    await sql(trx).raw(
      `UPDATE outbox
       SET payload = jsonb_set(payload, '{data,last_message}',
                               (payload #> '{data,last_message}') || ?::jsonb)
       WHERE ${CONVERSATION_EVENTS} AND conversation_id = ?
         AND (payload #>> '{data,last_message,id}') = ?`,
      [json, conversationId, messageId],
    );
  }

  /**
   * Before a conversation is deleted: every stored message event of its messages becomes a
   * tombstone, and its conversation events lose name, description, metadata and last message.
   */
  async redactConversation(
    trx: Tx,
    conversationId: string,
    tombstone: MessagePatch,
  ): Promise<void> {
    const json = JSON.stringify(tombstone);
    await sql(trx).raw(
      `UPDATE outbox SET ${PATCH_DATA}
       WHERE type = 'message.new' AND id IN (SELECT id FROM messages WHERE conversation_id = ?)`,
      [json, conversationId],
    );
    await sql(trx).raw(`UPDATE outbox SET ${PATCH_DATA} WHERE ${MESSAGE_UPDATED}`, [
      json,
      conversationId,
    ]);
    await sql(trx).raw(
      `UPDATE outbox SET payload = jsonb_set(payload, '{data}', (payload -> 'data') || ?::jsonb)
       WHERE ${CONVERSATION_EVENTS} AND conversation_id = ?`,
      [JSON.stringify(DELETED_CONVERSATION), conversationId],
    );
  }
}
