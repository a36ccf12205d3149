import assert from "node:assert/strict";
import { Webhook } from "standardwebhooks";
import { backends } from "../support/backends";
import { unpublishedCount, waitUntil } from "../support/event-helpers";
import { createGroup } from "../support/conversations";
import { registerUser, TestUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import {
  IntegrationApp,
  registerNamed,
  startIntegrationApp,
} from "../support/integration-fixtures";
import { send } from "../support/message-fixtures";
import { privateDatabase, PrivateDatabase } from "../support/private-database";
import { startTestApp, stopTestApp } from "../support/test-app";
import { ReceivedRequest, WebhookReceiver } from "../support/webhook-receiver";

const FAST = {
  retry_base: "100ms",
  retry_max: "400ms",
  max_attempts: 3,
  disable_after: 3,
  poll_interval: "100ms",
  lease: "5s",
  timeout: "2s",
};

const contentOf = (request: ReceivedRequest): string => request.json.data.content;
const contents = (requests: ReceivedRequest[]): string[] => requests.map(contentOf);

// Subscriptions are service-wide: each backend gets a database of its own, so no other
// suite's long-lived app (with other retry settings) takes part in these deliveries.
for (const backend of backends()) {
  describe(`webhooks from the event log [${backend.name}]`, function () {
    this.timeout(60_000);
    let database: PrivateDatabase;
    let started: IntegrationApp;
    let admin: TestUser;
    let alice: TestUser;
    let receiver: WebhookReceiver;
    let conversationId: string;
    // Later nodes keep the first node's admin (admin.users) and database.
    const overrides = (extra: Record<string, unknown> = {}) => ({
      database: { url: database.url },
      webhooks: { ...FAST, ...extra },
      ...(admin ? { admin: { users: [admin.username] } } : {}),
    });

    before(async function () {
      this.timeout(120_000);
      database = await privateDatabase(backend);
    });
    after(async () => database?.drop());

    beforeEach(async () => {
      started = await startIntegrationApp(backend, { ...overrides(), admin: undefined });
      admin = started.admin;
      alice = await registerUser(started.url, "alice");
      conversationId = await createGroup(alice, []);
      receiver = await WebhookReceiver.start();
    });
    afterEach(async () => {
      await receiver.close();
      const { body } = await admin.api.get("/api/v1/webhooks?limit=100");
      for (const sub of body.data ?? []) await admin.api.delete(`/api/v1/webhooks/${sub.id}`);
    });

    const subscribe = async (extra: Record<string, unknown> = {}, user = admin) => {
      const response = await user.api.post("/api/v1/webhooks", {
        url: receiver.url,
        event_types: ["message.new"],
        conversation_ids: [conversationId],
        ...extra,
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      assert.match(response.body.secret, /^whsec_/);
      return response.body as { id: string; secret: string };
    };

    it("signs each delivery so that a Standard Webhooks library verifies it", async () => {
      const { secret } = await subscribe();
      const message = await send(alice, conversationId, "signed hello");
      await receiver.waitFor((r) => r.length === 1);
      const [request] = receiver.requests;
      const verified = new Webhook(secret).verify(request.body, request.headers as never) as any;
      assert.equal(verified.type, "message.new");
      assert.equal(verified.data.id, message.id);
      assert.equal(verified.data.content, "signed hello");
      assert.equal(request.headers["webhook-id"], verified.id);
      assert.match(String(request.headers["webhook-signature"]), /^v1,[A-Za-z0-9+/]+=*$/);
      assert.throws(() =>
        new Webhook(secret).verify(
          request.body.replace("signed", "forged"),
          request.headers as never,
        ),
      );
      const other = new Webhook("whsec_" + Buffer.alloc(24, 7).toString("base64"));
      assert.throws(() => other.verify(request.body, request.headers as never));
    });

    it("keeps signing secrets encrypted at rest, and seals one stored in plaintext before", async () => {
      const { id, secret } = await subscribe();
      const stored = async () =>
        (
          (await started.app.database.knex("webhook_subscriptions").where({ id }).first()) as {
            secret: string;
          }
        ).secret;
      assert.match(await stored(), /^enc:v1:/);
      assert.ok(!(await stored()).includes(secret.slice(6, 20)), "no plaintext in the row");
      // A row as an older version stored it; a node starting on the database seals it.
      await started.app.database.knex("webhook_subscriptions").where({ id }).update({ secret });
      await startTestApp(backend, overrides());
      assert.match(await stored(), /^enc:v1:/);
      await send(alice, conversationId, "signed after sealing");
      await receiver.waitFor((r) => r.length === 1);
      const [request] = receiver.requests;
      const verified = new Webhook(secret).verify(request.body, request.headers as never) as any;
      assert.equal(verified.data.content, "signed after sealing");
    });

    it("retries a receiver that fails twice and delivers everything later, in order", async () => {
      receiver.respond((_request, index) => (index < 2 ? { status: 503 } : undefined));
      await subscribe();
      for (const text of ["one", "two", "three"]) await send(alice, conversationId, text);
      await receiver.waitFor((r) => r.filter((q) => contentOf(q) === "three").length === 1);
      assert.deepEqual(contents(receiver.requests), ["one", "one", "one", "two", "three"]);
      const ids = receiver.requests.slice(0, 3).map((r) => r.headers["webhook-id"]);
      assert.equal(new Set(ids).size, 1, "a retry carries the same webhook-id");
      const dead = await admin.api.get(`/api/v1/webhooks`);
      assert.equal(dead.body.data[0].consecutive_failures, 0);
      assert.equal(dead.body.data[0].attempts, 0);
    });

    it("dead-letters exactly the event that fails every try, goes on, and replays it", async () => {
      let poisoned = true;
      receiver.respond((request) =>
        poisoned && contentOf(request) === "poison" ? { status: 500 } : undefined,
      );
      const { id } = await subscribe();
      for (const text of ["before", "poison", "after"]) await send(alice, conversationId, text);
      await receiver.waitFor((r) => r.some((q) => contentOf(q) === "after"));
      assert.deepEqual(contents(receiver.requests), [
        "before",
        "poison",
        "poison",
        "poison",
        "after",
      ]);
      const letters = await admin.api.get(`/api/v1/webhooks/${id}/dead-letters`);
      assert.equal(letters.body.data.length, 1);
      const [letter] = letters.body.data;
      assert.equal(letter.attempts, FAST.max_attempts);
      assert.equal(letter.last_error, "HTTP 500");
      assert.equal(letter.event_id, receiver.requests[1].headers["webhook-id"]);
      assert.equal(JSON.parse(letter.body).data.content, "poison");

      poisoned = false;
      const replay = await admin.api.post(
        `/api/v1/webhooks/${id}/dead-letters/${letter.id}/replay`,
      );
      assert.equal(replay.status, 200);
      assert.equal(replay.body.delivered, true);
      assert.ok(replay.body.dead_letter.replayed_at);
      const last = receiver.requests.at(-1)!;
      assert.equal(contentOf(last), "poison");
      assert.equal(last.headers["webhook-id"], letter.event_id);
      const pending = await admin.api.get(`/api/v1/webhooks/${id}/dead-letters?pending=true`);
      assert.deepEqual(pending.body.data, []);
      const log = await admin.api.get(`/api/v1/admin/audit-log?action=webhook.replay`);
      assert.equal(log.body.data[0].target_id, id);
    });

    it("disables an endpoint that keeps failing, and a re-enabled one resumes where it stopped", async () => {
      let down = true;
      receiver.respond(() => (down ? { status: 500 } : undefined));
      const { id } = await subscribe();
      for (const text of ["a", "b", "c"]) await send(alice, conversationId, text);
      await receiver.waitFor((r) => r.length === 9, "three events tried three times");
      let sub = (await admin.api.get(`/api/v1/webhooks/${id}`)).body;
      for (let i = 0; i < 50 && sub.enabled; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        sub = (await admin.api.get(`/api/v1/webhooks/${id}`)).body;
      }
      assert.equal(sub.enabled, false);
      assert.match(sub.disabled_reason, /3 dead letters in a row/);
      const log = await admin.api.get(`/api/v1/admin/audit-log?action=webhook.disable`);
      assert.equal(log.body.data[0].target_id, id);
      assert.deepEqual(log.body.data[0].actor, { user_id: null, api_key_id: null });

      await send(alice, conversationId, "while disabled");
      down = false;
      const enabled = await admin.api.put(`/api/v1/webhooks/${id}`, { enabled: true });
      assert.equal(enabled.body.enabled, true);
      await receiver.waitFor((r) => r.some((q) => contentOf(q) === "while disabled"));
      assert.equal(receiver.requests.length, 10, "nothing else was sent while disabled");
    });

    it("loses nothing when the service restarts in the middle of retries", async () => {
      await stopTestApp(started.app);
      const first = await startTestApp(backend, overrides({ max_attempts: 100 }));
      admin = { ...admin, api: new ApiClient(first.url, admin.token) };
      alice = { ...alice, api: new ApiClient(first.url, alice.token) };
      receiver.respond(() => ({ status: 500 }));
      await subscribe();
      await send(alice, conversationId, "first");
      await send(alice, conversationId, "second");
      await receiver.waitFor((r) => r.length >= 2, "a few failed tries");
      await stopTestApp(first.app);
      const triesBefore = receiver.requests.length;
      receiver.respond(() => undefined);
      const second = await startTestApp(backend, overrides({ max_attempts: 100 }));
      admin = { ...admin, api: new ApiClient(second.url, admin.token) };
      await receiver.waitFor((r) => r.some((q) => contentOf(q) === "second"));
      const after = receiver.requests.slice(triesBefore);
      assert.deepEqual(contents(after), ["first", "second"]);
      assert.ok(contents(receiver.requests.slice(0, triesBefore)).every((c) => c === "first"));
    });

    it("keeps the events an enabled subscription has not reached through pruning", async () => {
      const node = await startTestApp(backend, {
        ...overrides({ max_attempts: 100 }),
        events: { retention: "1ms" },
      });
      let down = true;
      receiver.respond(() => (down ? { status: 500 } : undefined));
      await subscribe();
      await send(alice, conversationId, "keep me");
      await receiver.waitFor((r) => r.length >= 1);
      const eventId = String(receiver.requests[0].headers["webhook-id"]);
      await waitUntil(async () => (await unpublishedCount(node.app)) === 0, "all published");
      await node.app.events.pruner.prune();
      const kept = await node.app.database.knex("outbox").where({ id: eventId }).first();
      assert.ok(kept, "the undelivered event is still in the log");
      down = false;
      await receiver.waitFor((r) => r.some((q) => contentOf(q) === "keep me" && r.at(-1) === q));
      await waitUntil(async () => {
        await node.app.events.pruner.prune();
        return !(await node.app.database.knex("outbox").where({ id: eventId }).first());
      }, "the delivered event is pruned");
    });

    it("keeps each subscription's order across two nodes and filters by type and conversation", async () => {
      const node2 = await startTestApp(backend, overrides());
      const bob = await registerNamed(node2.url, `bob_${Date.now().toString(36)}`);
      await alice.api.post(`/api/v1/conversations/${conversationId}/members`, { user_id: bob.id });
      const elsewhere = await createGroup(alice, []);
      receiver.respond(() => ({ delayMs: Math.floor(Math.random() * 15) }));
      await subscribe();
      const reactions = await WebhookReceiver.start();
      try {
        const reactionSub = await admin.api.post("/api/v1/webhooks", {
          url: reactions.url,
          event_types: ["reaction.added"],
        });
        assert.equal(reactionSub.status, 201);
        const sent = await Promise.all(
          Array.from({ length: 24 }, (_, i) =>
            send(i % 2 ? bob : alice, conversationId, `m${i}`).then((m) => m.seq as number),
          ),
        );
        const reacted = await send(alice, elsewhere, "react to me");
        assert.equal(
          (await alice.api.post(`/api/v1/messages/${reacted.id}/reactions`, { emoji: "👍" }))
            .status,
          201,
        );
        await receiver.waitFor((r) => r.length === sent.length, "every message");
        const seqs = receiver.requests.map((r) => r.json.data.seq as number);
        assert.deepEqual(
          seqs,
          [...seqs].sort((a, b) => a - b),
          "in position order",
        );
        assert.equal(new Set(seqs).size, sent.length, "each once");
        await reactions.waitFor((r) => r.length === 1);
        assert.equal(reactions.requests[0].json.type, "reaction.added");
        assert.equal(reactions.requests[0].json.data.message_id, reacted.id);
        assert.ok(receiver.requests.every((r) => r.json.data.conversation_id === conversationId));
      } finally {
        await reactions.close();
      }
    });
  });
}
