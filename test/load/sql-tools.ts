import crypto from "node:crypto";
import type { Knex } from "knex";
import { newId } from "../../lib/ids";

export interface BareInsertOptions {
  durationMs: number;
  batchSize: number;
  concurrency: number;
  contents: string[];
}

export interface BareInsertResult {
  rows: number;
  seconds: number;
  rowsPerSec: number;
  batchSize: number;
  concurrency: number;
}

/**
 * Baseline: multi-row INSERTs into the real `messages` table (its indexes included: the
 * GIN search vector and the search B-trees), as fast as `concurrency` lanes go, for
 * `durationMs`.
 * Uses its own throwaway user and conversations and deletes them afterwards.
 */
export async function bareInsert(
  knex: Knex,
  options: BareInsertOptions,
): Promise<BareInsertResult> {
  const tag = crypto.randomBytes(4).toString("hex");
  const userId = newId();
  await knex("users").insert({ id: userId, username: `bare_${tag}`, display_name: "bare insert" });
  const conversationIds = Array.from({ length: options.concurrency }, () => newId());
  await knex("conversations").insert(
    conversationIds.map((id) => ({ id, type: "group", name: `bare ${tag}`, created_by: userId })),
  );
  let rows = 0;
  let finished = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  try {
    await Promise.all(
      conversationIds.map(async (conversationId, lane) => {
        let seq = 0;
        while (performance.now() < deadline) {
          const batch = Array.from({ length: options.batchSize }, () => {
            seq += 1;
            return {
              id: newId(),
              conversation_id: conversationId,
              sender_id: userId,
              seq,
              content: options.contents[seq % options.contents.length],
              metadata: { load: { r: tag, i: seq, t: Date.now(), p: 0 } },
              client_msg_id: `${tag}-${lane}-${seq}`,
            };
          });
          await knex("messages").insert(batch);
          rows += batch.length;
        }
      }),
    );
    finished = performance.now();
  } finally {
    await knex("conversations").whereIn("id", conversationIds).delete();
    await knex("users").where({ id: userId }).delete();
  }
  const seconds = (finished - started) / 1000;
  return {
    rows,
    seconds,
    rowsPerSec: rows / seconds,
    batchSize: options.batchSize,
    concurrency: options.concurrency,
  };
}

export interface SeedCorpusOptions {
  /** Conversations to fill, each with the user ids that may appear as senders. */
  conversations: { id: string; memberIds: string[] }[];
  total: number;
  contents: string[];
  batchSize?: number;
}

/**
 * Fills conversations with `total` messages straight through SQL (gapless seq continuing
 * from `last_seq`), for the search scenario's corpus. Publishes no events: a corpus, not
 * traffic.
 */
export async function seedCorpus(
  knex: Knex,
  options: SeedCorpusOptions,
): Promise<{ rows: number; seconds: number }> {
  const started = performance.now();
  const perConversation = Math.ceil(options.total / options.conversations.length);
  const batchSize = options.batchSize ?? 1000;
  let rows = 0;
  let salt = 0;
  for (const conversation of options.conversations) {
    const want = Math.min(perConversation, options.total - rows);
    if (want <= 0) break;
    const { last_seq: lastSeq } = await knex("conversations")
      .where({ id: conversation.id })
      .first("last_seq");
    for (let done = 0; done < want; done += batchSize) {
      const batch = Array.from({ length: Math.min(batchSize, want - done) }, (_, k) => {
        salt += 7919;
        return {
          id: newId(),
          conversation_id: conversation.id,
          sender_id: conversation.memberIds[salt % conversation.memberIds.length],
          seq: Number(lastSeq) + done + k + 1,
          content: options.contents[salt % options.contents.length],
        };
      });
      await knex("messages").insert(batch);
    }
    await knex("conversations")
      .where({ id: conversation.id })
      .update({ last_seq: Number(lastSeq) + want, last_activity_at: knex.fn.now() });
    rows += want;
  }
  return { rows, seconds: (performance.now() - started) / 1000 };
}
