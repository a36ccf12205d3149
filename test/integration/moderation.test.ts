import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversations";
import { registerUser, TestUser } from "../support/factories";
import { closeAll, connectIo, connectWs, RealtimeClient } from "../support/realtime-clients";
import { startTestApp, TestApp } from "../support/test-app";
import { WebhookReceiver } from "../support/webhook-receiver";

const SECRET = "whsec_" + Buffer.alloc(24, 3).toString("base64");

for (const backend of backends()) {
  describe(`pre-send moderation [${backend.name}]`, () => {
    let hook: WebhookReceiver;
    let started: TestApp;
    let alice: TestUser;
    let conversationId: string;
    const clients: RealtimeClient[] = [];

    const start = async (moderation: Record<string, unknown>) => {
      started = await startTestApp(backend, { moderation });
      alice = await registerUser(started.url, "alice");
      conversationId = await createGroup(alice, []);
    };
    const withHook = (onFailure: "open" | "closed") =>
      start({ url: hook.url, secret: SECRET, timeout: "300ms", on_failure: onFailure });
    const post = (content: string) =>
      alice.api.post(`/api/v1/conversations/${conversationId}/messages`, { content });
    const history = async () =>
      (await alice.api.get(`/api/v1/conversations/${conversationId}/messages`)).body.data.map(
        (m: { content: string }) => m.content,
      );
    const metric = async (moderator: string, verdict: string) => {
      const text = await (await fetch(`${started.url}/metrics`)).text();
      const pattern = `messaging_moderation_seconds_count\\{moderator="${moderator}",verdict="${verdict}"\\} (\\d+)`;
      return Number(new RegExp(pattern).exec(text)?.[1] ?? 0);
    };

    beforeEach(async () => {
      hook = await WebhookReceiver.start();
    });
    afterEach(async () => {
      closeAll(clients);
      await hook.close();
    });

    it("allows: the message is stored as sent; the hook saw it, signed", async () => {
      hook.respond(() => ({ body: { action: "allow" } }));
      await withHook("open");
      const sent = await post("a fine message");
      assert.equal(sent.status, 201);
      assert.equal(sent.body.content, "a fine message");
      const [request] = hook.requests;
      const seen = new Webhook(SECRET).verify(request.body, request.headers as never) as any;
      assert.equal(seen.kind, "message");
      assert.equal(seen.content, "a fine message");
      assert.equal(seen.sender_id, alice.id);
      assert.equal(seen.conversation_id, conversationId);
      assert.equal(await metric("http", "allow"), 1);
    });

    it("rejects: the sender gets rejected with the reason on REST and both realtime transports; nothing is stored", async () => {
      hook.respond(() => ({ body: { action: "reject", reason: "no spam please" } }));
      await withHook("open");
      const rest = await post("buy now");
      assert.equal(rest.status, 422);
      assert.deepEqual(rest.body.error, { code: "rejected", message: "no spam please" });
      const io = await connectIo(started.url, alice.token);
      const ws = await connectWs(started.url, alice.token);
      clients.push(io, ws);
      for (const client of [io, ws]) {
        const reply = await client.request("message.send", {
          conversation_id: conversationId,
          content: "x",
        });
        assert.equal(reply.error.code, "rejected");
        assert.equal(reply.error.message, "no spam please");
      }
      assert.deepEqual(await history(), []);
      const events = await started.app.database
        .knex("outbox")
        .where({ conversation_id: conversationId, type: "message.new" });
      assert.equal(events.length, 0);
    });

    it("replaces: the hook's content is what is stored and delivered", async () => {
      hook.respond(() => ({ body: { action: "replace", content: "[removed by moderation]" } }));
      await withHook("open");
      const sent = await post("something rude");
      assert.equal(sent.status, 201);
      assert.equal(sent.body.content, "[removed by moderation]");
      assert.deepEqual(await history(), ["[removed by moderation]"]);
    });

    it("moderates edits too", async () => {
      hook.respond((request) =>
        request.json.kind === "edit"
          ? { body: { action: "reject", reason: "not that" } }
          : { body: { action: "allow" } },
      );
      await withHook("open");
      const sent = await post("original");
      const edit = await alice.api.put(`/api/v1/messages/${sent.body.id}`, { content: "worse" });
      assert.equal(edit.status, 422);
      assert.equal(edit.body.error.code, "rejected");
      assert.equal(hook.requests[1].json.message_id, sent.body.id);
      assert.deepEqual(await history(), ["original"]);
    });

    it("fails open on a timeout when so configured: the message goes through unchanged", async () => {
      hook.respond(() => ({ body: { action: "reject", reason: "too late" }, delayMs: 1500 }));
      await withHook("open");
      const sent = await post("hook is slow");
      assert.equal(sent.status, 201);
      assert.deepEqual(await history(), ["hook is slow"]);
      assert.equal(await metric("http", "error"), 1);
    });

    it("fails closed on a timeout when so configured: 503 unavailable, nothing stored", async () => {
      hook.respond(() => ({ body: { action: "allow" }, delayMs: 1500 }));
      await withHook("closed");
      const sent = await post("hook is slow");
      assert.equal(sent.status, 503);
      assert.equal(sent.body.error.code, "unavailable");
      assert.deepEqual(await history(), []);
    });

    it("fails closed on an answer it cannot read", async () => {
      hook.respond(() => ({ body: { verdict: "maybe" } }));
      await withHook("closed");
      assert.equal((await post("unreadable")).status, 503);
    });

    it("filters a word list built in, on the same interface: reject, or mask", async () => {
      await start({ word_list: ["darn", "heck"] });
      const refused = await post("well DARN it");
      assert.equal(refused.status, 422);
      assert.equal(refused.body.error.code, "rejected");
      assert.equal((await post("darning socks is a craft")).status, 201);
      assert.equal(await metric("word_list", "reject"), 1);
      await start({ word_list: ["darn", "heck"], word_list_action: "mask" });
      const masked = await post("what the heck, darn");
      assert.equal(masked.body.content, "what the ****, ****");
    });
  });
}
