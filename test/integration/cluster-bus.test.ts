import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { newId } from "../../lib/ids";
import { backends } from "../support/backends";
import { registerUser } from "../support/factories";
import { openConversation, send } from "../support/message-fixtures";
import { closeAll, connectWs, nextEvent, RealtimeClient } from "../support/realtime-clients";
import { startTestApp } from "../support/test-app";

/** Counts what the nodes of one Redis key prefix publish to each other. */
async function watchBus(url: string, prefix: string) {
  const redis = new Redis(url);
  const messages: string[] = [];
  await redis.psubscribe(`${prefix}bus:*`);
  redis.on("pmessageBuffer", (_pattern: Buffer, channel: Buffer) => {
    messages.push(channel.toString());
  });
  return { messages, close: () => redis.quit() };
}

const PEER_CHECK_MS = 1000;

for (const backend of backends().filter((candidate) => candidate.redisUrl)) {
  describe(`cluster bus [${backend.name}]`, () => {
    const clients: RealtimeClient[] = [];
    afterEach(() => closeAll(clients));

    it("publishes nothing while the node is alone, and reaches a node that joins at once", async function () {
      this.timeout(30_000);
      const prefix = `msgtest:bus:${newId().slice(-8)}:`;
      const overrides = { redis: { key_prefix: prefix } };
      const bus = await watchBus(backend.redisUrl!, prefix);
      try {
        const nodeA = await startTestApp(backend, overrides);
        const alice = await registerUser(nodeA.url, "alice");
        const bob = await registerUser(nodeA.url, "bob");
        const conversationId = await openConversation([alice, bob]);
        const bobOnA = await connectWs(nodeA.url, bob.token);
        clients.push(bobOnA);
        // The first peer count (taken at start) has answered by now.
        await new Promise((resolve) => setTimeout(resolve, PEER_CHECK_MS + 200));
        bus.messages.length = 0;
        for (const text of ["one", "two", "three"]) {
          await send(alice, conversationId, text);
          await nextEvent(bobOnA, "message.new", (frame) => frame.data.content === text);
        }
        assert.deepEqual(bus.messages, [], "a lone node sends its batches to nobody");

        const nodeB = await startTestApp(backend, overrides);
        const bobOnB = await connectWs(nodeB.url, bob.token);
        clients.push(bobOnB);
        bus.messages.length = 0;
        await send(alice, conversationId, "four");
        const frame = await nextEvent(bobOnB, "message.new", (f) => f.data.content === "four");
        assert.equal(frame.data.conversation_id, conversationId);
        assert.ok(bus.messages.length > 0, "with a peer the batches go over Redis");
      } finally {
        await bus.close();
      }
    });
  });
}
