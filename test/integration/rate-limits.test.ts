import assert from "node:assert/strict";
import { loadConfig } from "../../config/load-config";
import { createLogger } from "../../lib/logger";
import { createRateLimits, RateLimits } from "../../lib/rate-limit/rate-limits";
import { createRedisClient } from "../../lib/redis/redis-client";
import { backends } from "../support/backends";
import { registerUser, uniqueUsername } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { startPrivateRedis } from "../support/private-redis";
import { startTestApp } from "../support/test-app";

const quiet = createLogger({ level: "silent", format: "json" });

for (const backend of backends()) {
  describe(`rate limits [${backend.name}]`, () => {
    let prefixes = 0;
    /** Its own Redis key prefix, so the per-IP counters of other tests do not count. */
    const own = (rateLimits: Record<string, number>) => ({
      rate_limits: rateLimits,
      ...(backend.redisUrl
        ? { redis: { key_prefix: `rltest:${Date.now()}:${(prefixes += 1)}:` } }
        : {}),
    });

    it("answers 429 rate_limited with Retry-After and X-RateLimit-* once a user spends the REST budget", async () => {
      const { url } = await startTestApp(backend, { rate_limits: { rest_per_minute: 3 } });
      const alice = await registerUser(url);
      const bob = await registerUser(url);
      for (let i = 0; i < 3; i += 1) {
        const ok = await alice.api.get("/api/v1/users/me");
        assert.equal(ok.status, 200);
        assert.equal(ok.headers.get("x-ratelimit-limit"), "3");
        assert.equal(ok.headers.get("x-ratelimit-remaining"), String(2 - i));
      }
      const refused = await alice.api.get("/api/v1/users/me");
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, "rate_limited");
      assert.ok(Number(refused.headers.get("retry-after")) >= 1);
      assert.equal(refused.headers.get("x-ratelimit-remaining"), "0");
      assert.ok(Number(refused.headers.get("x-ratelimit-reset")) >= 1);
      assert.equal((await bob.api.get("/api/v1/users/me")).status, 200, "others keep their budget");
    });

    it("limits requests per IP before authentication", async () => {
      const { url } = await startTestApp(backend, own({ ip_per_minute: 2 }));
      const anonymous = new ApiClient(url);
      assert.equal((await anonymous.get("/api/v1/users/me")).status, 401);
      assert.equal((await anonymous.get("/api/v1/users/me")).status, 401);
      const refused = await anonymous.get("/api/v1/users/me");
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, "rate_limited");
      assert.equal((await anonymous.get("/healthz")).status, 200, "operations endpoints stay open");
    });

    it("limits login attempts per username and IP, even with the right password", async () => {
      const { url } = await startTestApp(backend, { rate_limits: { logins_per_15m: 2 } });
      const user = await registerUser(url);
      const anonymous = new ApiClient(url);
      const attempt = (password: string, username = user.username) =>
        anonymous.post("/api/v1/auth/login", { username, password });
      assert.equal((await attempt("wrong password 1")).status, 401);
      assert.equal((await attempt("wrong password 2")).status, 401);
      const refused = await attempt("correct horse battery");
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, "rate_limited");
      assert.ok(Number(refused.headers.get("retry-after")) > 60);
      assert.equal((await attempt("whatever", uniqueUsername())).status, 401, "other usernames");
    });

    it("clears a username's failed logins after a successful one", async () => {
      const { url } = await startTestApp(backend, { rate_limits: { logins_per_15m: 2 } });
      const user = await registerUser(url);
      const anonymous = new ApiClient(url);
      const login = (password: string) =>
        anonymous.post("/api/v1/auth/login", { username: user.username, password });
      assert.equal((await login("wrong password")).status, 401);
      assert.equal((await login("correct horse battery")).status, 200);
      assert.equal((await login("wrong password")).status, 401);
      assert.equal((await login("correct horse battery")).status, 200);
    });

    it("limits uploads per user with 429 before reading the body", async () => {
      const { url } = await startTestApp(backend, { rate_limits: { uploads_per_minute: 1 } });
      const user = await registerUser(url);
      const upload = () => {
        const form = new FormData();
        form.append("file", new Blob(["hello"]), "a.txt");
        return user.api.request("POST", "/api/v1/files", form);
      };
      assert.equal((await upload()).status, 201);
      const refused = await upload();
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, "rate_limited");
    });

    it("counts message sends per user across nodes (consumeMessage throws rate_limited)", async () => {
      const overrides = { rate_limits: { messages_per_10s: 2 } };
      const first = await startTestApp(backend, overrides);
      const second = backend.redisUrl ? await startTestApp(backend, overrides) : first;
      const user = await registerUser(first.url);
      await first.app.services.rateLimits.consumeMessage(user.id);
      await second.app.services.rateLimits.consumeMessage(user.id);
      await assert.rejects(first.app.services.rateLimits.consumeMessage(user.id), (error: any) => {
        assert.equal(error.code, "rate_limited");
        assert.ok(error.retryAfter >= 1 && error.retryAfter <= 10);
        return true;
      });
      await first.app.services.rateLimits.consumeMessage((await registerUser(first.url)).id);
    });
  });
}

describe("RateLimits", () => {
  const limits = (overrides: Record<string, number>, redis?: string) =>
    loadConfig({
      env: {},
      file: null,
      overrides: {
        rate_limits: overrides,
        redis: redis ? { url: redis, key_prefix: `rltest:${Date.now()}:` } : {},
      },
    });

  it("says limited, then close, to a connection that keeps flooding frames", async () => {
    const rateLimits = new RateLimits(limits({ frames_per_10s: 2 }), quiet);
    const verdicts = [];
    for (let i = 0; i < 6; i += 1) verdicts.push(await rateLimits.consumeFrame("conn-1"));
    assert.deepEqual(verdicts, ["ok", "ok", "limited", "limited", "close", "close"]);
    assert.equal(await rateLimits.consumeFrame("conn-2"), "ok");
  });

  it("answers from the memory limiter when Redis stops answering, so a send never hangs on its count", async () => {
    const redis = await startPrivateRedis();
    const { rateLimits, close } = await createRateLimits(
      limits({ messages_per_10s: 3 }, redis.url),
      quiet,
    );
    try {
      await rateLimits.consumeMessage("u1");
      redis.pause();
      const states = [];
      for (let i = 0; i < 4; i += 1)
        states.push((await rateLimits.consume("message", "u1")).allowed);
      assert.deepEqual(states, [true, true, true, false], "memory insurance limiter takes over");
    } finally {
      close();
      await redis.stop();
    }
  });

  it("keeps limiting per node, and never refuses for that, while Redis is down", async () => {
    const redis = await startPrivateRedis();
    const config = limits({ messages_per_10s: 3 }, redis.url);
    const client = createRedisClient(config, quiet, "test", { enableOfflineQueue: false });
    try {
      await new Promise((resolve) => client.once("ready", resolve));
      const rateLimits = new RateLimits(config, quiet, client);
      await rateLimits.consumeMessage("u1");
      await redis.stop();
      await new Promise((resolve) => client.once("close", resolve));
      const states = [];
      for (let i = 0; i < 4; i += 1)
        states.push((await rateLimits.consume("message", "u1")).allowed);
      assert.deepEqual(states, [true, true, true, false], "memory insurance limiter takes over");
      assert.equal((await rateLimits.consume("message", "u2")).allowed, true);
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });
});
