import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversation-fixtures";
import { registerUser } from "../support/factories";
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
  describe(`shutdown readiness drain (server.shutdown_drain_delay) [${backend.name}]`, () => {
    const clients: RealtimeClient[] = [];
    afterEach(() => closeAll(clients));

    it("answers /readyz 503 and refuses new realtime connections while REST and open connections are still served", async () => {
      // A drain far longer than the test: it is ended by stop({ skipDrain }), never waited out.
      const { app, url } = await startTestApp(backend, {
        server: { shutdown_drain_delay: "60s", shutdown_timeout: "120s" },
      });
      const user = await registerUser(url);
      const group = await createGroup(user);
      const ws = await connectWs(url, user.token);
      const io = await connectIo(url, user.token);
      clients.push(ws, io);
      await Promise.all([nextEvent(ws, "ready"), nextEvent(io, "ready")]);

      const stopped = app.stop();
      const ready = await fetch(`${url}/readyz`);
      assert.equal(ready.status, 503);
      assert.equal(((await ready.json()) as any).checks.shutdown, "draining");
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      assert.equal((await user.api.get("/api/v1/users/me")).status, 200);

      const ws503 = await refusedWs(url, user.token);
      assert.equal(ws503.status, 503);
      assert.equal(ws503.error.code, "unavailable");
      const ioRefusal = await refusedIo(url, user.token);
      assert.equal(ioRefusal.message, "unavailable");
      assert.equal(ioRefusal.data.code, "unavailable");

      const sent = await ws.request("message.send", { conversation_id: group.id, content: "hi" });
      assert.equal(sent.data?.content, "hi", JSON.stringify(sent));
      assert.equal((await nextEvent(io, "message.new")).data.id, sent.data.id);

      await app.stop({ skipDrain: true });
      await stopped;
      assert.equal((await ws.closed).code, 1001, "reconnect hint on /ws");
      assert.equal((await io.closed).reason, "transport close", "Socket.IO reconnects");
      assert.equal(app.server.listening, false);
    });

    it("ends the drain by itself, after at most half of server.shutdown_timeout, then stops", async () => {
      // 60 s asked, 2 s allowed: only the cap lets stop() finish within mocha's timeout.
      const { app, url } = await startTestApp(backend, {
        server: { shutdown_drain_delay: "60s", shutdown_timeout: "2s" },
      });
      await app.stop();
      assert.equal(app.server.listening, false);
      await assert.rejects(fetch(`${url}/healthz`));
    });
  });
}
