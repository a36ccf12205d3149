import assert from "node:assert/strict";
import os from "node:os";
import { ConfigError, loadConfig } from "../../config/load-config";
import { RestartBackoff } from "../../lib/workers/restart-backoff";

const CLUSTER = { DATABASE_URL: "postgres://db/messaging", REDIS_URL: "redis://redis:6379" };

function refusal(env: Record<string, string>): string {
  try {
    loadConfig({ env, file: null });
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.key, "server.workers");
    return error.message;
  }
  assert.fail("the configuration was accepted");
}

describe("server.workers", () => {
  it("is one process unless asked for more", () => {
    assert.equal(loadConfig({ env: {}, file: null }).server.workers, 1);
    assert.equal(loadConfig({ env: { ...CLUSTER, WORKERS: "3" }, file: null }).server.workers, 3);
  });

  it("reads 0 and auto as one worker per CPU", () => {
    for (const WORKERS of ["0", "auto"]) {
      const config = loadConfig({ env: { ...CLUSTER, WORKERS }, file: null });
      assert.equal(config.server.workers, os.availableParallelism());
    }
  });

  it("refuses more than one worker without a PostgreSQL server, Redis, or with TLS", () => {
    assert.match(refusal({ WORKERS: "2", REDIS_URL: CLUSTER.REDIS_URL }), /DATABASE_URL/);
    assert.match(refusal({ WORKERS: "2", DATABASE_URL: CLUSTER.DATABASE_URL }), /REDIS_URL/);
    assert.match(
      refusal({ ...CLUSTER, WORKERS: "2", TLS_CERT: "cert.pem", TLS_KEY: "key.pem" }),
      /terminate TLS in a proxy/,
    );
    assert.throws(() => loadConfig({ env: { WORKERS: "many" }, file: null }), ConfigError);
  });
});

describe("RestartBackoff", () => {
  it("doubles while a worker keeps crashing, up to the cap", () => {
    const backoff = new RestartBackoff(500, 4000, 60_000);
    assert.deepEqual(
      [0, 100, 100, 100, 100, 100].map((uptime) => backoff.next(uptime)),
      [500, 1000, 2000, 4000, 4000, 4000],
    );
  });

  it("starts over once a worker stayed up", () => {
    const backoff = new RestartBackoff(500, 4000, 60_000);
    backoff.next(10);
    backoff.next(10);
    assert.equal(backoff.next(60_000), 500);
  });
});
