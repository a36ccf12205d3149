import assert from "node:assert/strict";
import type { SequencedEvent } from "../../lib/events/event-types";
import { createLogger } from "../../lib/logger";
import {
  contiguousBatch,
  GapReader,
  OrderedEventStream,
  RoutedBatch,
} from "../../lib/realtime/ordered-event-stream";

const event = (position: number): SequencedEvent => ({
  id: `e${position}`,
  position,
  type: "message.new",
  conversationId: "c",
  audience: ["u"],
  frame: { type: "message.new", data: { n: position } },
  occurredAt: new Date(0).toISOString(),
});

/** An event log in memory: positions 1..head, every one readable. */
class MemoryLog implements GapReader {
  reads: [number, number][] = [];
  constructor(public headPosition = 0) {}
  head() {
    return Promise.resolve(this.headPosition);
  }
  range(from: number, to: number) {
    this.reads.push([from, to]);
    const events: SequencedEvent[] = [];
    for (let p = from + 1; p <= Math.min(to, this.headPosition); p += 1) events.push(event(p));
    return Promise.resolve(events);
  }
}

/** A batch routed to one node: its events, and the last position routed there before. */
const routed = (prev: number, positions: number[], through = positions.at(-1)!): RoutedBatch => ({
  prev,
  through,
  events: positions.map(event),
});

async function started(log: MemoryLog) {
  const delivered: number[] = [];
  const stream = new OrderedEventStream(
    log,
    (e) => delivered.push(e.position),
    createLogger({ level: "silent", format: "json" }),
    0,
    () => log.head(),
    1000,
    1,
  );
  await stream.start();
  return { stream, delivered };
}

/** Lets the stream's gap timer fire and its database read finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("ordered event stream", () => {
  it("delivers contiguous batches in position order, whatever order they arrive in, once each", async () => {
    const log = new MemoryLog(0);
    const { stream, delivered } = await started(log);
    log.headPosition = 6;
    stream.receive(contiguousBatch([event(4), event(5), event(6)]));
    stream.receive(contiguousBatch([event(1), event(2), event(3)]));
    stream.receive(contiguousBatch([event(2), event(3)]));
    assert.deepEqual(delivered, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(log.reads, [], "nothing was missing, nothing was read");
  });

  it("takes silence between routed batches for what it is: no read of the log", async () => {
    const log = new MemoryLog(10);
    const { stream, delivered } = await started(log);
    log.headPosition = 40;
    stream.receive(routed(10, [17]));
    stream.receive(routed(17, [23, 31]));
    await settle();
    assert.deepEqual(delivered, [17, 23, 31]);
    assert.deepEqual(log.reads, []);
    assert.equal(stream.position, 31);
  });

  it("reads a lost routed batch's positions from the log, then delivers what followed, in order", async () => {
    const log = new MemoryLog(10);
    const { stream, delivered } = await started(log);
    log.headPosition = 20;
    // The batch routed up to 15 never arrived; the next says so with its prev.
    stream.receive(routed(15, [18, 20]));
    assert.deepEqual(delivered, [], "held until the gap is read");
    await settle();
    assert.deepEqual(log.reads, [[10, 15]]);
    assert.deepEqual(delivered, [11, 12, 13, 14, 15, 18, 20]);
  });

  it("reads up to an empty notice's position (a node that was alone delivered it by itself)", async () => {
    const log = new MemoryLog(10);
    const { stream, delivered } = await started(log);
    log.headPosition = 14;
    stream.receive({ prev: 14, through: 14, events: [] });
    await settle();
    assert.deepEqual(log.reads, [[10, 14]]);
    assert.deepEqual(delivered, [11, 12, 13, 14]);
    stream.receive(routed(14, [15]));
    assert.deepEqual(delivered, [11, 12, 13, 14, 15], "what follows goes on live");
  });

  it("delivers a late batch that fills the gap before the read, without reading", async () => {
    const log = new MemoryLog(0);
    const { stream, delivered } = await started(log);
    log.headPosition = 4;
    stream.receive(routed(2, [4]));
    stream.receive(routed(0, [2]));
    assert.deepEqual(delivered, [2, 4]);
    await settle();
    assert.deepEqual(log.reads, []);
  });

  it("skips what a batch repeats of what was read from the log", async () => {
    const log = new MemoryLog(0);
    const { stream, delivered } = await started(log);
    log.headPosition = 5;
    stream.receive(routed(3, [5]));
    await settle();
    stream.receive(routed(0, [2, 3]));
    stream.receive(routed(3, [5]));
    assert.deepEqual(delivered, [1, 2, 3, 5]);
  });
});
