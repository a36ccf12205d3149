import assert from "node:assert/strict";
import { Metrics } from "../../lib/metrics";
import { newId } from "../../lib/ids";
import { backends } from "../support/backends";
import { registerUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import type { App } from "../../lib/app";
import { startTestApp, stopTestApp } from "../support/test-app";

const SEED_METRICS = [
  "messaging_websocket_connections",
  "messaging_messages_sent_total",
  "messaging_messages_received_total",
  "messaging_message_latency_seconds",
  "messaging_conversations_total",
  "messaging_users_online",
];

/** The value of one sample line (`name{labels} value`) in Prometheus text. */
function sample(text: string, name: string, labels = ""): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.split(" ").pop());
}

for (const backend of backends()) {
  describe(`GET /metrics [${backend.name}]`, () => {
    let url: string;
    let app: App;
    before(async () => {
      ({ url, app } = await startTestApp(backend));
    });
    after(() => stopTestApp(app));

    it("serves Prometheus text with the seed's six metrics, process and event-loop metrics", async () => {
      const res = await new ApiClient(url).get("/metrics");
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
      for (const name of SEED_METRICS) assert.match(res.body, new RegExp(`^# TYPE ${name} `, "m"));
      assert.match(res.body, /^nodejs_eventloop_lag_seconds /m);
      assert.match(res.body, /^process_resident_memory_bytes /m);
      assert.notEqual(sample(res.body, "messaging_conversations_total"), undefined);
    });

    it("labels HTTP request durations with the matched route pattern, not the raw URL", async () => {
      const user = await registerUser(url);
      await user.api.get(`/api/v1/users/${user.id}`);
      await user.api.get(`/api/v1/users/${newId()}`);
      await user.api.get("/api/v1/nowhere/at/all");
      const text = (await new ApiClient(url).get("/metrics")).body as string;
      const ok = '{le="+Inf",method="GET",route="/api/v1/users/:id",status="200"}';
      const missing = '{le="+Inf",method="GET",route="/api/v1/users/:id",status="404"}';
      assert.ok(sample(text, "http_request_duration_seconds_bucket", ok)! >= 1);
      assert.ok(sample(text, "http_request_duration_seconds_bucket", missing)! >= 1);
      assert.ok(!text.includes(user.id), "no raw ids in labels");
      assert.match(text, /route="unmatched",status="404"/);
    });
  });
}

describe("Metrics", () => {
  it("moves the seed's metrics through its verbs", async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.setConversationsSource(async () => 7);
    metrics.connectionOpened("ws", "u1");
    metrics.connectionOpened("socket.io", "u1");
    metrics.connectionOpened("socket.io", "u2");
    metrics.connectionClosed("socket.io", "u2");
    metrics.messageSent("rest");
    metrics.messageSent("ws");
    metrics.messageDelivered("socket.io", new Date(Date.now() - 30), 3);
    const text = await metrics.render();
    assert.equal(sample(text, "messaging_websocket_connections", '{transport="ws"}'), 1);
    assert.equal(sample(text, "messaging_websocket_connections", '{transport="socket.io"}'), 1);
    assert.equal(sample(text, "messaging_messages_sent_total", '{transport="rest"}'), 1);
    assert.equal(sample(text, "messaging_messages_received_total", '{transport="socket.io"}'), 3);
    assert.equal(
      sample(text, "messaging_message_latency_seconds_count", '{transport="socket.io"}'),
      1,
    );
    assert.equal(sample(text, "messaging_conversations_total"), 7);
    assert.equal(sample(text, "messaging_users_online"), 1, "u1 still connected, u2 gone");
  });

  it("keeps the last value of a gauge whose source fails", async () => {
    const metrics = new Metrics({ defaultMetrics: false, sourceCacheMs: 0 });
    let fail = false;
    metrics.setUsersOnlineSource(async () => {
      if (fail) throw new Error("redis down");
      return 4;
    });
    assert.equal(sample(await metrics.render(), "messaging_users_online"), 4);
    fail = true;
    assert.equal(sample(await metrics.render(), "messaging_users_online"), 4);
  });
});
