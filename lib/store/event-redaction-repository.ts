import type { Knex } from "knex";

/** Fields of a Message replaced in every stored event that carries it. */
export type MessagePatch = Record<string, unknown>;

const MESSAGE_EVENTS = "type IN ('message.new', 'message.updated')";
const CONVERSATION_EVENTS = "type IN ('conversation.created', 'conversation.updated')";

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
 * Found through the partial expression indexes of
 * knex/migrations/20261206140000_outbox_redaction_indexes.js (whose predicates match these).
 */
export class EventRedactionRepository {
  /**
   * Merges `patch` into the Message of every message.new / message.updated of `messageId`,
   * and into `last_message` of the conversation events of `conversationId` that show it.
   */
  async patchMessage(
    trx: Knex.Transaction,
    conversationId: string,
    messageId: string,
    patch: MessagePatch,
  ): Promise<void> {
    const json = JSON.stringify(patch);
    await trx.raw(
      `UPDATE outbox SET payload = jsonb_set(payload, '{data}', (payload -> 'data') || ?::jsonb)
       WHERE ${MESSAGE_EVENTS} AND (payload #>> '{data,id}') = ?`,
      [json, messageId],
    );
    await trx.raw(
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
    trx: Knex.Transaction,
    conversationId: string,
    tombstone: MessagePatch,
  ): Promise<void> {
    await trx.raw(
      `UPDATE outbox SET payload = jsonb_set(payload, '{data}', (payload -> 'data') || ?::jsonb)
       WHERE ${MESSAGE_EVENTS} AND (payload #>> '{data,id}') IN (
         SELECT id::text FROM messages WHERE conversation_id = ?)`,
      [JSON.stringify(tombstone), conversationId],
    );
    await trx.raw(
      `UPDATE outbox SET payload = jsonb_set(payload, '{data}', (payload -> 'data') || ?::jsonb)
       WHERE ${CONVERSATION_EVENTS} AND conversation_id = ?`,
      [JSON.stringify(DELETED_CONVERSATION), conversationId],
    );
  }
}
