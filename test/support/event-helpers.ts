import { AckPolicy, connect, DeliverPolicy } from "nats";
import type { App } from "../../lib/app";
import type { EventDraft, SequencedEvent } from "../../lib/events/event-types";
import { newId } from "../../lib/ids";
import type { BusEvent } from "../../lib/events/event-bus";
import { busEventOf } from "../../lib/events/nats-event-bus";

/** A message.new draft addressed to `audience` (no messages table needed). */
export function messageDraft(audience: string[], conversationId = newId()): EventDraft {
  const id = newId();
  return {
    type: "message.new",
    conversationId,
    audience,
    frame: { type: "message.new", data: { id, conversation_id: conversationId, content: id } },
  };
}

/** A fake sequenced event (bus tests). */
export function sequencedEvent(position: number): SequencedEvent {
  const conversationId = newId();
  return {
    id: newId(),
    position,
    type: "message.new",
    conversationId,
    audience: [],
    frame: { type: "message.new", data: { id: newId(), conversation_id: conversationId } },
    occurredAt: new Date().toISOString(),
  };
}

/** Commits one change carrying `drafts` through the app's TransactionRunner. */
export async function commitEvents(app: App, drafts: EventDraft[]): Promise<void> {
  await app.events.transactions.run(async ({ emit }) => {
    for (const draft of drafts) emit(draft);
  });
}

/** The ids of every event the app's outbox holds. */
export async function outboxIds(app: App): Promise<string[]> {
  const rows = await app.database.knex("outbox").select("id");
  return rows.map((row: { id: string }) => row.id);
}

/** Events the relay has not yet published (or not yet numbered). */
export async function unpublishedCount(app: App): Promise<number> {
  return (await app.events.log.backlog()).count;
}

/**
 * Reads a JetStream stream from the start through a durable pull consumer that acks
 * each message (as a real consumer would), until it has `expected` messages; it also
 * waits a little longer to catch any duplicate. Returns every delivery.
 */
export async function readStream(
  url: string,
  stream: string,
  expected: number,
  timeoutMs = 15_000,
): Promise<BusEvent[]> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await nc.jetstreamManager();
    const durable = `reader_${newId().slice(-12)}`;
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    });
    const consumer = await nc.jetstream().consumers.get(stream, durable);
    const received: BusEvent[] = [];
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const wanted = received.length < expected ? 500 : 50;
      const batch = await consumer.fetch({ max_messages: wanted, expires: 1000 });
      let got = 0;
      for await (const message of batch) {
        received.push(busEventOf(message));
        message.ack();
        got += 1;
      }
      if (received.length >= expected && got === 0) break;
    }
    await jsm.consumers.delete(stream, durable);
    return received;
  } finally {
    await nc.close();
  }
}

/** Polls `check` until it returns true (state that has no event to await, e.g. a table). */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
