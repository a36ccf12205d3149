import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { registerUser, TestUser } from "../support/factories";
import {
  closeAll,
  connectIo,
  connectWs,
  HandshakeRefused,
  nextEvent,
  RealtimeClient,
} from "../support/realtime-clients";
import { startTestApp, stopTestApp, TestApp } from "../support/test-app";

for (const backend of backends()) {
  describe(`realtime handshake and protocol errors [${backend.name}]`, () => {
    let url: string;
    let node: TestApp;
    let user: TestUser;
    const clients: RealtimeClient[] = [];

    before(async () => {
      node = await startTestApp(backend, {
        server: { allowed_origins: ["https://app.example"] },
        realtime: { max_payload: 2048 },
      });
      url = node.url;
      user = await registerUser(url);
    });
    afterEach(() => closeAll(clients));
    after(() => Promise.all([stopTestApp(node.app)]));

    it("sends ready with the user, the connection id and a cursor first, on both transports", async () => {
      const io = await connectIo(url, user.token);
      const ws = await connectWs(url, user.token);
      clients.push(io, ws);
      for (const client of [io, ws]) {
        const ready = await nextEvent(client, "ready");
        assert.equal(client.frames[0], ready);
        assert.equal(ready.data.user_id, user.id);
        assert.match(ready.data.connection_id, /\S/);
        assert.match(ready.data.cursor, /^p[0-9a-z]+$/);
      }
    });

    it("refuses /ws without a token or with a bad one with HTTP 401 before the upgrade", async () => {
      for (const token of [null, "not-a-jwt", `${user.token}x`]) {
        const error = await connectWs(url, token).then(
          () => assert.fail("connected"),
          (e: unknown) => e,
        );
        assert.ok(error instanceof HandshakeRefused);
        assert.equal(error.status, 401);
        assert.equal(JSON.parse(error.body).error.code, "unauthorized");
      }
    });

    it("refuses Socket.IO without a valid token with connect_error unauthorized", async () => {
      for (const token of ["", "not-a-jwt"]) {
        const error = await connectIo(url, token).then(
          () => assert.fail("connected"),
          (e: Error) => e,
        );
        assert.equal(error.message, "unauthorized");
      }
    });

    it("refuses an Origin outside the allow-list on /ws (403) and Socket.IO", async () => {
      const error = await connectWs(url, user.token, { origin: "https://evil.example" }).then(
        () => assert.fail("connected"),
        (e: unknown) => e,
      );
      assert.ok(error instanceof HandshakeRefused);
      assert.equal(error.status, 403);
      await assert.rejects(connectIo(url, user.token, { origin: "https://evil.example" }));
      const ws = await connectWs(url, user.token, { origin: "https://app.example" });
      const io = await connectIo(url, user.token, { origin: "https://app.example" });
      clients.push(ws, io);
      await nextEvent(ws, "ready");
      await nextEvent(io, "ready");
    });

    it("closes /ws with 1009 on a frame over max_payload", async () => {
      const ws = await connectWs(url, user.token);
      clients.push(ws);
      await nextEvent(ws, "ready");
      ws.sendRaw(
        "presence.update",
        JSON.stringify({ type: "presence.update", pad: "x".repeat(4096) }),
      );
      assert.equal((await ws.closed).code, 1009);
    });

    it("answers malformed JSON with an error frame and keeps the connection", async () => {
      const ws = await connectWs(url, user.token);
      clients.push(ws);
      ws.sendRaw("", "{not json");
      const error = await nextEvent(ws, "error");
      assert.equal(error.error.code, "validation_error");
      assert.equal(error.request_id, undefined);
      const reply = await ws.request("presence.update", { status: "busy" });
      assert.equal(reply.data.status, "busy");
      await ws.request("presence.update", { status: "online" });
    });

    it("answers an unknown type with validation_error on both transports", async () => {
      const ws = await connectWs(url, user.token);
      const io = await connectIo(url, user.token);
      clients.push(ws, io);
      for (const client of [ws, io]) {
        const reply = await client.request("message.explode", { conversation_id: "x" });
        assert.equal(reply.error.code, "validation_error");
        assert.equal(reply.data, undefined);
      }
    });

    it("answers an invalid payload with validation_error naming the field", async () => {
      const ws = await connectWs(url, user.token);
      const io = await connectIo(url, user.token);
      clients.push(ws, io);
      for (const client of [ws, io]) {
        const reply = await client.request("typing.start", { conversation_id: "nope" });
        assert.equal(reply.error.code, "validation_error");
        const bad = await client.request("presence.update", { status: "asleep" });
        assert.equal(bad.error.code, "validation_error");
      }
    });
  });
}
