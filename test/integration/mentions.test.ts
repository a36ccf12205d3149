import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { backends } from "../support/backends";
import { TestUser, registerUser } from "../support/factories";
import { openConversation, outboxEvents, send } from "../support/message-fixtures";
import { RealtimeClient, closeAll, connectBoth, nextEvent } from "../support/realtime-clients";
import { startTestApp } from "../support/test-app";

const sorted = (ids: string[]): string[] => [...ids].sort();

for (const backend of backends()) {
  describe(`mentions [${backend.name}]`, () => {
    let app: App;
    let url: string;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let dave: TestUser;
    let outsider: TestUser;
    let clients: RealtimeClient[];

    before(async function () {
      this.timeout(60_000);
      ({ app, url } = await startTestApp(backend, { rate_limits: { mention_all_per_hour: 2 } }));
      [alice, bob, carol, dave, outsider] = await Promise.all(
        ["alice", "bob", "carol", "dave", "mallory"].map((name) => registerUser(url, name)),
      );
    });
    beforeEach(() => (clients = []));
    afterEach(() => closeAll(clients));

    const storedMentions = async (id: string): Promise<string[]> => {
      const row = await app.database.knex("messages").where({ id }).first("mentions");
      const value = row.mentions as string[] | string;
      return Array.isArray(value) ? value : value.replace(/[{}]/g, "").split(",").filter(Boolean);
    };

    describe("POST /conversations/:id/messages", () => {
      it("resolves @username of members into mentions, ignoring non-members, unknown names and the sender", async () => {
        const group = await openConversation([alice, bob, carol]);
        const message = await send(
          alice,
          group,
          `hi @${bob.username}, @${carol.username.toUpperCase()}. @${outsider.username} @nobody_here @${alice.username} mail a@${bob.username}`,
        );
        assert.deepEqual(sorted(message.mentions), sorted([bob.id, carol.id]));
        assert.deepEqual(sorted(await storedMentions(message.id)), sorted([bob.id, carol.id]));
        const [event] = await outboxEvents(app, group, "message.new");
        assert.deepEqual(sorted(event.payload.data.mentions), sorted([bob.id, carol.id]));
      });

      it("gives an empty list to a message that mentions nobody", async () => {
        const group = await openConversation([alice, bob]);
        assert.deepEqual((await send(alice, group, "no one here")).mentions, []);
      });

      it("delivers mentions in message.new on both transports, and in history and one message", async () => {
        const group = await openConversation([alice, bob, carol]);
        const [io, ws] = await connectBoth(url, bob.token, clients);
        const message = await send(alice, group, `@${bob.username} look`);
        for (const client of [io, ws]) {
          const frame = await nextEvent(client, "message.new", (f) => f.data.id === message.id);
          assert.deepEqual(frame.data.mentions, [bob.id]);
        }
        const history = await bob.api.get(`/api/v1/conversations/${group}/messages`);
        assert.deepEqual(history.body.data[0].mentions, [bob.id]);
        const one = await bob.api.get(`/api/v1/messages/${message.id}`);
        assert.deepEqual(one.body.mentions, [bob.id]);
      });

      it("resolves mentions of messages sent over both realtime transports", async () => {
        const group = await openConversation([alice, bob]);
        const [io, ws] = await connectBoth(url, alice.token, clients);
        for (const client of [io, ws]) {
          const reply = await client.request("message.send", {
            conversation_id: group,
            content: `@${bob.username} via ${client.kind}`,
          });
          assert.deepEqual(reply.data.mentions, [bob.id], JSON.stringify(reply));
        }
      });

      it("lets @all in a group by its owner or an admin mention every other member", async () => {
        const group = await openConversation([alice, bob, carol, dave], {
          roles: { [bob.id]: "admin" },
        });
        const byOwner = await send(alice, group, "@all meeting now");
        assert.deepEqual(sorted(byOwner.mentions), sorted([bob.id, carol.id, dave.id]));
        const byAdmin = await send(bob, group, "ping @all");
        assert.deepEqual(sorted(byAdmin.mentions), sorted([alice.id, carol.id, dave.id]));
      });

      it("treats @all from a plain member, or in a direct conversation, as plain text", async () => {
        const group = await openConversation([alice, bob, carol]);
        assert.deepEqual((await send(carol, group, "@all hello")).mentions, []);
        const direct = await openConversation([alice, bob], { type: "direct" });
        assert.deepEqual((await send(alice, direct, "@all hello")).mentions, []);
      });

      it("rate limits @all per sender with 429 rate_limited and Retry-After", async () => {
        const group = await openConversation([dave, alice, bob]);
        await send(dave, group, "@all one");
        await send(dave, group, "@all two");
        const res = await dave.api.post(`/api/v1/conversations/${group}/messages`, {
          content: "@all three",
        });
        assert.equal(res.status, 429);
        assert.equal(res.body.error.code, "rate_limited");
        assert.ok(Number(res.headers.get("retry-after")) > 0);
        // Without @all the sender is not held back.
        await send(dave, group, `@${alice.username} still fine`);
      });
    });

    describe("GET /search/messages?mentions=me", () => {
      it("finds only the caller's mentions, with or without q, in their conversations only", async () => {
        const bob = await registerUser(url, "bob");
        const group = await openConversation([alice, bob, carol]);
        const other = await openConversation([carol, dave]);
        const hit = await send(alice, group, `@${bob.username} quarterly numbers`);
        await send(alice, group, "quarterly numbers without a mention");
        await send(alice, group, `@${carol.username} quarterly numbers`);
        await send(carol, other, `@${dave.username} quarterly`);
        const all = await bob.api.get("/api/v1/search/messages?mentions=me");
        assert.equal(all.status, 200, JSON.stringify(all.body));
        assert.deepEqual(
          all.body.data.map((m: { id: string }) => m.id),
          [hit.id],
        );
        const withQ = await bob.api.get("/api/v1/search/messages?mentions=me&q=quarterly");
        assert.deepEqual(
          withQ.body.data.map((m: { id: string }) => m.id),
          [hit.id],
        );
        const none = await bob.api.get("/api/v1/search/messages?mentions=me&q=nothingmatches");
        assert.deepEqual(none.body.data, []);
      });

      it("still requires q without a filter, and refuses another mentions value", async () => {
        const missing = await bob.api.get("/api/v1/search/messages");
        assert.equal(missing.status, 400);
        const bad = await bob.api.get("/api/v1/search/messages?mentions=you");
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error.code, "validation_error");
      });
    });
  });
}
