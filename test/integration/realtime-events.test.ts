import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { addMember, createGroup } from "../support/conversation-fixtures";
import { registerUser, TestUser } from "../support/factories";
import { send } from "../support/message-fixtures";
import { closeAll, Frame, RealtimeClient } from "../support/realtime-clients";
import { eventsOf, expectEvent, settle, watch, Watcher } from "../support/realtime-watch";
import { startTestApp, stopTestApp, TestApp } from "../support/test-app";

const CURSOR = /^p[0-9a-z]+$/;
const about = (conversationId: string) => (frame: Frame) =>
  (frame.data?.conversation_id ?? frame.conversation_id ?? frame.data?.id) === conversationId;
const withoutCursor = ({ cursor, ...rest }: Frame) => {
  assert.match(cursor, CURSOR);
  return rest;
};

// Every stored event of the contract, caused over REST: it reaches one Socket.IO and one
// /ws connection of each member exactly once, and nothing reaches anyone else.
for (const backend of backends()) {
  describe(`realtime events of REST actions, on both transports [${backend.name}]`, () => {
    let node: TestApp;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let dave: TestUser;
    let conversationId: string;
    let members: Watcher[];
    let outsiders: Watcher[];
    const clients: RealtimeClient[] = [];

    before(async () => {
      node = await startTestApp(backend);
      [alice, bob, carol, dave] = await Promise.all(
        ["alice", "bob", "carol", "dave"].map((name) => registerUser(node.url, name)),
      );
    });
    beforeEach(async () => {
      conversationId = (await createGroup(alice, [bob])).id;
      members = [await watch(node.url, alice, clients), await watch(node.url, bob, clients)];
      outsiders = [await watch(node.url, carol, clients)];
    });
    afterEach(() => closeAll(clients));
    after(() => stopTestApp(node.app));

    const event = (type: string, match = about(conversationId)) =>
      expectEvent(members, outsiders, type, match);
    const sent = async (content = "hello") => {
      const message = await send(alice, conversationId, content);
      await event("message.new", (f) => f.data.id === message.id);
      return message;
    };

    it("message.new {data: Message} to every member, the sender's own connections too", async () => {
      const message = await send(bob, conversationId, "from bob over REST");
      const frame = await event("message.new");
      assert.deepEqual(withoutCursor(frame), { type: "message.new", data: message });
    });

    it("message.updated {data: Message} when the sender edits", async () => {
      const message = await sent();
      const res = await alice.api.put(`/api/v1/messages/${message.id}`, { content: "edited" });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const frame = await event("message.updated");
      assert.deepEqual(withoutCursor(frame), { type: "message.updated", data: res.body });
      assert.equal(frame.data.content, "edited");
      assert.ok(frame.data.edited_at);
    });

    it("message.deleted {data: {id, conversation_id, seq, deleted_at}}", async () => {
      const message = await sent();
      assert.equal((await alice.api.delete(`/api/v1/messages/${message.id}`)).status, 204);
      const frame = await event("message.deleted");
      const { deleted_at: deletedAt, ...rest } = withoutCursor(frame).data;
      // Each receiver's own counts after the deletion ride along (alice sent it, bob had
      // not read it: both now have nothing unread).
      assert.deepEqual(rest, {
        id: message.id,
        conversation_id: conversationId,
        seq: message.seq,
        unread_count: 0,
        mention_count: 0,
      });
      assert.ok(Date.parse(deletedAt) > 0);
    });

    it("reaction.added and reaction.removed {data: {message_id, conversation_id, user_id, emoji}}", async () => {
      const message = await sent();
      const reactions = `/api/v1/messages/${message.id}/reactions`;
      assert.equal((await bob.api.post(reactions, { emoji: "👍" })).status, 201);
      const data = { message_id: message.id, conversation_id: conversationId, user_id: bob.id };
      const added = await event("reaction.added");
      assert.deepEqual(withoutCursor(added), {
        type: "reaction.added",
        data: { ...data, emoji: "👍" },
      });
      assert.equal((await bob.api.delete(`${reactions}/${encodeURIComponent("👍")}`)).status, 204);
      const removed = await event("reaction.removed");
      assert.deepEqual(withoutCursor(removed), {
        type: "reaction.removed",
        data: { ...data, emoji: "👍" },
      });
    });

    it("message.read {message_id, user_id, conversation_id, last_read_seq} at the top level", async () => {
      const message = await sent();
      const res = await bob.api.post(`/api/v1/messages/${message.id}/read`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const frame = await event("message.read");
      assert.deepEqual(withoutCursor(frame), {
        type: "message.read",
        message_id: message.id,
        user_id: bob.id,
        conversation_id: conversationId,
        last_read_seq: message.seq,
      });
    });

    it("conversation.created {data: Conversation} to the new conversation's members", async () => {
      const created = await createGroup(alice, [bob], { name: "brand new" });
      const frame = await event("conversation.created", about(created.id));
      assert.deepEqual(withoutCursor(frame), { type: "conversation.created", data: created });
    });

    it("conversation.updated {data: Conversation} when a group is renamed", async () => {
      const res = await alice.api.put(`/api/v1/conversations/${conversationId}`, {
        name: "renamed",
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const frame = await event("conversation.updated");
      assert.deepEqual(withoutCursor(frame), { type: "conversation.updated", data: res.body });
    });

    it("conversation.deleted {data: {id}} to every former member", async () => {
      assert.equal((await alice.api.delete(`/api/v1/conversations/${conversationId}`)).status, 204);
      const frame = await event("conversation.deleted");
      assert.deepEqual(withoutCursor(frame), {
        type: "conversation.deleted",
        data: { id: conversationId },
      });
    });

    it("member.added {data: {conversation_id, user_id, role}}, and the next message on the same connections", async () => {
      const daves = await watch(node.url, dave, clients);
      await addMember(alice, conversationId, dave);
      members.push(daves);
      const frame = await event("member.added");
      assert.deepEqual(withoutCursor(frame), {
        type: "member.added",
        data: { conversation_id: conversationId, user_id: dave.id, role: "member" },
      });
      await sent("dave hears this without reconnecting");
    });

    it("member.removed {data: {conversation_id, user_id, role}} to the removed one too, then nothing more", async () => {
      const path = `/api/v1/conversations/${conversationId}/members/${bob.id}`;
      assert.equal((await alice.api.delete(path)).status, 204);
      const frame = await event("member.removed");
      assert.deepEqual(withoutCursor(frame), {
        type: "member.removed",
        data: { conversation_id: conversationId, user_id: bob.id, role: "member" },
      });
      const [, bobs] = members;
      const before = [bobs.io, bobs.ws].map((client) => eventsOf(client).length);
      members = [members[0]];
      await send(alice, conversationId, "bob is gone");
      await expectEvent(members, [], "message.new", about(conversationId));
      await settle([bobs]);
      assert.deepEqual(
        [bobs.io, bobs.ws].map((client) => eventsOf(client).length),
        before,
      );
    });
  });
}
