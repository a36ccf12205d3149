import type { Knex } from "knex";
import type { EventFrame, SequencedEvent } from "../events/event-types";
import { EventLogMode, keepsPlans } from "../event-log/event-log";
import { positionsCte } from "../event-log/event-rows";
import { mappingErrors } from "./store-errors";

/** One message to store, with its `message.new` frame (seq, created_at, parent_id patched in SQL). */
export interface MessageDraft {
  id: string;
  eventId: string;
  conversationId: string;
  senderId: string;
  content: string;
  metadata: Record<string, unknown>;
  /** The message replied to; stored as its thread root. */
  parentId: string | null;
  clientMsgId: string | null;
  fileIds: string[];
  /** Lower-case `@names` of the content; only the conversation's members resolve. */
  mentionNames: string[];
  /** `@all` by a sender allowed to use it: every other member, in a group only. */
  mentionAll: boolean;
  frame: EventFrame;
}

/** What a batch stored: the accepted drafts' values, and their numbered events. */
export interface StoredBatch {
  messages: Map<string, StoredMessage>;
  /** `message.new` of each accepted draft, already numbered (position order). */
  events: SequencedEvent[];
}

/** What the database decided for an accepted draft. */
export interface StoredMessage {
  id: string;
  seq: number;
  /** ISO 8601 in UTC with milliseconds, as in the frame. */
  created_at: string;
  parent_id: string | null;
  /** The members the message mentions (never the sender), by id. */
  mentions: string[];
}

/** A returned row: the decided values and the event's, as text so `pg` parses no dates or arrays. */
interface StoredRow extends Omit<StoredMessage, "mentions"> {
  /** Mentioned ids joined by commas ('' for none). */
  mentions: string;
  event_id: string;
  position: number;
  /** Member ids joined by commas. */
  audience: string;
  occurred_at: string;
}

const UTC_ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * Stores a batch of messages in ONE statement (so one round trip and one commit), with
 * their outbox events: the transactional outbox without an explicit transaction.
 *
 * A draft is accepted when its sender is a member, its parent (if any) is a message of
 * the same conversation, and its client_msg_id is unused; the others are left out and
 * the caller finds out why. Each conversation's last_seq moves by the number accepted,
 * under its row lock (taken in id order, so two batches cannot deadlock on each other),
 * so seqs stay gapless: a failed statement gives every number back.
 *
 * The events are numbered here too, so the messages reach clients without waiting for a
 * sequencer round trip: positions come from the event log's one fragment (positionsCte),
 * whose lock on the state row is taken after the conversations' locks and held to the
 * commit, so positions become visible strictly in order, as the sequencer's do; positions
 * follow (conversation, seq), so events of one conversation keep seq order. The sender
 * announces them through the sequencer (Sequencer.announce).
 *
 * The statement is prepared once per connection, so its plan must be right for every
 * batch whatever the statistics say: each check is a LATERAL lookup with LIMIT 1 and every
 * update names its keys as an array, so all of it is index probes, never a hash of a whole
 * table (which a generic plan picked before: a scan of every message per batch).
 */
const INSERT_BATCH_SQL = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset(?::jsonb) AS x(
    ord int, id uuid, event_id uuid, conversation_id uuid, sender_id uuid, content text,
    metadata jsonb, parent_id uuid, client_msg_id text, file_ids uuid[], mention_names text[],
    mention_all boolean, frame jsonb)
  LIMIT ?
), accepted AS (
  SELECT i.*, p.root_id, coalesce(everyone.ids, named.ids, '{}') AS mentions
  FROM input i
  JOIN LATERAL (SELECT cm.role FROM conversation_members cm
                WHERE cm.conversation_id = i.conversation_id AND cm.user_id = i.sender_id
                LIMIT 1) member ON true
  LEFT JOIN LATERAL (SELECT array_agg(u.id ORDER BY u.id) AS ids FROM users u
                     WHERE cardinality(i.mention_names) > 0
                       AND lower(u.username) = ANY (i.mention_names) AND u.id <> i.sender_id
                       AND EXISTS (SELECT 1 FROM conversation_members x
                                   WHERE x.conversation_id = i.conversation_id AND x.user_id = u.id)
                    ) named ON true
  LEFT JOIN LATERAL (SELECT array_agg(x.user_id ORDER BY x.user_id) AS ids
                     FROM conversation_members x
                     WHERE i.mention_all AND member.role IN ('owner', 'admin')
                       AND EXISTS (SELECT 1 FROM conversations c
                                   WHERE c.id = i.conversation_id AND c.type = 'group')
                       AND x.conversation_id = i.conversation_id AND x.user_id <> i.sender_id
                    ) everyone ON true
  LEFT JOIN LATERAL (SELECT coalesce(m.parent_id, m.id) AS root_id FROM messages m
                     WHERE m.id = i.parent_id AND m.conversation_id = i.conversation_id
                     LIMIT 1) p ON true
  LEFT JOIN LATERAL (SELECT 1 AS used FROM messages d
                     WHERE d.sender_id = i.sender_id AND d.client_msg_id = i.client_msg_id
                     LIMIT 1) dup ON true
  WHERE (i.parent_id IS NULL OR p.root_id IS NOT NULL) AND dup.used IS NULL
), counts AS (
  SELECT conversation_id, count(*)::bigint AS n FROM accepted GROUP BY conversation_id
), locked AS (
  SELECT c.id FROM conversations c WHERE c.id = ANY (ARRAY(SELECT conversation_id FROM counts))
  ORDER BY c.id FOR UPDATE
), bumped AS (
  UPDATE conversations c SET last_seq = c.last_seq + counts.n, last_activity_at = now()
  FROM counts JOIN locked l ON l.id = counts.conversation_id
  WHERE c.id = counts.conversation_id AND c.id = ANY (ARRAY(SELECT conversation_id FROM counts))
  RETURNING c.id, c.last_seq - counts.n AS base
), numbered AS (
  SELECT a.*, b.base + row_number() OVER (PARTITION BY a.conversation_id ORDER BY a.ord) AS seq,
         date_trunc('milliseconds', now()) AS created_at
  FROM accepted a JOIN bumped b ON b.id = a.conversation_id
), inserted AS (
  INSERT INTO messages (id, conversation_id, sender_id, seq, content, metadata, parent_id, client_msg_id, created_at, mentions)
  SELECT id, conversation_id, sender_id, seq, content, metadata, root_id, client_msg_id, created_at, mentions
  FROM numbered
  RETURNING id
), threads AS (
  UPDATE messages m SET reply_count = m.reply_count + t.n
  FROM (SELECT root_id, count(*) AS n FROM numbered WHERE root_id IS NOT NULL GROUP BY root_id) t
  WHERE m.id = t.root_id
    AND m.id = ANY (ARRAY(SELECT root_id FROM numbered WHERE root_id IS NOT NULL))
), files AS (
  INSERT INTO message_attachments (message_id, file_id, position)
  SELECT n.id, f.file_id, f.ord - 1
  FROM numbered n, unnest(n.file_ids) WITH ORDINALITY AS f(file_id, ord)
), pointers AS (
  UPDATE conversation_members cm SET last_read_seq = s.seq, last_read_at = now()
  FROM (SELECT conversation_id, sender_id, max(seq) AS seq FROM numbered
        GROUP BY conversation_id, sender_id) s
  WHERE cm.conversation_id = s.conversation_id AND cm.user_id = s.sender_id
    AND cm.conversation_id = ANY (ARRAY(SELECT conversation_id FROM counts))
    AND cm.last_read_seq < s.seq
), audiences AS (
  SELECT counts.conversation_id,
         ARRAY(SELECT cm.user_id FROM conversation_members cm
               WHERE cm.conversation_id = counts.conversation_id ORDER BY cm.user_id) AS audience
  FROM counts
), ${positionsCte("positions", "numbered")}, events AS (
  INSERT INTO outbox (id, position, type, subject, conversation_id, audience, payload)
  SELECT n.event_id, p.base + row_number() OVER (ORDER BY n.conversation_id, n.seq),
         'message.new', ?, n.conversation_id, a.audience,
         n.frame || jsonb_build_object('data', (n.frame -> 'data') || jsonb_build_object(
           'seq', n.seq, 'parent_id', n.root_id, 'mentions', to_jsonb(n.mentions),
           'created_at', to_char(n.created_at AT TIME ZONE 'UTC', ${UTC_ISO_MS})))
  FROM numbered n JOIN audiences a ON a.conversation_id = n.conversation_id CROSS JOIN positions p
  ORDER BY n.conversation_id, n.seq
  RETURNING id, position, audience, occurred_at
)
SELECT n.id, n.seq, to_char(n.created_at AT TIME ZONE 'UTC', ${UTC_ISO_MS}) AS created_at,
       n.root_id AS parent_id, array_to_string(n.mentions, ',') AS mentions, e.id AS event_id, e.position,
       array_to_string(e.audience, ',') AS audience,
       to_char(e.occurred_at AT TIME ZONE 'UTC', ${UTC_ISO_MS}) AS occurred_at
FROM numbered n JOIN events e ON e.id = n.event_id
ORDER BY e.position`;

/** The draft's `message.new` as stored: its frame completed the way the statement completed the payload. */
function storedEvent(draft: MessageDraft, stored: StoredMessage, row: StoredRow): SequencedEvent {
  const { seq, created_at, parent_id, mentions } = stored;
  return {
    id: row.event_id,
    position: row.position,
    type: "message.new",
    conversationId: draft.conversationId,
    audience: row.audience.split(","),
    frame: {
      ...draft.frame,
      data: { ...(draft.frame.data as object), seq, parent_id, created_at, mentions },
    },
    viewerFields: null,
    occurredAt: row.occurred_at,
  };
}

/** The batched insert behind every send (REST, Socket.IO and /ws alike). */
export class MessageBatchStore {
  constructor(
    private readonly knex: Knex,
    /** The NATS subject of `message.new` events. */
    private readonly subject: string,
    /**
     * Where the statement's plan is kept per connection (keepsPlans): planning this
     * statement costs more than running it for a few messages.
     */
    private readonly mode: EventLogMode,
  ) {}

  /**
   * @returns the accepted drafts' stored values (the others were refused, see above)
   * @throws DeadlockError (retry), DuplicateKeyError (a client_msg_id another statement took)
   */
  async insertBatch(drafts: MessageDraft[]): Promise<StoredBatch> {
    const input = drafts.map((draft, ord) => ({
      ord,
      id: draft.id,
      event_id: draft.eventId,
      conversation_id: draft.conversationId,
      sender_id: draft.senderId,
      content: draft.content,
      metadata: draft.metadata,
      parent_id: draft.parentId,
      client_msg_id: draft.clientMsgId,
      file_ids: draft.fileIds,
      mention_names: draft.mentionNames,
      mention_all: draft.mentionAll,
      frame: draft.frame,
    }));
    const bindings = [JSON.stringify(input), input.length, this.subject];
    const query = this.knex.raw(INSERT_BATCH_SQL, bindings);
    if (keepsPlans(this.mode)) query.options({ name: "insert_message_batch" });
    const rows = ((await mappingErrors(query)) as { rows: StoredRow[] }).rows;
    const byId = new Map(drafts.map((draft) => [draft.id, draft]));
    const messages = new Map<string, StoredMessage>();
    const events: SequencedEvent[] = [];
    for (const row of rows) {
      const stored = {
        id: row.id,
        seq: row.seq,
        created_at: row.created_at,
        parent_id: row.parent_id,
        mentions: row.mentions ? row.mentions.split(",") : [],
      };
      messages.set(row.id, stored);
      events.push(storedEvent(byId.get(row.id)!, stored, row));
    }
    return { messages, events };
  }
}
