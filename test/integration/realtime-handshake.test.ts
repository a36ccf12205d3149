import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { registerUser, TestUser } from "../support/factories";
import { hostileTokens } from "../support/hostile-tokens";
import {
  closeAll,
  connectIo,
  connectWs,
  HandshakeRefused,
  nextEvent,
  RealtimeClient,
} from "../support/realtime-clients";
import { assertContractShape } from "../support/realtime-watch";
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
        assertContractShape(ready);
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

    it("refuses every hostile token (alg none, expired, other algorithms, tampered) on both transports", async () => {
      for (const [name, token] of Object.entries(hostileTokens(user.id))) {
        const refused = await connectWs(url, token).then(
          () => assert.fail(`${name}: /ws connected`),
          (e: unknown) => e,
        );
        assert.ok(refused instanceof HandshakeRefused, name);
        assert.equal(refused.status, 401, name);
        const error = await connectIo(url, token).then(
          () => assert.fail(`${name}: Socket.IO connected`),
          (e: Error) => e,
        );
        assert.equal(error.message, "unauthorized", name);
      }
    });

    it("refuses an Origin outside the allow-list on /ws (403) and Socket.IO", async () => {
      const evil = { origin: "https://evil.example" };
      const error = await connectWs(url, user.token, evil).then(
        () => assert.fail("connected"),
        (e: unknown) => e,
      );
      assert.ok(error instanceof HandshakeRefused);
      assert.equal(error.status, 403);
      // Socket.IO: the polling handshake gets 403; engine.io answers any refused WebSocket
      // upgrade with 400.
      const polling = connectIo(url, user.token, { ...evil, transports: ["polling"] });
      await assert.rejects(polling, (e: Error & { description?: unknown }) => {
        assert.equal(e.description, 403);
        return true;
      });
      await assert.rejects(connectIo(url, user.token, evil), /websocket error/);
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

    it("drops a Socket.IO connection that sends a frame over max_payload, unhandled", async () => {
      const io = await connectIo(url, user.token);
      clients.push(io);
      await nextEvent(io, "ready");
      io.sendRaw("presence.update", { status: "busy", pad: "x".repeat(4096) });
      assert.equal((await io.closed).reason, "transport close");
      const presence = await user.api.get(`/api/v1/users/${user.id}/presence`);
      assert.notEqual(presence.body.status, "busy");
    });

    it("answers malformed JSON, and JSON that is not an object, with an error frame and keeps the connection", async () => {
      const ws = await connectWs(url, user.token);
      clients.push(ws);
      for (const text of ["{not json", "[1, 2]", "42", '"message.send"']) {
        ws.sendRaw("", text);
        const error = await nextEvent(ws, "error");
        assert.deepEqual(Object.keys(error).sort(), ["error", "type"], text);
        assert.equal(error.error.code, "validation_error", text);
      }
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

    it("answers a Socket.IO payload that is not an object with validation_error", async () => {
      const io = await connectIo(url, user.token);
      clients.push(io);
      for (const payload of ["text", [1, 2], 42, null]) {
        const reply = await io.socket.timeout(8000).emitWithAck("message.send", payload);
        assert.equal(reply.error.code, "validation_error", JSON.stringify(payload));
      }
    });

    it("answers a Socket.IO emit without an ack callback with an error event echoing request_id", async () => {
      const io = await connectIo(url, user.token);
      clients.push(io);
      io.sendRaw("message.explode", { request_id: "no-ack" });
      const error = await nextEvent(io, "error");
      assert.deepEqual(Object.keys(error).sort(), ["error", "request_id", "type"]);
      assert.equal(error.request_id, "no-ack");
      assert.equal(error.error.code, "validation_error");
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
