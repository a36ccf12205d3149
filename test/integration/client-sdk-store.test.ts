import assert from "node:assert/strict";
import crypto from "node:crypto";
import { MessagingClient } from "../../client/src/index";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversation-fixtures";
import { registerUsers } from "../support/factories";
import { closeClients, sdkClient, transportOf, waitUntil } from "../support/sdk-clients";
import { startTestApp, TestApp } from "../support/test-app";

// What an app's views need from the store beyond the events: names, threads, its own
// changes applied at once, presence of new people, and the list before the socket is up.
for (const backend of backends()) {
  describe(`client SDK store for app views [${backend.name}]`, () => {
    let node: TestApp;
    const clients: MessagingClient[] = [];

    before(async () => {
      node = await startTestApp(backend);
    });
    afterEach(() => closeClients(clients));

    it("loads conversations and users over REST before connecting, and sends as the given user", async () => {
      const [alice, bob] = await registerUsers(node.url, ["alice", "bob"]);
      const { id } = await createGroup(alice, [bob]);
      const ghost = crypto.randomUUID();
      let ghostLookups = 0;
      const client = new MessagingClient({
        url: node.url,
        token: alice.token,
        userId: alice.id,
        transport: transportOf("ws"),
        fetch: (input: string | URL | Request, init?: RequestInit) => {
          if (urlOf(input).includes(ghost)) ghostLookups += 1;
          return fetch(input, init);
        },
      });
      clients.push(client);
      await client.loadConversations();
      assert.deepEqual(
        client.store.conversations().map((c) => c.id),
        [id],
      );
      await client.loadUsers([alice.id, bob.id, bob.id, ghost]);
      assert.equal(client.store.user(bob.id)?.username, bob.username);
      await client.loadUsers([bob.id, ghost]);
      assert.equal(ghostLookups, 1, "a user that does not exist is asked for once");
      const queued = await client.send(id, "queued before the socket");
      assert.deepEqual(
        client.store.messages(id).map((m) => [m.sender_id, "pending" in m]),
        [[alice.id, true]],
      );
      await client.connect();
      const stored = await client.sent(queued.client_msg_id);
      assert.equal(stored.sender_id, alice.id);
    });

    it("holds a conversation it creates at once and learns the presence of the people in it", async () => {
      const [alice, bob] = await registerUsers(node.url, ["alice", "bob"]);
      const client = await sdkClient(node.url, alice, "socket.io", clients);
      await sdkClient(node.url, bob, "ws", clients);
      // Bob came online after Alice loaded who is online, and they share nothing yet.
      assert.equal(client.store.presence(bob.id), undefined);
      const conversation = await client.createConversation({
        type: "direct",
        member_ids: [bob.id],
      });
      assert.equal(client.store.conversation(conversation.id)?.type, "direct");
      await waitUntil(() => client.store.presence(bob.id) === "online", "bob's presence");
    });

    it("loads a thread and follows its reply count as replies arrive", async () => {
      const [alice, bob] = await registerUsers(node.url, ["alice", "bob"]);
      const { id } = await createGroup(alice, [bob]);
      const other = await sdkClient(node.url, bob, "socket.io", clients);
      const parent = await other.sent((await other.send(id, "parent")).client_msg_id);
      const earlier = await other.sent(
        (await other.send(id, "first reply", { parent_id: parent.id })).client_msg_id,
      );
      // Connected afterwards: the thread is only what loadThread brings.
      const client = await sdkClient(node.url, alice, "ws", clients);
      assert.equal(client.store.findMessage(parent.id), undefined);
      await client.loadThread(parent.id);
      assert.equal(client.store.findMessage(parent.id)?.reply_count, 1);
      assert.deepEqual(
        client.store.replies(id, parent.id).map((m) => m.id),
        [earlier.id],
      );
      await other.sent(
        (await other.send(id, "second reply", { parent_id: parent.id })).client_msg_id,
      );
      await waitUntil(() => client.store.findMessage(parent.id)?.reply_count === 2, "count 2");
      await client.send(id, "my reply", { parent_id: parent.id });
      assert.deepEqual(
        client.store.replies(id, parent.id).map((m) => m.content),
        ["first reply", "second reply", "my reply"],
      );
    });

    it("applies its own edits, deletions, reactions and reads at once, with the socket closed", async () => {
      const [alice, bob] = await registerUsers(node.url, ["alice", "bob"]);
      const { id } = await createGroup(alice, [bob]);
      let reads = 0;
      const client = await sdkClient(node.url, alice, "ws", clients, {
        fetch: (input: string | URL | Request, init?: RequestInit) => {
          if (urlOf(input).endsWith("/read")) reads += 1;
          return fetch(input, init);
        },
      });
      const other = await sdkClient(node.url, bob, "ws", clients);
      const mine = await client.sent((await client.send(id, "mine")).client_msg_id);
      const theirs = await other.sent((await other.send(id, "theirs")).client_msg_id);
      await client.loadHistory(id);
      await waitUntil(() => client.store.conversation(id)?.unread_count === 1, "one unread");
      client.close(); // no event reaches the store from here on

      await client.react(theirs.id, "👍");
      assert.deepEqual(client.store.findMessage(theirs.id)?.reactions, [
        { emoji: "👍", count: 1, user_ids: [alice.id] },
      ]);
      await client.react(theirs.id, "👍", false);
      assert.deepEqual(client.store.findMessage(theirs.id)?.reactions, []);
      await client.editMessage(mine.id, "mine, edited");
      assert.equal(client.store.findMessage(mine.id)?.content, "mine, edited");
      assert.ok(client.store.findMessage(mine.id)?.edited_at);
      await client.deleteMessage(mine.id);
      assert.ok(client.store.findMessage(mine.id)?.deleted_at);
      assert.equal(client.store.findMessage(mine.id)?.content, null);

      // Five calls at once: one read, then the rest see nothing left to mark.
      await Promise.all([1, 2, 3, 4, 5].map(() => client.markRead(id)));
      assert.equal(reads, 1);
      assert.equal(client.store.conversation(id)?.unread_count, 0);
      assert.equal(client.store.readPointer(client.store.conversation(id)!), theirs.seq);
    });
  });
}

const urlOf = (input: string | URL | Request) =>
  input instanceof Request ? input.url : String(input);
