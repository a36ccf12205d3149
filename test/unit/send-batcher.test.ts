import assert from "node:assert/strict";
import { ArrivalRate } from "../../lib/domain/messages/arrival-rate";
import { SendBatcher, SendBatcherOptions } from "../../lib/domain/messages/send-batcher";
import { createLogger } from "../../lib/logger";
import type {
  MessageBatchStore,
  MessageDraft,
  StoredBatch,
} from "../../lib/store/message-batch-store";
import { sendDraft } from "../support/message-drafts";

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
const draft = (): MessageDraft =>
  sendDraft(`00000000-0000-7000-8000-${String(++next).padStart(12, "0")}`, "u");

const logger = createLogger({ level: "silent", format: "json" });

/** Submits drafts in one turn of the event loop: the first finds the lane idle. */
const burst = (batcher: SendBatcher, count: number) =>
  Promise.all(Array.from({ length: count }, () => batcher.submit(draft())));

const sizes = (statements: { drafts: unknown[] }[]) => statements.map((s) => s.drafts.length);

describe("SendBatcher", () => {
  const options = (extra: Partial<SendBatcherOptions> = {}): SendBatcherOptions => ({
    logger,
    gatherMs: 60,
    gatherRate: 0, // gather at any rate (the rate gate is ArrivalRate's, tested below)
    gatherBatch: 1000,
    ...extra,
  });
  const gap = (statements: { at: number }[]) => statements[1].at - statements[0].at;

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

describe("SendBatcher admission", () => {
  it("admits a statement's drafts in one turn of the event loop and answers a refused one with its refusal", async () => {
    const { store, statements } = recordingStore(1);
    const admitted: { sender: string; tick: number }[] = [];
    let tick = 0;
    const batcher = new SendBatcher(store, () => undefined, {
      logger,
      admit: async (sender) => {
        admitted.push({ sender, tick });
        if (sender === "refused") throw new Error("rate_limited");
      },
    });
    const first = batcher.submit(draft());
    setImmediate(() => (tick += 1));
    const rest = [draft(), { ...draft(), senderId: "refused" }, draft()];
    const outcomes = await Promise.allSettled([first, ...rest.map((d) => batcher.submit(d))]);
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ["fulfilled", "fulfilled", "rejected", "fulfilled"],
    );
    assert.deepEqual(sizes(statements), [1, 2], "the refused draft is not stored");
    const ticksOfSecond = new Set(admitted.slice(1).map((a) => a.tick));
    assert.equal(ticksOfSecond.size, 1, "the second statement's drafts are admitted together");
    assert.equal(admitted.length, 4, "each draft is admitted once");
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
