import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { registerUser } from "../support/factories";
import { insertConversation } from "../support/events";
import { openConversation, send } from "../support/message-fixtures";
import { ApiClient } from "../support/http-client";
import { PrivateRedis, startPrivateRedis } from "../support/private-redis";
import { closeAll, connectWs, nextEvent, RealtimeClient } from "../support/realtime-clients";
import { startTestApp } from "../support/test-app";

/** Polls `check` until it returns true (a state that arrives by reconnecting, no event to await). */
async function eventually(check: () => Promise<boolean>, attempts = 200): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("condition never became true");
}

describe("Redis outage", function () {
  this.timeout(60_000);
  let redis: PrivateRedis | undefined;
  afterEach(async () => {
    await redis?.stop();
  });

  it("reports not ready, keeps serving REST with rate limits, and recovers when Redis returns", async () => {
    redis = await startPrivateRedis();
    const [embedded] = backends();
    const { url } = await startTestApp(embedded, {
      redis: { url: redis.url, key_prefix: "fault:" },
      rate_limits: { rest_per_minute: 1000 },
    });
    const user = await registerUser(url);
    const anonymous = new ApiClient(url);
    assert.equal((await anonymous.get("/readyz")).status, 200);

    await redis.stop();
    await eventually(async () => (await anonymous.get("/readyz")).status === 503);
    const report = (await anonymous.get("/readyz")).body;
    assert.match(report.checks.redis, /^failing/);
    const me = await user.api.get("/api/v1/users/me");
    assert.equal(me.status, 200, "REST still served");
    assert.equal(me.headers.get("x-ratelimit-limit"), "1000", "limited per node meanwhile");

    redis = await startPrivateRedis(redis.port);
    await eventually(async () => (await anonymous.get("/readyz")).status === 200);
    assert.equal((await user.api.get("/api/v1/users/me")).status, 200);
  });

  it("lists and announces connected users online again when Redis comes back empty", async () => {
    redis = await startPrivateRedis();
    const [embedded] = backends();
    // A refresh only every 20 s: what brings presence back is the node noticing Redis return.
    const { url, app } = await startTestApp(embedded, {
      redis: { url: redis.url, key_prefix: "fault:" },
      presence: { ttl: "60s", offline_grace: "300ms" },
    });
    const [alice, bob] = [await registerUser(url, "alice"), await registerUser(url, "bob")];
    await insertConversation(app, [alice.id, bob.id]);
    const clients: RealtimeClient[] = [await connectWs(url, bob.token)];
    try {
      clients.push(await connectWs(url, alice.token));
      await nextEvent(clients[0], "presence.changed", (f) => f.user_id === alice.id);
      const onlineIds = async () =>
        ((await bob.api.get("/api/v1/users/online")).body.data ?? []).map((p: any) => p.user_id);
      assert.deepEqual((await onlineIds()).sort(), [alice.id, bob.id].sort());

      await redis.stop();
      redis = await startPrivateRedis(redis.port);
      await eventually(async () => (await onlineIds()).length === 2);
      assert.equal((await bob.api.get(`/api/v1/users/${alice.id}/presence`)).body.status, "online");
    } finally {
      closeAll(clients);
    }
  });

  it("keeps both nodes up while Redis is down past its retries, and heals cross-node delivery from the event log", async () => {
    redis = await startPrivateRedis();
    const [embedded] = backends();
    const overrides = { redis: { url: redis.url, key_prefix: "fault:" } };
    const [nodeA, nodeB] = [
      await startTestApp(embedded, overrides),
      await startTestApp(embedded, overrides),
    ];
    const [alice, bob] = [
      await registerUser(nodeA.url, "alice"),
      await registerUser(nodeB.url, "bob"),
    ];
    const conversationId = await openConversation([alice, bob]);
    const bobWs = await connectWs(nodeB.url, bob.token);
    // In production an unhandled rejection ends the process (mocha only swallows it).
    const unhandled: string[] = [];
    const collect = (reason: unknown) => void unhandled.push(String(reason));
    process.on("unhandledRejection", collect);
    try {
      await redis.stop();
      // Past ioredis' retries: the adapter's unawaited publishes are rejected meanwhile.
      const sent = [];
      for (let i = 0; i < 6; i += 1) {
        sent.push(await send(alice, conversationId, `while Redis is down ${i}`));
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      redis = await startPrivateRedis(redis.port);
      for (const message of sent) {
        const frame = await nextEvent(bobWs, "message.new", (f) => f.data.id === message.id);
        assert.equal(frame.data.seq, message.seq);
      }
      for (const node of [nodeA, nodeB]) {
        assert.equal((await new ApiClient(node.url).get("/healthz")).status, 200);
      }
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", collect);
      closeAll([bobWs]);
    }
  });

  it("refuses to start when the configured Redis is unreachable", async () => {
    const [embedded] = backends();
    await assert.rejects(
      startTestApp(embedded, { redis: { url: "redis://127.0.0.1:1" } }),
      /redis unreachable/,
    );
  });
});
