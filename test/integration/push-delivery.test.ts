import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { backends } from "../support/backends";
import { waitUntil } from "../support/event-helpers";
import { registerUser, TestUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { openConversation, send } from "../support/message-fixtures";
import { privateDatabase, PrivateDatabase } from "../support/private-database";
import {
  browserKeys,
  BrowserKeys,
  checkMatrixNotify,
  decryptWebPush,
  PeerRequest,
  PushPeer,
  verifyVapid,
} from "../support/push-peers";
import { connectWs, nextEvent } from "../support/realtime-clients";
import { startTestApp, stopTestApp } from "../support/test-app";

const FAST_PUSH = {
  allow_http: true,
  grace: "300ms",
  poll_interval: "100ms",
  retry_base: "100ms",
  retry_max: "400ms",
  max_attempts: 3,
  lease: "5s",
  timeout: "2s",
};

/** One device of a test push service: its endpoint and the browser's keys. */
interface Subscription {
  endpoint: string;
  keys: BrowserKeys;
}

// Push state (the planner's cursor, the queue) is service-wide: each backend gets a
// database of its own, so no other suite's apps plan or send these notifications.
for (const backend of backends()) {
  describe(`push notifications for offline members [${backend.name}]`, function () {
    this.timeout(60_000);
    let database: PrivateDatabase;
    let pushService: PushPeer;
    let gateway: PushPeer;
    let app: App;
    let url: string;
    let alice: TestUser;
    let bob: TestUser;

    const startApp = async (push: Record<string, unknown> = {}) => {
      const started = await startTestApp(backend, {
        database: { url: database.url },
        push: { ...FAST_PUSH, ...push },
        presence: { offline_grace: "200ms" },
      });
      // Users made before talk to the newest node.
      for (const user of [alice, bob].filter(Boolean)) {
        user.api = new ApiClient(started.url, user.token);
      }
      return started;
    };

    before(async function () {
      this.timeout(120_000);
      database = await privateDatabase(backend);
    });
    after(async () => database?.drop());

    beforeEach(async () => {
      pushService = await PushPeer.start(201);
      gateway = await PushPeer.start(200);
      [alice, bob] = [undefined as never, undefined as never];
      ({ app, url } = await startApp());
      [alice, bob] = [await registerUser(url, "alice"), await registerUser(url, "bob")];
    });
    afterEach(async () => {
      await pushService.close();
      await gateway.close();
    });

    let devices = 0;
    const subscribe = async (user: TestUser): Promise<Subscription> => {
      const keys = browserKeys();
      devices += 1;
      const endpoint = `${pushService.origin}/push/${user.username}-${devices}`;
      const response = await user.api.post("/api/v1/push/devices", {
        kind: "webpush",
        endpoint,
        keys: { p256dh: keys.p256dh, auth: keys.auth },
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return { endpoint, keys };
    };
    const addPusher = async (user: TestUser, pushkey = `key-${user.username}`) => {
      const response = await user.api.post("/api/v1/push/devices", {
        kind: "gateway",
        gateway_url: `${gateway.origin}/_matrix/push/v1/notify`,
        app_id: "org.example.chat.ios",
        pushkey,
        data: { format: "full" },
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      return pushkey;
    };
    const to = (sub: Subscription) => (r: PeerRequest) => sub.endpoint.endsWith(r.path);
    const opened = (sub: Subscription, request: PeerRequest) =>
      JSON.parse(decryptWebPush(request.body, sub.keys));
    const queueOf = (user: TestUser) =>
      app.database.knex("push_queue").where({ user_id: user.id }).orderBy("queued_at");
    const devicesOf = async (user: TestUser) =>
      (await user.api.get("/api/v1/push/devices")).body.data as unknown[];

    it("pushes a message to an offline member's browser, encrypted for it (RFC 8291) and signed with VAPID", async () => {
      const bobs = await subscribe(bob);
      await subscribe(alice);
      const direct = await openConversation([alice, bob], { type: "direct" });
      const message = await send(alice, direct, "hello bob, you are away");
      await pushService.waitFor((r) => r.some(to(bobs)), "push for bob");
      const [request] = pushService.requests;
      assert.equal(pushService.requests.length, 1, "the sender's own device gets nothing");
      assert.equal(request.headers["content-encoding"], "aes128gcm");
      assert.equal(request.headers.ttl, "86400");
      assert.equal(request.headers.urgency, "high");
      assert.equal(request.headers.topic, direct.replace(/-/g, ""));
      const { publicKey } = verifyVapid(request.headers.authorization, pushService.origin);
      const served = await bob.api.get("/api/v1/push/vapid-public-key");
      assert.equal(publicKey, served.body.vapid_public_key);
      const notification = opened(bobs, request);
      assert.deepEqual(notification, {
        type: "message.new",
        message_id: message.id,
        conversation_id: direct,
        conversation_type: "direct",
        conversation_name: null,
        seq: message.seq,
        sender_id: alice.id,
        sender_name: alice.username,
        content: "hello bob, you are away",
        unread_count: 1,
        mention_count: 0,
        total_unread_count: 1,
      });
      await waitUntil(
        async () => (await queueOf(bob)).every((row) => row.state === "sent"),
        "the notification is marked sent",
      );
      const metrics = await app.services.metrics.render();
      assert.match(metrics, /messaging_push_queued_total\{kind="webpush"\} 1/);
      assert.match(metrics, /messaging_push_attempts_total\{kind="webpush",outcome="sent"\} 1/);
      assert.match(metrics, /messaging_push_latency_seconds_count\{kind="webpush"\} 1/);
    });

    it("pushes nothing for a message a connection of the member saw, and pushes once they are gone", async () => {
      const bobs = await subscribe(bob);
      const direct = await openConversation([alice, bob], { type: "direct" });
      const ws = await connectWs(url, bob.token);
      const seen = await send(alice, direct, "seen live");
      await nextEvent(ws, "message.new", (f) => f.data.id === seen.id);
      ws.close();
      await waitUntil(
        async () =>
          (await bob.api.get(`/api/v1/users/${bob.id}/presence`)).body.status === "offline",
        "bob is offline",
      );
      const missed = await send(alice, direct, "missed");
      await pushService.waitFor((r) => r.some(to(bobs)), "push for bob");
      assert.deepEqual(
        pushService.requests.map((r) => opened(bobs, r).message_id),
        [missed.id],
      );
    });

    it("posts the Matrix Push Gateway API body to a pusher's gateway", async () => {
      const pushkey = await addPusher(bob);
      const direct = await openConversation([alice, bob], { type: "direct" });
      const message = await send(alice, direct, "to your phone");
      await gateway.waitFor((r) => r.length === 1, "gateway notify");
      const [request] = gateway.requests;
      assert.equal(request.path, "/_matrix/push/v1/notify");
      assert.equal(request.headers["content-type"], "application/json");
      const notification = checkMatrixNotify(JSON.parse(request.body.toString()));
      assert.equal(notification.event_id, message.id);
      assert.equal(notification.room_id, direct);
      assert.equal(notification.sender, alice.id);
      assert.equal(notification.sender_display_name, alice.username);
      assert.deepEqual(notification.content, { msgtype: "m.text", body: "to your phone" });
      assert.deepEqual(notification.counts, { unread: 1 });
      assert.deepEqual(
        notification.devices.map((d: any) => [d.app_id, d.pushkey, d.data]),
        [["org.example.chat.ios", pushkey, { format: "full" }]],
      );
    });

    it("removes a pusher whose pushkey the gateway rejects", async () => {
      const pushkey = await addPusher(bob);
      gateway.respond(() => ({ body: { rejected: [pushkey] } }));
      const direct = await openConversation([alice, bob], { type: "direct" });
      await send(alice, direct, "to a dead token");
      await gateway.waitFor((r) => r.length === 1, "gateway notify");
      await waitUntil(async () => (await devicesOf(bob)).length === 0, "the pusher is removed");
    });

    for (const status of [404, 410]) {
      it(`removes a Web Push subscription the push service answers ${status} for`, async () => {
        await subscribe(bob);
        pushService.respond(() => ({ status }));
        const direct = await openConversation([alice, bob], { type: "direct" });
        await send(alice, direct, "to an expired subscription");
        await pushService.waitFor((r) => r.length === 1, "push");
        await waitUntil(async () => (await devicesOf(bob)).length === 0, "the device is removed");
        const metrics = await app.services.metrics.render();
        assert.match(
          metrics,
          /messaging_push_attempts_total\{kind="webpush",outcome="expired"\} 1/,
        );
      });
    }

    it("retries a failing push service with backoff and sends the same notification", async () => {
      const bobs = await subscribe(bob);
      pushService.respond((_request, index) => (index < 2 ? { status: 503 } : undefined));
      const direct = await openConversation([alice, bob], { type: "direct" });
      const message = await send(alice, direct, "try again");
      await pushService.waitFor((r) => r.length === 3, "three tries");
      for (const request of pushService.requests) {
        assert.equal(opened(bobs, request).message_id, message.id);
      }
      await waitUntil(async () => (await queueOf(bob))[0]?.state === "sent", "sent");
      const [row] = await queueOf(bob);
      assert.equal(row.attempts, 2);
    });

    it("keeps a notification as a dead letter after max_attempts failures, and goes on", async () => {
      const bobs = await subscribe(bob);
      pushService.respond((request) =>
        opened(bobs, request).content === "poison" ? { status: 500 } : undefined,
      );
      const direct = await openConversation([alice, bob], { type: "direct" });
      await send(alice, direct, "poison");
      await pushService.waitFor((r) => r.length === 3, "three tries");
      await waitUntil(async () => (await queueOf(bob))[0]?.state === "dead", "dead letter");
      const [dead] = await queueOf(bob);
      assert.equal(dead.attempts, 3);
      assert.equal(dead.last_error, "push service: 500");
      const after = await send(alice, direct, "after the poison");
      await pushService.waitFor((r) => r.length === 4, "the next message");
      assert.equal(opened(bobs, pushService.requests[3]).message_id, after.id);
      const metrics = await app.services.metrics.render();
      assert.match(metrics, /outcome="dead_lettered"\} 1/);
      assert.match(metrics, /outcome="failed"\} 2/);
    });

    it("gives up at once on a request the push service refuses as malformed (400)", async () => {
      await subscribe(bob);
      pushService.respond(() => ({ status: 400 }));
      const direct = await openConversation([alice, bob], { type: "direct" });
      await send(alice, direct, "malformed");
      await waitUntil(async () => (await queueOf(bob))[0]?.state === "dead", "dead letter");
      assert.equal(pushService.requests.length, 1);
    });

    it("pushes nothing from a sender the member blocked or muted", async () => {
      const bobs = await subscribe(bob);
      const carol = await registerUser(url, "carol");
      const fromAlice = await openConversation([alice, bob], { type: "direct" });
      const fromCarol = await openConversation([carol, bob], { type: "direct" });
      assert.equal(
        (await bob.api.post("/api/v1/blocks", { user_id: alice.id, kind: "mute" })).status,
        201,
      );
      await send(alice, fromAlice, "muted sender");
      // Planned in log order: had the first been pushed, it would have come first.
      const marker = await send(carol, fromCarol, "marker");
      await pushService.waitFor((r) => r.some(to(bobs)), "push for bob");
      assert.deepEqual(
        pushService.requests.map((r) => opened(bobs, r).message_id),
        [marker.id],
      );
    });

    it("in a group, pushes a mention to the member named and nothing else (default level: mentions)", async () => {
      const carol = await registerUser(url, "carol");
      const [bobs, carols] = [await subscribe(bob), await subscribe(carol)];
      const group = await openConversation([alice, bob, carol]);
      await send(alice, group, "hello everyone");
      const mention = await send(alice, group, `@${bob.username} look at this`);
      assert.deepEqual(mention.mentions, [bob.id]);
      await pushService.waitFor((r) => r.some(to(bobs)), "push for bob");
      // Both messages were planned, for every member, before the first push went out.
      await waitUntil(
        async () => (await queueOf(bob)).every((row) => row.state === "sent"),
        "sent",
      );
      assert.deepEqual(
        pushService.requests.map((r) => [r.path, opened(bobs, r).message_id]),
        [[new URL(bobs.endpoint).pathname, mention.id]],
      );
      assert.equal(pushService.requests.filter(to(carols)).length, 0);
      assert.equal((await queueOf(carol)).length, 0);
    });

    it("follows the member's own level and mute: all in a group, none, and muted until later", async () => {
      const [carol, dave] = [await registerUser(url, "carol"), await registerUser(url, "dave")];
      const subs = {
        bob: await subscribe(bob),
        carol: await subscribe(carol),
        dave: await subscribe(dave),
      };
      const group = await openConversation([alice, bob, carol, dave]);
      const direct = await openConversation([alice, carol], { type: "direct" });
      const set = async (user: TestUser, conversation: string, body: Record<string, unknown>) => {
        const response = await user.api.put(
          `/api/v1/conversations/${conversation}/notifications`,
          body,
        );
        assert.equal(response.status, 200, JSON.stringify(response.body));
      };
      await set(bob, group, { level: "all" });
      await set(carol, direct, { level: "none" });
      await set(dave, group, {
        level: "all",
        muted_until: new Date(Date.now() + 3_600_000).toISOString(),
      });
      const plain = await send(alice, group, "no mention here");
      await send(alice, direct, "carol chose none");
      const marker = await send(alice, group, `@${carol.username} and @${dave.username}`);
      // One transaction plans a message for every member: carol's row means bob's is there.
      await waitUntil(async () => (await queueOf(carol)).length === 1, "planned");
      await pushService.waitFor((r) => r.filter(to(subs.carol)).length === 1, "carol's push");
      const bobs = await queueOf(bob);
      assert.equal(bobs.at(-1)!.message_id, marker.id, "bob (all) hears everything in the group");
      assert.equal(
        bobs.reduce((n, row) => n + 1 + row.collapsed_count, 0),
        2,
        `both group messages reach bob (one may fold into the other): ${plain.id}`,
      );
      assert.deepEqual(
        (await queueOf(carol)).map((row) => row.message_id),
        [marker.id],
        "carol (none in the direct) only her group mention",
      );
      const carolsPush = opened(subs.carol, pushService.requests.find(to(subs.carol))!);
      assert.equal(carolsPush.mention_count, 1);
      assert.equal((await queueOf(dave)).length, 0, "dave is muted");
    });

    for (const [what, change] of [
      ["deleted", (message: any) => alice.api.delete(`/api/v1/messages/${message.id}`)],
      [
        "read on another device",
        (message: any) => bob.api.post(`/api/v1/messages/${message.id}/read`),
      ],
    ] as const) {
      it(`cancels a waiting notification of a message ${what} before it went out`, async () => {
        await subscribe(bob);
        let changed = false;
        let accepted = 0;
        pushService.respond(() => {
          if (!changed) return { status: 503 };
          accepted += 1;
          return undefined;
        });
        const direct = await openConversation([alice, bob], { type: "direct" });
        const message = await send(alice, direct, "soon gone");
        await pushService.waitFor((r) => r.length >= 1, "the first try");
        const answer = await change(message);
        assert.ok(answer.status < 300, JSON.stringify(answer.body));
        changed = true;
        await waitUntil(async () => (await queueOf(bob))[0]?.state === "cancelled", "cancelled");
        assert.equal(accepted, 0);
      });
    }

    it("carries only ids with push.payload: ids", async () => {
      await stopTestApp(app);
      ({ app } = await startApp({ payload: "ids" }));
      const bobs = await subscribe(bob);
      await addPusher(bob);
      const direct = await openConversation([alice, bob], { type: "direct" });
      const message = await send(alice, direct, "a secret");
      await pushService.waitFor((r) => r.length === 1, "push");
      await gateway.waitFor((r) => r.length === 1, "gateway notify");
      assert.deepEqual(opened(bobs, pushService.requests[0]), {
        type: "message.new",
        message_id: message.id,
        conversation_id: direct,
        unread_count: 1,
        mention_count: 0,
        total_unread_count: 1,
      });
      const notification = checkMatrixNotify(JSON.parse(gateway.requests[0].body.toString()));
      assert.equal(notification.event_id, message.id);
      for (const key of ["content", "sender", "sender_display_name", "type", "room_name"]) {
        assert.equal(notification[key], undefined, key);
      }
    });

    it("keeps a queued notification across a restart and sends it once", async () => {
      await stopTestApp(app);
      ({ app } = await startApp({ max_attempts: 50 }));
      const bobs = await subscribe(bob);
      let accepted = 0;
      let down = true;
      pushService.respond(() => {
        if (down) return { status: 503 };
        accepted += 1;
        return undefined;
      });
      const direct = await openConversation([alice, bob], { type: "direct" });
      const message = await send(alice, direct, "survive the restart");
      await pushService.waitFor((r) => r.length >= 1, "the first try");
      await stopTestApp(app);
      down = false;
      ({ app } = await startApp());
      await waitUntil(async () => (await queueOf(bob))[0]?.state === "sent", "sent");
      assert.equal(accepted, 1);
      const delivered = pushService.requests.filter((r) => opened(bobs, r).message_id);
      assert.ok(delivered.every((r) => opened(bobs, r).message_id === message.id));
      assert.equal((await queueOf(bob)).length, 1, "one notification row for the message");
    });

    it("sends each notification once with two nodes planning and sending", async () => {
      await startApp();
      const bobs = await subscribe(bob);
      const carol = await registerUser(url, "carol");
      const first = await openConversation([alice, bob], { type: "direct" });
      const second = await openConversation([carol, bob], { type: "direct" });
      const messages = [await send(alice, first, "one"), await send(carol, second, "two")];
      await waitUntil(
        async () =>
          (await queueOf(bob)).length === 2 &&
          (await queueOf(bob)).every((row) => row.state === "sent"),
        "both sent",
      );
      assert.deepEqual(
        pushService.requests.map((r) => opened(bobs, r).message_id).sort(),
        messages.map((m) => m.id).sort(),
      );
    });

    it("collapses the messages of one conversation waiting for a device into one notification", async () => {
      const bobs = await subscribe(bob);
      const direct = await openConversation([alice, bob], { type: "direct" });
      // Nothing plans while only nodes without push run: the messages wait in the log.
      await stopTestApp(app);
      const quiet = await startApp({ enabled: false });
      const sent = [];
      for (const text of ["one", "two", "three"]) sent.push(await send(alice, direct, text));
      const knex = quiet.app.database.knex;
      await waitUntil(async () => {
        const { rows } = await knex.raw(
          "SELECT now() - max(occurred_at) > interval '300 milliseconds' AS over FROM outbox",
        );
        return rows[0].over === true;
      }, "the grace period is over");
      ({ app } = await startApp());
      await pushService.waitFor((r) => r.length === 1, "one push");
      const notification = opened(bobs, pushService.requests[0]);
      assert.equal(notification.message_id, sent[2].id);
      assert.equal(notification.content, "three");
      assert.equal(notification.collapsed_count, 2);
      assert.equal(notification.unread_count, 3);
      await waitUntil(async () => (await queueOf(bob))[0]?.state === "sent", "sent");
      assert.equal((await queueOf(bob)).length, 1);
    });
  });
}
