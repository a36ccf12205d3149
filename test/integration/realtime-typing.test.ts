import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { addMember } from "../support/conversation-fixtures";
import { createGroup } from "../support/conversations";
import { messageDraft, recordEvents } from "../support/events";
import { registerUser, TestUser } from "../support/factories";
import {
  closeAll,
  connectBoth,
  framesOf,
  nextEvent,
  RealtimeClient,
} from "../support/realtime-clients";
import { settle, watch } from "../support/realtime-watch";
import { startTestApp, TestApp, stopTestApp } from "../support/test-app";

for (const backend of backends()) {
  describe(`typing and membership over realtime [${backend.name}]`, () => {
    let node: TestApp;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let conversationId: string;
    const clients: RealtimeClient[] = [];

    before(async () => {
      // Typing never times out within a test here, so each end seen has the cause tested.
      node = await startTestApp(backend, { realtime: { typing_timeout: "30s" } });
      alice = await registerUser(node.url, "alice");
      bob = await registerUser(node.url, "bob");
      carol = await registerUser(node.url, "carol");
    });
    beforeEach(async () => {
      conversationId = await createGroup(alice, [bob]);
    });
    afterEach(() => closeAll(clients));
    after(() => Promise.all([stopTestApp(node.app)]));

    const connect = (user: TestUser) => connectBoth(node.url, user.token, clients);
    const typing = (user: TestUser, isTyping: boolean) => (f: Record<string, any>) =>
      f.user_id === user.id && f.is_typing === isTyping && f.conversation_id === conversationId;

    it("relays typing.start to the other members on both transports, never to the typist", async () => {
      const bobs = await connect(bob);
      const [carolWs] = await connect(carol);
      const [aliceIo, aliceWs] = await connect(alice);
      const reply = await aliceWs.request("typing.start", { conversation_id: conversationId });
      assert.deepEqual(reply.data, { conversation_id: conversationId, is_typing: true });
      for (const client of bobs) {
        const frame = await nextEvent(client, "typing.indicator", typing(alice, true));
        assert.deepEqual(frame, {
          type: "typing.indicator",
          conversation_id: conversationId,
          user_id: alice.id,
          is_typing: true,
        });
      }
      for (const client of [aliceIo, aliceWs, carolWs]) {
        assert.equal(framesOf(client, "typing.indicator").length, 0);
      }
      await aliceIo.request("typing.stop", { conversation_id: conversationId });
      for (const client of bobs) await nextEvent(client, "typing.indicator", typing(alice, false));
    });

    it("relays one typing.start per throttle interval and ends typing by itself", async () => {
      const quick = await startTestApp(backend, { realtime: { typing_timeout: "400ms" } });
      after(() => stopTestApp(quick.app));
      const [bobIo] = await connectBoth(quick.url, bob.token, clients);
      const [, aliceWs] = await connectBoth(quick.url, alice.token, clients);
      for (let i = 0; i < 3; i += 1) {
        await aliceWs.request("typing.start", { conversation_id: conversationId });
      }
      await nextEvent(bobIo, "typing.indicator", typing(alice, false));
      assert.equal(framesOf(bobIo, "typing.indicator", typing(alice, true)).length, 1);
      assert.equal(framesOf(bobIo, "typing.indicator", typing(alice, false)).length, 1);
    });

    it("ends the typist's indicator when their message arrives", async () => {
      const [bobIo] = await connect(bob);
      const [aliceIo] = await connect(alice);
      await aliceIo.request("typing.start", { conversation_id: conversationId });
      await nextEvent(bobIo, "typing.indicator", typing(alice, true));
      const sent = messageDraft([alice.id, bob.id]);
      sent.conversationId = conversationId;
      Object.assign(sent.frame.data as object, { conversation_id: conversationId });
      await recordEvents(node.app, [sent]);
      await nextEvent(bobIo, "message.new");
      await nextEvent(bobIo, "typing.indicator", typing(alice, false));
    });

    it("answers a non-member's typing with 404 not_found and relays nothing", async () => {
      const [bobIo] = await connect(bob);
      const carols = await connect(carol);
      for (const client of carols) {
        const reply = await client.request("typing.start", { conversation_id: conversationId });
        assert.equal(reply.error.code, "not_found");
      }
      const [aliceWs] = await connect(alice);
      await aliceWs.request("typing.start", { conversation_id: conversationId });
      await nextEvent(bobIo, "typing.indicator", typing(alice, true));
      assert.equal(framesOf(bobIo, "typing.indicator", (f) => f.user_id === carol.id).length, 0);
    });

    it("lets an added member hear the conversation at once and a removed one nothing more", async () => {
      const [bobIo] = await connect(bob);
      const carols = await connect(carol);
      const added = await alice.api.post(`/api/v1/conversations/${conversationId}/members`, {
        user_id: carol.id,
      });
      assert.equal(added.status, 201);
      for (const client of carols) {
        const frame = await nextEvent(client, "member.added");
        assert.equal(frame.data.user_id, carol.id);
      }
      await alice.api.put(`/api/v1/conversations/${conversationId}`, { name: "renamed once" });
      for (const client of carols) await nextEvent(client, "conversation.updated");

      const removed = await alice.api.delete(
        `/api/v1/conversations/${conversationId}/members/${carol.id}`,
      );
      assert.equal(removed.status, 204);
      for (const client of carols) await nextEvent(client, "member.removed");
      await alice.api.put(`/api/v1/conversations/${conversationId}`, { name: "renamed twice" });
      await nextEvent(bobIo, "conversation.updated", (f) => f.data.name === "renamed twice");
      for (const client of carols) {
        assert.equal(framesOf(client, "conversation.updated").length, 1);
      }
    });

    it("relays nothing more of a typing that began before a member was removed to that member", async () => {
      await addMember(alice, conversationId, carol);
      const bobs = await watch(node.url, bob, clients);
      const carols = await watch(node.url, carol, clients);
      const [aliceIo] = await connect(alice);
      await aliceIo.request("typing.start", { conversation_id: conversationId });
      for (const client of [bobs.io, bobs.ws, carols.io]) {
        await nextEvent(client, "typing.indicator", typing(alice, true));
      }
      const path = `/api/v1/conversations/${conversationId}/members/${bob.id}`;
      assert.equal((await alice.api.delete(path)).status, 204);
      const removed = await Promise.all(
        [bobs.io, bobs.ws].map((c) => nextEvent(c, "member.removed")),
      );
      await aliceIo.request("typing.stop", { conversation_id: conversationId });
      await nextEvent(carols.ws, "typing.indicator", typing(alice, false));
      await settle([bobs]);
      [bobs.io, bobs.ws].forEach((client, index) => {
        const afterRemoval = client.frames.slice(client.frames.indexOf(removed[index]));
        assert.deepEqual(
          afterRemoval.filter(
            (frame) =>
              frame.type === "typing.indicator" && frame.conversation_id === conversationId,
          ),
          [],
        );
      });
    });
  });
}
