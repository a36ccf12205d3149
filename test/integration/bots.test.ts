import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversations";
import { registerUser, TestUser } from "../support/factories";
import {
  createBot,
  createKey,
  IntegrationApp,
  startIntegrationApp,
} from "../support/integration-fixtures";
import { send } from "../support/message-fixtures";
import { privateDatabase, PrivateDatabase } from "../support/private-database";
import {
  closeAll,
  connectIo,
  connectWs,
  nextEvent,
  RealtimeClient,
  refusedWs,
} from "../support/realtime-clients";
import { WebhookReceiver } from "../support/webhook-receiver";

// Command deliveries are service-wide subscriptions: a database of this suite's own.
for (const backend of backends()) {
  describe(`bots [${backend.name}]`, function () {
    this.timeout(30_000);
    let database: PrivateDatabase;
    let started: IntegrationApp;
    let admin: TestUser;
    let alice: TestUser;
    let receiver: WebhookReceiver;
    const clients: RealtimeClient[] = [];

    before(async function () {
      this.timeout(120_000);
      database = await privateDatabase(backend);
    });
    after(async () => database?.drop());
    beforeEach(async () => {
      started = await startIntegrationApp(backend, {
        database: { url: database.url },
        webhooks: { poll_interval: "100ms", retry_base: "100ms" },
      });
      admin = started.admin;
      alice = await registerUser(started.url, "alice");
      receiver = await WebhookReceiver.start();
    });
    afterEach(async () => {
      closeAll(clients);
      await receiver.close();
    });

    it("joins, sends and reacts over REST as a user of kind bot owned by its key", async () => {
      const bot = await createBot(admin);
      const found = await alice.api.get(`/api/v1/users/${bot.botId}`);
      assert.equal(found.body.kind, "bot");
      assert.equal((await bot.api.get("/api/v1/bots/me")).body.id, bot.botId);
      const conversationId = await createGroup(alice, [{ id: bot.botId } as TestUser]);
      const [io] = [await connectIo(started.url, alice.token)];
      clients.push(io);
      const listed = await bot.api.get("/api/v1/conversations");
      assert.deepEqual(
        listed.body.data.map((c: { id: string }) => c.id),
        [conversationId],
      );
      const sent = await bot.api.post(`/api/v1/conversations/${conversationId}/messages`, {
        content: "hello from a bot",
      });
      assert.equal(sent.status, 201);
      assert.equal(sent.body.sender_id, bot.botId);
      const frame = await nextEvent(io, "message.new");
      assert.equal(frame.data.content, "hello from a bot");
      const mine = await send(alice, conversationId, "react to this");
      const reaction = await bot.api.post(`/api/v1/messages/${mine.id}/reactions`, { emoji: "🤖" });
      assert.equal(reaction.status, 201);
      assert.equal((await nextEvent(io, "reaction.added")).data.user_id, bot.botId);
      assert.equal((await bot.api.post("/api/v1/bots", { username: "second_bot" })).status, 409);
    });

    it("runs over both realtime transports with its key: hears the conversation, sends", async () => {
      const bot = await createBot(admin);
      const conversationId = await createGroup(alice, [{ id: bot.botId } as TestUser]);
      const ws = await connectWs(started.url, bot.key);
      const io = await connectIo(started.url, bot.key);
      clients.push(ws, io);
      assert.equal((await nextEvent(ws, "ready")).data.user_id, bot.botId);
      const ping = await send(alice, conversationId, "ping");
      for (const client of [ws, io]) {
        assert.equal((await nextEvent(client, "message.new")).data.content, "ping");
      }
      const reply = await ws.request("message.send", {
        conversation_id: conversationId,
        content: "pong",
      });
      assert.equal(reply.data.sender_id, bot.botId);
      const reacted = await io.request("reaction.add", { message_id: ping.id, emoji: "👀" });
      assert.deepEqual(reacted.data.reactions, [{ emoji: "👀", count: 1, user_ids: [bot.botId] }]);
      assert.equal((await nextEvent(ws, "reaction.added")).data.user_id, bot.botId);
      const removed = await ws.request("reaction.remove", { message_id: ping.id, emoji: "👀" });
      assert.deepEqual(removed.data, { message_id: ping.id, emoji: "👀" });
      assert.equal((await nextEvent(io, "reaction.removed")).data.emoji, "👀");
      const history = await alice.api.get(`/api/v1/conversations/${conversationId}/messages`);
      assert.deepEqual(
        history.body.data.map((m: { content: string }) => m.content),
        ["pong", "ping"],
      );
    });

    it("lets a read-only bot listen but refuses its writes on every transport", async () => {
      const bot = await createBot(admin, ["read"]);
      const conversationId = await createGroup(alice, [{ id: bot.botId } as TestUser]);
      const ws = await connectWs(started.url, bot.key);
      clients.push(ws);
      await send(alice, conversationId, "listen");
      assert.equal((await nextEvent(ws, "message.new")).data.content, "listen");
      const refused = await ws.request("message.send", {
        conversation_id: conversationId,
        content: "x",
      });
      assert.equal(refused.error.code, "forbidden");
      const rest = await bot.api.post(`/api/v1/conversations/${conversationId}/messages`, {
        content: "x",
      });
      assert.equal(rest.status, 403);
      assert.equal((await bot.api.get(`/api/v1/conversations/${conversationId}`)).status, 200);
    });

    it("routes a slash command to the bot that registered it; its answer appears in the conversation", async () => {
      receiver.respond((request) => ({
        body: { content: `Sunny in ${request.json.data.args}` },
      }));
      const bot = await createBot(admin);
      const registered = await bot.api.put("/api/v1/bots/me/commands/weather", {
        url: receiver.url,
        description: "the weather",
      });
      assert.equal(registered.status, 201);
      const other = await createBot(admin);
      const taken = await other.api.put("/api/v1/bots/me/commands/weather", { url: receiver.url });
      assert.equal(taken.status, 409);
      const conversationId = await createGroup(alice, [{ id: bot.botId } as TestUser]);
      const withoutBot = await createGroup(alice, []);
      const io = await connectIo(started.url, alice.token);
      clients.push(io);
      await send(alice, withoutBot, "/weather Oslo");
      await send(alice, conversationId, "/weathering is not a command");
      const command = await send(alice, conversationId, "/weather Paris");
      const answer = await nextEvent(io, "message.new", (f) => f.data.sender_id === bot.botId);
      assert.equal(answer.data.content, "Sunny in Paris");
      assert.equal(answer.data.conversation_id, conversationId);
      assert.equal(receiver.requests.length, 1, "only the command, only where the bot is");
      const [request] = receiver.requests;
      const payload = new Webhook(registered.body.secret).verify(
        request.body,
        request.headers as never,
      ) as any;
      assert.equal(payload.type, "command.invoked");
      assert.equal(payload.data.command, "weather");
      assert.equal(payload.data.user_id, alice.id);
      assert.equal(payload.data.message.id, command.id);
      const listed = await bot.api.get("/api/v1/bots/me/commands");
      assert.deepEqual(
        listed.body.data.map((c: { command: string }) => c.command),
        ["weather"],
      );
      assert.equal((await bot.api.delete("/api/v1/bots/me/commands/weather")).status, 204);
    });

    it("keeps a bot of a conversation-restricted key inside its conversations", async () => {
      const allowed = await createGroup(alice, []);
      const bot = await createBot(admin, ["read", "write"], { conversation_ids: [allowed] });
      const other = await createGroup(alice, []);
      const add = (id: string) =>
        alice.api.post(`/api/v1/conversations/${id}/members`, { user_id: bot.botId });
      assert.equal((await add(allowed)).status, 201);
      const refused = await add(other);
      assert.equal(refused.status, 403);
      const created = await bot.api.post("/api/v1/conversations", { type: "group", name: "x" });
      assert.equal(created.status, 403);
      assert.equal((await bot.api.get(`/api/v1/conversations/${other}`)).status, 404);
    });

    it("delivers a bot's own events by webhook, and closes its sockets when its key is revoked", async () => {
      const bot = await createBot(admin, ["read", "write", "webhooks"]);
      const stranger = await registerUser(started.url, "stranger");
      const refused = await bot.api.post("/api/v1/webhooks", {
        url: receiver.url,
        event_types: ["*"],
        user_id: stranger.id,
      });
      assert.equal(refused.status, 403);
      const sub = await bot.api.post("/api/v1/webhooks", {
        url: receiver.url,
        event_types: ["message.new"],
        user_id: bot.botId,
      });
      assert.equal(sub.status, 201);
      const conversationId = await createGroup(alice, [{ id: bot.botId } as TestUser]);
      await send(alice, await createGroup(alice, []), "not for the bot");
      await send(alice, conversationId, "for the bot");
      await receiver.waitFor((r) => r.length === 1);
      assert.equal(receiver.requests[0].json.data.content, "for the bot");
      assert.equal((await admin.api.get("/api/v1/webhooks")).body.data.length >= 1, true);

      const ws = await connectWs(started.url, bot.key);
      clients.push(ws);
      await nextEvent(ws, "ready");
      assert.equal((await admin.api.delete(`/api/v1/admin/api-keys/${bot.id}`)).status, 204);
      assert.equal((await nextEvent(ws, "api_key.revoked")).data.bot_user_id, bot.botId);
      assert.equal((await ws.closed).code, 1008);
      assert.equal((await refusedWs(started.url, bot.key)).status, 401);
      assert.equal((await bot.api.get("/api/v1/bots/me")).status, 401);
      const after = await admin.api.get(`/api/v1/webhooks/${sub.body.id}`);
      assert.equal(after.body.enabled, false, "a revoked key's subscriptions stop too");
      assert.equal(after.body.disabled_reason, "API key revoked");
      await admin.api.delete(`/api/v1/webhooks/${sub.body.id}`);
    });

    it("needs a key that acts as a user to create a bot", async () => {
      const adminKey = await createKey(admin, ["admin"]);
      assert.equal((await adminKey.api.post("/api/v1/bots", { username: "nobot" })).status, 403);
      assert.equal((await alice.api.post("/api/v1/bots", { username: "nobot" })).status, 403);
    });
  });
}
