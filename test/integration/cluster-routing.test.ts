import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { decodeEventCursor } from "../../lib/events/event-types";
import { newId } from "../../lib/ids";
import { FORGET_NODE_SCRIPT, ROUTE_SCRIPT } from "../../lib/realtime/route-scripts";
import { backends } from "../support/backends";
import { messageDraft, recordEvents } from "../support/events";
import { registerUser, TestUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { openConversation, send } from "../support/message-fixtures";
import { privateDatabase } from "../support/private-database";
import {
  closeAll,
  connectBoth,
  connectWs,
  framesOf,
  nextEvent,
  RealtimeClient,
} from "../support/realtime-clients";
import { ask } from "../support/realtime-watch";
import { startTestApp, stopTestApp, TestApp } from "../support/test-app";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for a condition that the system reaches by itself (no assertion on how fast). */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await pause(20);
}

/** A node's `messaging_cluster_bus_messages_received_total`, scraped like Prometheus does. */
async function busReceived(node: TestApp): Promise<number> {
  const text = (await new ApiClient(node.url).get("/metrics")).body as string;
  const line = /^messaging_cluster_bus_messages_received_total (\d+)$/m.exec(text);
  assert.ok(line, "the bus metric is exported");
  return Number(line[1]);
}

/**
 * Waits until `client` has every one of `contents` as message.new, then checks each came
 * once and that the client's frames are in cursor order.
 */
async function expectEveryMessageOnceInOrder(client: RealtimeClient, contents: string[]) {
  for (const content of contents) {
    await nextEvent(client, "message.new", (frame) => frame.data.content === content);
  }
  const received = framesOf(client, "message.new", (f) => contents.includes(f.data.content));
  assert.deepEqual(
    received.map((frame) => frame.data.content as string).sort(),
    [...contents].sort(),
    `${client.kind}: each message once`,
  );
  const positions = client.frames
    .filter((frame) => typeof frame.cursor === "string")
    .map((frame) => decodeEventCursor(frame.cursor as string) as number);
  for (let i = 1; i < positions.length; i += 1) {
    assert.ok(positions[i] > positions[i - 1], `${client.kind}: frames in cursor order`);
  }
}

const clusterOverrides = () => ({ redis: { key_prefix: `msgtest:route:${newId().slice(-8)}:` } });

for (const backend of backends().filter((candidate) => candidate.redisUrl)) {
  describe(`targeted routing across three nodes [${backend.name}]`, () => {
    const nodes: TestApp[] = [];
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let dave: TestUser;
    let conversationId: string;
    let carolsConversationId: string;
    const clients: RealtimeClient[] = [];

    before(async () => {
      const overrides = clusterOverrides();
      for (let i = 0; i < 3; i += 1) nodes.push(await startTestApp(backend, overrides));
      const [a, b, c] = nodes;
      [alice, bob, carol, dave] = await Promise.all([
        registerUser(a.url, "alice"),
        registerUser(b.url, "bob"),
        registerUser(c.url, "carol"),
        registerUser(c.url, "dave"),
      ]);
      conversationId = await openConversation([alice, bob]);
      carolsConversationId = await openConversation([dave, carol]);
    });
    afterEach(() => closeAll(clients));
    after(() => Promise.all(nodes.splice(0).map((node) => stopTestApp(node.app))));

    it("sends a conversation's events and typing only to nodes with a member connected, each member's connections getting all of them once and in order", async () => {
      const [a, b, c] = nodes;
      const alices = await connectBoth(a.url, alice.token, clients);
      const bobs = await connectBoth(b.url, bob.token, clients);
      const carolWs = await connectWs(c.url, carol.token);
      clients.push(carolWs);
      await nextEvent(carolWs, "ready");
      await until(() => nodes.every((node) => !node.app.realtime.alone));
      const before = await Promise.all(nodes.map(busReceived));

      // Numbered on two nodes at once, so their batches interleave in the log.
      const contents = Array.from({ length: 12 }, (_, i) => `routed ${i}`);
      await Promise.all(
        contents.map((content, i) => send(i % 2 ? bob : alice, conversationId, content)),
      );
      const typing = { conversation_id: conversationId };
      await ask(alices[1], "typing.start", typing);
      await ask(alices[0], "typing.stop", typing);
      for (const client of [...alices, ...bobs]) {
        await expectEveryMessageOnceInOrder(client, contents);
      }
      for (const client of bobs) {
        await nextEvent(client, "typing.indicator", (frame) => frame.is_typing === false);
        assert.deepEqual(
          framesOf(client, "typing.indicator").map((frame) => frame.is_typing),
          [true, false],
        );
      }

      // Node C routes in order too: once carol hears this, C has had anything sent before.
      await send(dave, carolsConversationId, "for carol");
      await nextEvent(carolWs, "message.new", (frame) => frame.data.content === "for carol");
      const after = await Promise.all(nodes.map(busReceived));
      assert.equal(after[2] - before[2], 1, "node C received only carol's message");
      assert.ok(after[0] - before[0] > 0 && after[1] - before[1] > 0, "A and B did receive");
      assert.deepEqual(
        framesOf(carolWs, "message.new").map((frame) => frame.data.content),
        ["for carol"],
      );
      assert.deepEqual(framesOf(carolWs, "typing.indicator"), []);
    });

    it("still tells every node of a sign-out everywhere, connected there or not", async () => {
      const [, b, c] = nodes;
      const erin = await registerUser(b.url, "erin");
      const onC = new ApiClient(c.url, erin.token);
      assert.equal((await onC.get("/api/v1/conversations")).status, 200);
      assert.equal((await erin.api.post("/api/v1/auth/logout-all", {})).status, 204);
      // Node C has no connection of erin's: only a node-wide route tells it.
      await until(async () => (await onC.get("/api/v1/conversations")).status === 401);
    });
  });

  describe(`lost cross-node batches healed from the event log [${backend.name}]`, () => {
    let nodeA: TestApp;
    let nodeB: TestApp;
    let alice: TestUser;
    let bob: TestUser;
    let conversationId: string;
    const clients: RealtimeClient[] = [];

    before(async () => {
      const overrides = clusterOverrides();
      nodeA = await startTestApp(backend, overrides);
      nodeB = await startTestApp(backend, overrides);
      alice = await registerUser(nodeA.url, "alice");
      bob = await registerUser(nodeB.url, "bob");
      conversationId = await openConversation([alice, bob]);
    });
    afterEach(() => closeAll(clients));
    after(() => Promise.all([stopTestApp(nodeA.app), stopTestApp(nodeB.app)]));

    /** Closes the connections of `clientName` (a node's Redis client): Redis drops them. */
    async function killRedisClient(admin: Redis, clientName: string): Promise<void> {
      const list = (await admin.client("LIST")) as string;
      const line = list.split("\n").find((entry) => entry.includes(` name=${clientName} `));
      assert.ok(line, `${clientName} is connected`);
      await admin.client("KILL", "ID", /\bid=(\d+)/.exec(line)![1]);
    }

    async function connectMembers(): Promise<RealtimeClient[]> {
      const connected = [
        ...(await connectBoth(nodeA.url, alice.token, clients)),
        ...(await connectBoth(nodeB.url, bob.token, clients)),
      ];
      await until(() => !nodeA.app.realtime.alone && !nodeB.app.realtime.alone);
      return connected;
    }

    it("delivers a batch that never reached the bus (numbered by a node on another bus), then what follows, once each and in order", async () => {
      const members = await connectMembers();
      // Same database, another bus: its batches are numbered but never routed here.
      const stranger = await startTestApp(backend, clusterOverrides());
      try {
        const drafts = Array.from({ length: 4 }, (_, i) =>
          messageDraft([alice.id, bob.id], `unrouted ${i}`),
        );
        await recordEvents(stranger.app, drafts);
        const later = ["after the gap 1", "after the gap 2"];
        await send(alice, conversationId, later[0]);
        await send(bob, conversationId, later[1]);
        const contents = [
          ...drafts.map((draft) => (draft.frame.data as { content: string }).content),
          ...later,
        ];
        for (const client of members) await expectEveryMessageOnceInOrder(client, contents);
      } finally {
        await stopTestApp(stranger.app);
      }
    });

    it("delivers batches a node's subscriber missed while Redis dropped its connection, once each and in order", async () => {
      const members = await connectMembers();
      const admin = new Redis(backend.redisUrl!);
      try {
        await killRedisClient(admin, `realtime-bus-${nodeB.app.realtime.nodeId}`);
        const contents = ["while B was away 1", "while B was away 2", "while B was away 3"];
        for (const content of contents) await send(alice, conversationId, content);
        for (const client of members) await expectEveryMessageOnceInOrder(client, contents);
      } finally {
        await admin.quit();
      }
    });

    it("tells a node that joined while another was alone to read what it did not hear", async () => {
      await connectMembers();
      const admin = new Redis(backend.redisUrl!);
      const listener = new Redis(backend.redisUrl!);
      try {
        const { log_id: logId } = await nodeA.app.database.knex("event_log_state").first("log_id");
        const prefix = `${nodeA.app.config.redis.key_prefix}bus:${logId}:`;
        await send(alice, conversationId, "routed before the join");
        const through = Number(await admin.get(`${prefix}through`));
        // A node that listed itself when routing stood 3 positions earlier (its 'start').
        const joined = `joined-${newId()}`;
        await admin.sadd(`${prefix}nodes`, joined);
        await admin.hset(`${prefix}last`, joined, through - 3);
        const notices: { channel: string; message: string }[] = [];
        listener.on("message", (channel: string, message: string) =>
          notices.push({ channel, message }),
        );
        const channels = [nodeA, nodeB].map((node) => `${prefix}n:${node.app.realtime.nodeId}`);
        await listener.subscribe(`${prefix}n:${joined}`, ...channels);
        try {
          // Node A hears of it and stops being alone: routing moves past what A delivered.
          await admin.eval(ROUTE_SCRIPT, 0, prefix, "advance", through, nodeA.app.realtime.nodeId);
          await until(() => notices.length > 0);
          assert.deepEqual(notices, [
            {
              channel: `${prefix}n:${joined}`,
              message: JSON.stringify({ prev: through, through, events: [] }),
            },
          ]);
          assert.equal(Number(await admin.hget(`${prefix}last`, joined)), through);
        } finally {
          await admin.eval(FORGET_NODE_SCRIPT, 0, prefix, joined);
        }
      } finally {
        listener.disconnect();
        await admin.quit();
      }
    });

    it("lists its users again when Redis comes back without the routing state", async () => {
      const members = await connectMembers();
      const admin = new Redis(backend.redisUrl!);
      try {
        const { log_id: logId } = await nodeA.app.database.knex("event_log_state").first("log_id");
        const prefix = `${nodeA.app.config.redis.key_prefix}bus:${logId}:`;
        const keys = await admin.keys(`${prefix}*`);
        assert.ok(keys.length > 0, "the nodes keep their routing state in Redis");
        await admin.del(...keys);
        // A Redis restart without persistence: both nodes reconnect to an empty Redis.
        for (const node of [nodeA, nodeB]) {
          await killRedisClient(admin, `realtime-${node.app.realtime.nodeId}`);
        }
        const contents = ["after the restart 1", "after the restart 2"];
        const listed = [alice, bob].map((user) => `${prefix}u:${user.id}`);
        await until(async () => (await admin.exists(...listed)) === listed.length);
        await send(alice, conversationId, contents[0]);
        await send(bob, conversationId, contents[1]);
        for (const client of members) await expectEveryMessageOnceInOrder(client, contents);
      } finally {
        await admin.quit();
      }
    });
  });

  describe(`nodes that died without leaving, swept from the directory [${backend.name}]`, () => {
    let nodeA: TestApp;
    let nodeB: TestApp;
    let alice: TestUser;
    let bob: TestUser;
    let conversationId: string;
    let admin: Redis;
    let prefix: string;
    const clients: RealtimeClient[] = [];

    before(async () => {
      const overrides = { ...clusterOverrides(), realtime: { node_sweep_interval: 200 } };
      nodeA = await startTestApp(backend, overrides);
      nodeB = await startTestApp(backend, overrides);
      alice = await registerUser(nodeA.url, "alice");
      bob = await registerUser(nodeB.url, "bob");
      conversationId = await openConversation([alice, bob]);
      admin = new Redis(backend.redisUrl!);
      const { log_id: logId } = await nodeA.app.database.knex("event_log_state").first("log_id");
      prefix = `${nodeA.app.config.redis.key_prefix}bus:${logId}:`;
    });
    afterEach(() => closeAll(clients));
    after(async () => {
      await admin.quit();
      await Promise.all([stopTestApp(nodeA.app), stopTestApp(nodeB.app)]);
    });

    const listed = async (node: string) => (await admin.sismember(`${prefix}nodes`, node)) === 1;

    it("forgets a node that stopped listening while the live ones stay listed and deliver", async () => {
      const members = [
        ...(await connectBoth(nodeA.url, alice.token, clients)),
        ...(await connectBoth(nodeB.url, bob.token, clients)),
      ];
      // What a SIGKILLed node leaves: listed, holding alice, with no subscriber.
      const dead = `dead-${newId()}`;
      await admin.sadd(`${prefix}nodes`, dead);
      await admin.sadd(`${prefix}u:${alice.id}`, dead);
      await admin.sadd(`${prefix}nu:${dead}`, alice.id);
      await until(async () => !(await listed(dead)));
      assert.equal(await admin.sismember(`${prefix}u:${alice.id}`, dead), 0);
      assert.equal(await admin.exists(`${prefix}nu:${dead}`), 0);
      assert.ok(await listed(nodeA.app.realtime.nodeId), "a live node is never forgotten");
      assert.ok(await listed(nodeB.app.realtime.nodeId), "a live node is never forgotten");
      const contents = ["after the sweep 1", "after the sweep 2"];
      await send(alice, conversationId, contents[0]);
      await send(bob, conversationId, contents[1]);
      for (const client of members) await expectEveryMessageOnceInOrder(client, contents);
    });

    it("a live node taken out of the directory lists itself again and gets what it missed from the log", async () => {
      const members = [
        ...(await connectBoth(nodeA.url, alice.token, clients)),
        ...(await connectBoth(nodeB.url, bob.token, clients)),
      ];
      await until(() => !nodeA.app.realtime.alone && !nodeB.app.realtime.alone);
      const nodeId = nodeB.app.realtime.nodeId;
      // A sweep's mistake, made by hand: B is forgotten while it still serves bob.
      await admin.eval(FORGET_NODE_SCRIPT, 0, prefix, nodeId);
      const contents = ["while B was forgotten 1", "while B was forgotten 2"];
      for (const content of contents) await send(alice, conversationId, content);
      await until(() => listed(nodeId));
      contents.push("after B listed itself again");
      await send(alice, conversationId, contents[2]);
      for (const client of members) await expectEveryMessageOnceInOrder(client, contents);
    });
  });

  describe(`nodes of different databases on one Redis prefix [${backend.name}]`, () => {
    const clients: RealtimeClient[] = [];
    afterEach(() => closeAll(clients));

    it("keeps their routing apart: each log's positions are its own", async function () {
      this.timeout(60_000);
      const overrides = clusterOverrides();
      const shared = await startTestApp(backend, overrides);
      const database = await privateDatabase(backend);
      try {
        const apart = await startTestApp(backend, {
          ...overrides,
          database: { url: database.url },
        });
        // Positions move on the shared log, so the two logs' positions differ.
        const [sam, tom] = await Promise.all([
          registerUser(shared.url, "sam"),
          registerUser(shared.url, "tom"),
        ]);
        await send(sam, await openConversation([sam, tom]), "on the shared log");
        const [ann, ben] = await Promise.all([
          registerUser(apart.url, "ann"),
          registerUser(apart.url, "ben"),
        ]);
        const conversationId = await openConversation([ann, ben]);
        const [benIo, benWs] = await connectBoth(apart.url, ben.token, clients);
        await send(ann, conversationId, "on its own log");
        for (const client of [benIo, benWs]) {
          await expectEveryMessageOnceInOrder(client, ["on its own log"]);
        }
        await stopTestApp(apart.app);
      } finally {
        await stopTestApp(shared.app);
        await database.drop();
      }
    });
  });
}
