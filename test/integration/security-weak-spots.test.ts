import assert from "node:assert/strict";
import net from "node:net";
import { once } from "node:events";
import { backends } from "../support/backends";
import { waitUntil } from "../support/event-helpers";
import { registerUser, TestUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { openConversation } from "../support/message-fixtures";
import {
  closeAll,
  connectIo,
  connectWs,
  nextEvent,
  RealtimeClient,
  refusedIo,
  refusedWs,
} from "../support/realtime-clients";
import { startTestApp } from "../support/test-app";

for (const backend of backends()) {
  describe(`security: weak spots closed [${backend.name}]`, () => {
    const clients: RealtimeClient[] = [];
    afterEach(() => closeAll(clients));

    it("lets only the service's own pages open realtime connections by default", async () => {
      const { url } = await startTestApp(backend);
      const user = await registerUser(url, "origin");
      const own = new URL(url).origin;
      clients.push(await connectWs(url, user.token, { origin: own }));
      clients.push(await connectIo(url, user.token, { origin: own }));
      const ws = await refusedWs(url, user.token, { origin: "https://evil.example" });
      assert.equal(ws.status, 403);
      assert.equal(ws.error.code, "forbidden");
      const io = await refusedIo(url, user.token, {
        origin: "https://evil.example",
        transports: ["polling"],
      });
      assert.match(io.message, /origin|xhr poll error|403/i);
    });

    it("serves /metrics only with its bearer token, and not at all in production without one", async () => {
      const { url } = await startTestApp(backend, { server: { metrics_token: "scrape-secret" } });
      assert.equal((await fetch(`${url}/metrics`)).status, 401);
      const wrong = await fetch(`${url}/metrics`, { headers: { authorization: "Bearer nope" } });
      assert.equal(wrong.status, 401);
      assert.equal(((await wrong.json()) as any).error.code, "unauthorized");
      const right = await fetch(`${url}/metrics`, {
        headers: { authorization: "Bearer scrape-secret" },
      });
      assert.equal(right.status, 200);
      assert.match(await right.text(), /messaging_websocket_connections/);

      const production = await startTestApp(backend, { server: { production: true } });
      assert.equal((await fetch(`${production.url}/metrics`)).status, 404);
    });

    it("closes a connection that sends its headers too slowly", async () => {
      const { url } = await startTestApp(backend, {
        server: { headers_timeout: "300ms", request_timeout: "600ms" },
      });
      const { port } = new URL(url);
      const socket = net.connect(Number(port), "127.0.0.1");
      await once(socket, "connect");
      socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      let answer = "";
      socket.on("data", (chunk: Buffer) => (answer += chunk.toString()));
      await once(socket, "close");
      assert.match(answer, /^HTTP\/1\.1 408/);
    });

    it("caps a user's open realtime connections on a node, across both transports", async () => {
      const { app, url } = await startTestApp(backend, {
        realtime: { max_connections_per_user: 2 },
      });
      const user = await registerUser(url, "many");
      const first = await connectWs(url, user.token);
      clients.push(first, await connectIo(url, user.token));
      await nextEvent(first, "ready");
      const ws = await refusedWs(url, user.token);
      assert.equal(ws.status, 429);
      assert.equal(ws.error.code, "rate_limited");
      assert.ok(Number(ws.headers["retry-after"]) >= 1);
      const io = await refusedIo(url, user.token);
      assert.equal(io.message, "rate_limited");
      first.close();
      await first.closed;
      const open = () => app.realtime.hub!.registry.countFor(user.id);
      await waitUntil(async () => open() < 2, "the closed connection is gone");
      clients.push(await connectWs(url, user.token));
    });

    describe("names and metadata", () => {
      let url: string;
      let user: TestUser;
      let group: string;
      before(async () => {
        ({ url } = await startTestApp(backend));
        user = await registerUser(url, "names");
        group = await openConversation([user]);
      });

      it("refuses bidirectional controls and invisible characters in names, keeps emoji sequences", async () => {
        const anonymous = new ApiClient(url);
        for (const disguised of ["\u202Eadmin", "ad\u200Bmin", "x\u2066y\u2069", "bo\uFEFFb"]) {
          const registered = await anonymous.post("/api/v1/auth/register", {
            username: `n${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`,
            password: "correct horse battery",
            display_name: disguised,
          });
          assert.equal(registered.status, 400, JSON.stringify(disguised));
          assert.equal(registered.body.error.details[0].field, "display_name");
          const renamed = await user.api.put(`/api/v1/conversations/${group}`, { name: disguised });
          assert.equal(renamed.status, 400);
          assert.match(renamed.body.error.message, /bidirectional controls or invisible/);
        }
        const family = "team 👨\u200D👩\u200D👧";
        const ok = await user.api.put(`/api/v1/conversations/${group}`, { name: family });
        assert.equal(ok.status, 200);
        assert.equal(ok.body.name, family);
      });

      it("refuses prototype keys and deep nesting in metadata with plain messages", async () => {
        const messages = `/api/v1/conversations/${group}/messages`;
        for (const key of ["__proto__", "constructor", "prototype"]) {
          const res = await user.api.request(
            "POST",
            messages,
            `{"content":"x","metadata":{"nested":{"${key}":{"admin":true}}}}`,
            { "content-type": "application/json" },
          );
          assert.equal(res.status, 400, key);
          assert.match(res.body.error.message, /must not use the keys __proto__/);
        }
        for (const depth of [17, 5000]) {
          const nested = "[".repeat(depth) + "]".repeat(depth);
          const res = await user.api.request(
            "POST",
            messages,
            `{"content":"x","metadata":{"a":${nested}}}`,
            { "content-type": "application/json" },
          );
          assert.equal(res.status, 400, `depth ${depth}`);
          assert.equal(res.body.error.message, "metadata must nest at most 16 levels deep");
        }
        const fine = await user.api.post(messages, {
          content: "x",
          metadata: { a: JSON.parse("[".repeat(15) + "]".repeat(15)) },
        });
        assert.equal(fine.status, 201);
      });
    });
  });
}
