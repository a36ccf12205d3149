import assert from "node:assert/strict";
import { ArrivalRate } from "../../lib/domain/messages/arrival-rate";
import { SendBatcher, SendBatcherOptions } from "../../lib/domain/messages/send-batcher";
import { createLogger } from "../../lib/logger";
import type {
  MessageBatchStore,
  MessageDraft,
  StoredBatch,
} from "../../lib/store/message-batch-store";

/** Records each statement's drafts and start time; takes `statementMs` to "run". */
function recordingStore(statementMs: number) {
  const statements: { at: number; drafts: MessageDraft[] }[] = [];
  const store = {
    async insertBatch(drafts: MessageDraft[]): Promise<StoredBatch> {
      statements.push({ at: performance.now(), drafts });
      await new Promise((resolve) => setTimeout(resolve, statementMs));
      const messages = new Map(
        drafts.map((d, i) => [
          d.id,
          { id: d.id, seq: i + 1, created_at: "", parent_id: null, mentions: [] },
        ]),
      );
      return { messages, events: [] };
    },
  } as unknown as MessageBatchStore;
  return { store, statements };
}

let next = 0;
const draft = (): MessageDraft => ({
  id: `m${++next}`,
  eventId: `e${next}`,
  conversationId: `00000000-0000-7000-8000-${String(next).padStart(12, "0")}`,
  senderId: "u",
  content: "hi",
  metadata: {},
  parentId: null,
  mentionNames: [],
  mentionAll: false,
  clientMsgId: null,
  fileIds: [],
  frame: { type: "message.new" },
});

const logger = createLogger({ level: "silent", format: "json" });

/** Submits drafts in one turn of the event loop: the first finds the lane idle. */
const burst = (batcher: SendBatcher, count: number) =>
  Promise.all(Array.from({ length: count }, () => batcher.submit(draft())));

describe("SendBatcher", () => {
  const options = (extra: Partial<SendBatcherOptions> = {}): SendBatcherOptions => ({
    logger,
    gatherMs: 60,
    gatherRate: 0, // gather at any rate (the rate gate is ArrivalRate's, tested below)
    gatherBatch: 1000,
    ...extra,
  });
  const gap = (statements: { at: number }[]) => statements[1].at - statements[0].at;
  const sizes = (statements: { drafts: unknown[] }[]) => statements.map((s) => s.drafts.length);

  it("under load waits gatherMs after a statement started before the next, which takes the rest", async () => {
    const { store, statements } = recordingStore(1);
    await burst(new SendBatcher(store, () => undefined, options()), 5);
    assert.deepEqual(sizes(statements), [1, 4]);
    assert.ok(gap(statements) >= 55, `${gap(statements)} ms apart`);
  });

  it("starts at once when gatherBatch drafts are waiting", async () => {
    const { store, statements } = recordingStore(1);
    const batcher = new SendBatcher(
      store,
      () => undefined,
      options({ gatherMs: 5000, gatherBatch: 3 }),
    );
    await burst(batcher, 7);
    assert.deepEqual(sizes(statements), [1, 6]);
    assert.ok(gap(statements) < 2500);
  });

  it("does not wait below the gathering rate, nor when gathering is off", async () => {
    for (const extra of [{ gatherRate: 1e9, gatherMs: 5000 }, { gatherMs: 0 }]) {
      const { store, statements } = recordingStore(1);
      const batcher = new SendBatcher(store, () => undefined, options(extra));
      await burst(batcher, 5);
      assert.deepEqual(sizes(statements), [1, 4]);
      assert.ok(gap(statements) < 2500);
    }
  });
});

describe("ArrivalRate", () => {
  it("is the count of the last full 100 ms window per second, zero after a silence", () => {
    const rate = new ArrivalRate();
    for (let t = 1000; t < 1100; t += 2) rate.note(t); // 50 in the window from 1000
    assert.equal(rate.perSecond(1100), 500);
    assert.equal(rate.perSecond(1150), 500);
    rate.note(1210);
    assert.equal(rate.perSecond(1210), 0, "the window from 1100 held nothing");
    assert.equal(rate.perSecond(1700), 0, "a long silence");
  });
});
