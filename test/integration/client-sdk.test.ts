import assert from "node:assert/strict";
import type { MessagingClient, ServerFrame } from "../../client/src/index";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversation-fixtures";
import { registerUser, TestUser } from "../support/factories";
import {
  assertExactlyOnce,
  assertFramesMatchSchemas,
  closeClients,
  sdkClient,
  storedOnServer,
  waitUntil,
} from "../support/sdk-clients";
import { TcpProxy } from "../support/tcp-proxy";
import { startTestApp, TestApp } from "../support/test-app";

for (const backend of backends()) {
  describe(`client SDK against the service [${backend.name}]`, () => {
    let node: TestApp;
    let alice: TestUser;
    let bob: TestUser;
    let proxy: TcpProxy;
    const clients: MessagingClient[] = [];

    before(async () => {
      node = await startTestApp(backend);
      [alice, bob] = await Promise.all([
        registerUser(node.url, "alice"),
        registerUser(node.url, "bob"),
      ]);
    });
    beforeEach(async () => {
      proxy = await TcpProxy.start(node.url);
    });
    afterEach(async () => {
      closeClients(clients);
      await proxy.stop();
    });

    for (const kind of ["socket.io", "ws"] as const) {
      it(`loses its connection mid-send over ${kind} and still delivers every message exactly once`, async () => {
        const { id } = await createGroup(alice, [bob]);
        const frames: ServerFrame[] = [];
        const client = await sdkClient(proxy.url, alice, kind, clients, { frames });
        const watcher = await sdkClient(node.url, bob, kind, clients);
        await client.sent((await client.send(id, "before the outage")).client_msg_id);
        proxy.dropDownstream = true;
        const contents = [
          "before the outage",
          "sent into the void",
          "queued behind it",
          "and one more",
        ];
        const queued = [];
        for (const content of contents.slice(1)) queued.push(await client.send(id, content));
        // The service stores the first of them; its ack never arrives. Then the line drops.
        await storedOnServer(bob, id, "sent into the void");
        proxy.dropDownstream = false;
        proxy.cut();
        await Promise.all(queued.map((entry) => client.sent(entry.client_msg_id)));
        await assertExactlyOnce(client, alice, id, contents);
        await assertExactlyOnce(watcher, bob, id, contents);
        assert.equal(client.store.conversation(id)?.unread_count, 0);
        assert.equal(watcher.store.conversation(id)?.unread_count, contents.length);
        assertFramesMatchSchemas(frames);
      });
    }

    it("keeps the store's conversations, counts, typing and presence in step with events", async () => {
      const client = await sdkClient(node.url, alice, "ws", clients);
      const other = await sdkClient(node.url, bob, "socket.io", clients);
      const { id } = await createGroup(bob, [alice]);
      await waitUntil(() => client.store.conversation(id) !== undefined);
      const first = await other.send(id, "one");
      await other.sent(first.client_msg_id);
      await other.sent((await other.send(id, "two")).client_msg_id);
      await waitUntil(() => client.store.conversation(id)?.unread_count === 2);
      await client.loadHistory(id);
      await client.markRead(id);
      await waitUntil(() => client.store.conversation(id)?.unread_count === 0);
      other.startTyping(id);
      await waitUntil(() => client.store.typing(id).includes(bob.id));
      other.stopTyping(id);
      await waitUntil(() => client.store.typing(id).length === 0);
      await other.setPresence("busy");
      await waitUntil(() => client.store.presence(bob.id) === "busy");
      assert.equal(client.store.conversations()[0].id, id);
    });
  });
}
