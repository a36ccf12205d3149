import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { conversationEvents, createGroup } from "../support/conversation-fixtures";
import { registerUser, TestUser } from "../support/factories";
import { send } from "../support/message-fixtures";
import { closeAll, Frame, framesOf, RealtimeClient } from "../support/realtime-clients";
import { ask, bothOf, expectEvent, settle, watch, Watcher } from "../support/realtime-watch";
import { startTestApp, stopTestApp, TestApp } from "../support/test-app";

const TRANSPORTS = ["socket.io", "ws"] as const;
type Transport = (typeof TRANSPORTS)[number];
const on = (watcher: Watcher, transport: Transport): RealtimeClient =>
  transport === "ws" ? watcher.ws : watcher.io;
const withoutCursor = ({ cursor: _cursor, ...rest }: Frame) => rest;

// The contract's client→server messages over each transport: the reply, and the events
// they cause on one Socket.IO and one /ws connection of each member (once), nobody else.
for (const backend of backends()) {
  describe(`realtime requests over Socket.IO and /ws [${backend.name}]`, () => {
    let node: TestApp;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let conversationId: string;
    let alices: Watcher;
    let bobs: Watcher;
    let carols: Watcher;
    const clients: RealtimeClient[] = [];

    before(async () => {
      node = await startTestApp(backend);
      [alice, bob, carol] = await Promise.all(
        ["alice", "bob", "carol"].map((name) => registerUser(node.url, name)),
      );
    });
    beforeEach(async () => {
      conversationId = (await createGroup(alice, [bob])).id;
      alices = await watch(node.url, alice, clients);
      bobs = await watch(node.url, bob, clients);
      carols = await watch(node.url, carol, clients);
    });
    afterEach(() => closeAll(clients));
    after(() => stopTestApp(node.app));

    const typingOf = (user: TestUser, isTyping: boolean) => ({
      type: "typing.indicator",
      conversation_id: conversationId,
      user_id: user.id,
      is_typing: isTyping,
    });

    for (const transport of TRANSPORTS) {
      it(`message.send over ${transport}: acked with the Message, message.new once to every member's connections`, async () => {
        const input = { conversation_id: conversationId, content: `via ${transport}` };
        const request = { ...input, client_msg_id: `c-${transport}` };
        const reply = await ask(on(alices, transport), "message.send", request);
        assert.equal(reply.data.content, input.content);
        const byId = (frame: Frame) => frame.data.id === reply.data.id;
        const frame = await expectEvent([alices, bobs], [carols], "message.new", byId);
        assert.deepEqual(withoutCursor(frame), { type: "message.new", data: reply.data });

        const retry = await ask(on(alices, transport), "message.send", request);
        assert.deepEqual(retry.data, reply.data, "a retry answers with the first message");
        await settle([alices, bobs]);
        for (const client of bothOf([alices, bobs])) {
          assert.equal(framesOf(client, "message.new", byId).length, 1, client.kind);
        }
      });

      it(`message.read over ${transport}: acked with the pointer, message.read once to every member's connections`, async () => {
        const message = await send(alice, conversationId, "read me");
        const reply = await ask(on(bobs, transport), "message.read", { message_id: message.id });
        assert.deepEqual(reply.data, { conversation_id: conversationId, last_read_seq: 1 });
        const frame = await expectEvent([alices, bobs], [carols], "message.read", () => true);
        assert.deepEqual(withoutCursor(frame), {
          type: "message.read",
          message_id: message.id,
          user_id: bob.id,
          conversation_id: conversationId,
          last_read_seq: 1,
        });
      });

      it(`typing.start and typing.stop over ${transport}: typing.indicator once to the others, never to the typist`, async () => {
        for (const isTyping of [true, false]) {
          const type = isTyping ? "typing.start" : "typing.stop";
          const reply = await ask(on(alices, transport), type, { conversation_id: conversationId });
          assert.deepEqual(reply.data, { conversation_id: conversationId, is_typing: isTyping });
          const mine = (frame: Frame) => frame.is_typing === isTyping;
          const frame = await expectEvent([bobs], [carols], "typing.indicator", mine);
          assert.deepEqual(frame, typingOf(alice, isTyping));
        }
        for (const client of bothOf([alices])) {
          assert.deepEqual(framesOf(client, "typing.indicator"), [], client.kind);
        }
      });

      it(`presence.update over ${transport}: acked with the Presence, presence.changed once to contacts only`, async () => {
        const reply = await ask(on(alices, transport), "presence.update", { status: "busy" });
        assert.deepEqual(Object.keys(reply.data).sort(), ["last_seen_at", "status", "user_id"]);
        assert.equal(reply.data.status, "busy");
        const busy = (frame: Frame) => frame.user_id === alice.id && frame.status === "busy";
        const frame = await expectEvent([bobs], [carols], "presence.changed", busy);
        assert.deepEqual(frame, { type: "presence.changed", user_id: alice.id, status: "busy" });
        await ask(on(alices, transport), "presence.update", { status: "online" });
      });

      it(`refuses a non-member's message.send, typing and message.read over ${transport} with 404, storing and relaying nothing`, async () => {
        const message = await send(alice, conversationId, "members only");
        const outboxBefore = await conversationEvents(node.app, conversationId);
        const carolsClient = on(carols, transport);
        const requests: [string, Record<string, unknown>][] = [
          ["message.send", { conversation_id: conversationId, content: "intruder" }],
          ["typing.start", { conversation_id: conversationId }],
          ["message.read", { message_id: message.id }],
        ];
        for (const [type, payload] of requests) {
          const reply = await ask(carolsClient, type, payload);
          assert.equal(reply.error.code, "not_found", type);
        }
        await settle([alices, bobs]);
        const fromCarol = (frame: Frame) => (frame.data ?? frame).user_id === carol.id;
        const sentByCarol = (frame: Frame) => frame.data.sender_id === carol.id;
        for (const client of bothOf([alices, bobs])) {
          assert.deepEqual(framesOf(client, "message.new", sentByCarol), [], client.kind);
          assert.deepEqual(framesOf(client, "typing.indicator"), [], client.kind);
          assert.deepEqual(framesOf(client, "message.read", fromCarol), [], client.kind);
        }
        const history = await alice.api.get(`/api/v1/conversations/${conversationId}/messages`);
        assert.deepEqual(
          history.body.data.map((m: { id: string }) => m.id),
          [message.id],
        );
        const rows = await node.app.database
          .knex("messages")
          .where({ conversation_id: conversationId, sender_id: carol.id });
        assert.deepEqual(rows, []);
        assert.deepEqual(await conversationEvents(node.app, conversationId), outboxBefore);
      });
    }
  });
}
