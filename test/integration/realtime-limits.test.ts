import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversation-fixtures";
import { registerUser } from "../support/factories";
import {
  closeAll,
  connectIo,
  connectWs,
  RealtimeClient,
  refusedIo,
  refusedWs,
} from "../support/realtime-clients";
import { startTestApp } from "../support/test-app";

/** Both transports refuse `token`'s next connection to `url` as rate limited. */
async function assertConnectionRefused(url: string, token: string): Promise<void> {
  const ws = await refusedWs(url, token);
  assert.equal(ws.status, 429);
  assert.equal(ws.error.code, "rate_limited");
  assert.ok(Number(ws.headers["retry-after"]) >= 1, "Retry-After in seconds");
  const io = await refusedIo(url, token);
  assert.equal(io.message, "rate_limited");
  assert.equal(io.data.code, "rate_limited");
  assert.ok(io.data.retry_after >= 1);
}

for (const backend of backends()) {
  describe(`realtime frame and connection limits, send metrics [${backend.name}]`, () => {
    const clients: RealtimeClient[] = [];
    afterEach(() => closeAll(clients.splice(0)));

    it("refuses frames past the per-connection budget with rate_limited, on both transports", async () => {
      const { url } = await startTestApp(backend, { rate_limits: { frames_per_10s: 3 } });
      const user = await registerUser(url);
      for (const connect of [connectIo, connectWs]) {
        const client = await connect(url, user.token);
        clients.push(client);
        const replies = [];
        for (let i = 0; i < 5; i++) {
          replies.push(await client.request("presence.update", { status: "away" }));
        }
        assert.deepEqual(
          replies.map((reply) => reply.error?.code ?? "ok"),
          ["ok", "ok", "ok", "rate_limited", "rate_limited"],
          client.kind,
        );
      }
    });

    it("refuses new connections past connections_per_minute at the handshake: 429 + Retry-After on /ws, connect_error rate_limited on Socket.IO", async () => {
      const { url } = await startTestApp(backend, { rate_limits: { connections_per_minute: 2 } });
      const [user, other] = await Promise.all([registerUser(url), registerUser(url)]);
      clients.push(await connectWs(url, user.token), await connectIo(url, user.token));
      await assertConnectionRefused(url, user.token);
      clients.push(await connectWs(url, other.token)); // other users keep their budget
    });

    it("refuses handshakes past ip_per_minute before looking at the token, on both transports", async () => {
      const prefix = backend.redisUrl ? { redis: { key_prefix: `iptest:${Date.now()}:` } } : {};
      const { url } = await startTestApp(backend, { rate_limits: { ip_per_minute: 2 }, ...prefix });
      assert.equal((await refusedWs(url, "guess-1")).status, 401);
      assert.equal((await refusedIo(url, "guess-2")).message, "unauthorized");
      const ws = await refusedWs(url, "guess-3");
      assert.equal(ws.status, 429);
      assert.equal(ws.error.code, "rate_limited");
      assert.ok(Number(ws.headers["retry-after"]) >= 1);
      const io = await refusedIo(url, "guess-4");
      assert.equal(io.message, "rate_limited");
      assert.ok(io.data.retry_after >= 1);
    });

    if (backend.redisUrl) {
      it("shares the connection budget of a user across nodes through Redis", async () => {
        const limits = { rate_limits: { connections_per_minute: 2 } };
        const [a, b] = [await startTestApp(backend, limits), await startTestApp(backend, limits)];
        const user = await registerUser(a.url);
        clients.push(await connectWs(a.url, user.token), await connectIo(a.url, user.token));
        await assertConnectionRefused(b.url, user.token);
      });
    }

    it("counts persisted messages by transport in messaging_messages_sent_total", async () => {
      const { url } = await startTestApp(backend);
      const user = await registerUser(url);
      const group = await createGroup(user);
      const ws = await connectWs(url, user.token);
      const io = await connectIo(url, user.token);
      clients.push(ws, io);
      const send = { conversation_id: group.id, content: "counted", client_msg_id: "same-key" };
      assert.ok((await ws.request("message.send", send)).data);
      assert.ok((await ws.request("message.send", send)).data, "a retry is acknowledged");
      assert.ok((await io.request("message.send", { ...send, client_msg_id: "other" })).data);
      const rest = await user.api.post(`/api/v1/conversations/${group.id}/messages`, {
        content: "x",
      });
      assert.equal(rest.status, 201);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const sent = (transport: string) =>
        Number(
          new RegExp(`messaging_messages_sent_total\\{transport="${transport}"\\} (\\d+)`).exec(
            metrics,
          )?.[1],
        );
      assert.equal(sent("ws"), 1, "a retried client_msg_id is not counted twice");
      assert.equal(sent("socket.io"), 1);
      assert.equal(sent("rest"), 1);
    });
  });
}
