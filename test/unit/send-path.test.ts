import assert from "node:assert/strict";
import { SendBatcher } from "../../lib/domain/messages/send-batcher";
import { Sequencer } from "../../lib/event-log/sequencer";
import type { EventDraft, SequencedEvent } from "../../lib/events/event-types";
import { createLogger } from "../../lib/logger";
import { txOf } from "../../lib/store/handles";
import { DeadlockError, DuplicateKeyError } from "../../lib/store/store-errors";
import { MemoryEventLog, MemorySendStore } from "../support/memory-event-log";
import { sendDraft } from "../support/message-drafts";

const logger = createLogger({ level: "silent", format: "json" });
const NO_TX = txOf(undefined as never);

const draft = sendDraft;

const change = (n: number): EventDraft => ({
  type: "conversation.updated",
  conversationId: "c-other",
  audience: ["member"],
  frame: { type: "conversation.updated", data: { n } },
});

/** A log, a sequencer announcing to a recorder, and a batcher whose sends it announces. */
function sendPath(store?: (log: MemoryEventLog) => MemorySendStore, batchSize = 1000) {
  const log = new MemoryEventLog();
  const sends = store?.(log) ?? new MemorySendStore(log, (_c, sender) => sender === "member");
  const sequencer = new Sequencer(log, logger, 60_000, batchSize);
  const announced: SequencedEvent[] = [];
  sequencer.onSequenced((batch) => announced.push(...batch));
  const batcher = new SendBatcher(sends, (numbered) => sequencer.announce(numbered), { logger });
  return { log, sends, sequencer, batcher, announced };
}

const positions = (events: SequencedEvent[]) => events.map((e) => e.position);
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("the send path against an in-memory event log", () => {
  it("announces every event once, in position order, the sends' and the sequencer's alike", async () => {
    const { log, sequencer, batcher, announced } = sendPath();
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 30; i += 1) {
      sends.push(batcher.submit(draft(`c${i % 3}`)));
      if (i % 7 === 0) {
        await log.append(NO_TX, [change(i)]);
        sequencer.wake();
      }
    }
    await Promise.all(sends);
    await sequencer.flush();
    assert.equal(announced.length, 35);
    assert.deepEqual(positions(announced), oneToN(35));
    assert.equal(await log.head(), 35);
  });

  it("stores concurrent sends in few statements, seqs gapless per conversation in event order", async () => {
    const { sends, batcher, announced } = sendPath();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => batcher.submit(draft(`c${i % 2}`))),
    );
    assert.ok(sends.statements.length < 20, `${sends.statements.length} statements`);
    assert.ok(outcomes.every((outcome) => "stored" in outcome));
    for (const conversationId of ["c0", "c1"]) {
      const seqs = announced
        .filter((e) => e.conversationId === conversationId)
        .map((e) => (e.frame.data as { seq: number }).seq);
      assert.deepEqual(seqs, oneToN(10));
    }
  });

  it("refuses a non-member's draft without an event, and stores its neighbours", async () => {
    const { batcher, announced } = sendPath();
    const [mine, theirs] = await Promise.all([
      batcher.submit(draft("c")),
      batcher.submit(draft("c", "outsider")),
      batcher.submit(draft("c")),
    ]);
    assert.ok("stored" in mine);
    assert.deepEqual(theirs, { refused: true });
    assert.deepEqual(positions(announced), [1, 2]);
  });

  it("retries a statement cancelled by a deadlock and announces its events once", async () => {
    const { sends, batcher, announced } = sendPath(
      (log) =>
        new MemorySendStore(
          log,
          () => true,
          (_drafts, attempt) => (attempt <= 2 ? new DeadlockError({ cause: null }) : undefined),
        ),
    );
    const outcome = await batcher.submit(draft("c"));
    assert.ok("stored" in outcome);
    assert.equal(sends.statements.length, 3);
    assert.deepEqual(positions(announced), [1]);
  });

  it("retries a failed batch draft by draft: the bad one fails alone, the rest are announced once", async () => {
    const bad = draft("c");
    const { batcher, announced } = sendPath(
      (log) =>
        new MemorySendStore(
          log,
          () => true,
          (drafts) =>
            drafts.includes(bad) ? new DuplicateKeyError("k", { cause: null }) : undefined,
        ),
    );
    const first = batcher.submit(draft("c")); // alone: the lane was idle
    const rest = [draft("c"), bad, draft("c")];
    const outcomes = await Promise.allSettled([first, ...rest.map((d) => batcher.submit(d))]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["fulfilled", "fulfilled", "rejected", "fulfilled"],
    );
    assert.ok((outcomes[2] as PromiseRejectedResult).reason instanceof DuplicateKeyError);
    assert.deepEqual(positions(announced), [1, 2, 3]);
  });
});

describe("the sequencer against an in-memory event log", () => {
  it("numbers what is pending in batches of its size until none is left", async () => {
    const { log, sequencer, announced } = sendPath(undefined, 4);
    await log.append(NO_TX, oneToN(10).map(change));
    sequencer.wake();
    await sequencer.flush();
    assert.deepEqual(positions(announced), oneToN(10));
    assert.equal((await log.backlog()).count, 0);
  });

  it("coalesces wakes during a run into one more run that takes what they committed", async () => {
    const { log, sequencer, announced } = sendPath();
    let numberings = 0;
    const numberPending = log.numberPending.bind(log);
    log.numberPending = (limit) => {
      numberings += 1;
      return numberPending(limit);
    };
    // Appends write at once; the first wake's run takes change 1, the wakes during it
    // coalesce into one more run (2..5), and flush looks once more (nothing).
    void log.append(NO_TX, [change(1)]);
    sequencer.wake();
    for (let i = 2; i <= 5; i += 1) {
      void log.append(NO_TX, [change(i)]);
      sequencer.wake();
    }
    await sequencer.flush();
    assert.deepEqual(positions(announced), oneToN(5));
    assert.equal(numberings, 3);
  });
});
