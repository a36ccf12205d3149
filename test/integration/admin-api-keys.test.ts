import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { conversationEvents } from "../support/conversation-fixtures";
import { createGroup } from "../support/conversations";
import { registerUser, TestUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { createKey, IntegrationApp, startIntegrationApp } from "../support/integration-fixtures";
import { send } from "../support/message-fixtures";
import { startTestApp } from "../support/test-app";
import {
  closeAll,
  connectBoth,
  connectWs,
  nextEvent,
  RealtimeClient,
  refusedIo,
  refusedWs,
} from "../support/realtime-clients";

for (const backend of backends()) {
  describe(`admin API and API keys [${backend.name}]`, () => {
    let started: IntegrationApp;
    let admin: TestUser;
    const clients: RealtimeClient[] = [];

    beforeEach(async () => {
      started = await startIntegrationApp(backend, { rate_limits: { api_key_per_minute: 1000 } });
      admin = started.admin;
    });
    afterEach(() => closeAll(clients));

    it("lets a configured admin in and keeps everyone else out with 403", async () => {
      const alice = await registerUser(started.url, "alice");
      assert.equal((await alice.api.get("/api/v1/admin/users")).status, 403);
      assert.equal((await alice.api.post("/api/v1/admin/api-keys", {})).status, 403);
      const list = await admin.api.get(`/api/v1/admin/users?q=${alice.username}`);
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.data.map((u: { id: string }) => u.id),
        [alice.id],
      );
      assert.equal(list.body.data[0].is_admin, false);
      const me = await admin.api.get(`/api/v1/admin/users/${admin.id}`);
      assert.equal(me.body.admin_by_config, true);
      assert.equal((await admin.api.delete(`/api/v1/admin/users/${admin.id}/admin`)).status, 403);
    });

    it("grants the admin role, which then works, and records it in the audit log", async () => {
      const alice = await registerUser(started.url, "alice");
      const granted = await admin.api.put(`/api/v1/admin/users/${alice.id}/admin`);
      assert.equal(granted.status, 200);
      assert.equal(granted.body.is_admin, true);
      assert.equal((await alice.api.get("/api/v1/admin/usage")).status, 200);
      assert.equal((await admin.api.delete(`/api/v1/admin/users/${alice.id}/admin`)).status, 200);
      assert.equal((await alice.api.get("/api/v1/admin/usage")).status, 403);
      const log = await admin.api.get(`/api/v1/admin/audit-log?target_id=${alice.id}`);
      assert.deepEqual(
        log.body.data.map((entry: { action: string }) => entry.action),
        ["admin.revoke", "admin.grant"],
      );
      assert.equal(log.body.data[0].actor.user_id, admin.id);
    });

    it("creates a key shown once and stored hashed; the key works as a Bearer token", async () => {
      const created = await admin.api.post("/api/v1/admin/api-keys", {
        name: "reporting",
        scopes: ["admin"],
      });
      assert.equal(created.status, 201);
      const { key, api_key } = created.body;
      assert.match(key, /^mk_[A-Za-z0-9_-]{43}$/);
      assert.ok(key.startsWith(api_key.prefix));
      const stored = await started.app.database.knex("api_keys").where({ id: api_key.id }).first();
      assert.notEqual(stored.secret_hash, key);
      assert.ok(!JSON.stringify(stored).includes(key.slice(3)), "the key itself is not stored");
      const listed = await admin.api.get("/api/v1/admin/api-keys");
      assert.ok(!JSON.stringify(listed.body).includes(key), "never listed again");
      const usage = await new ApiClient(started.url, key).get("/api/v1/admin/usage");
      assert.equal(usage.status, 200);
      assert.equal(typeof usage.body.messages, "number");
      assert.ok(usage.body.api_keys >= 1);
    });

    it("stops a revoked key at once: REST and the realtime handshake refuse it", async () => {
      const reader = await createKey(admin, ["admin"]);
      assert.equal((await reader.api.get("/api/v1/admin/users")).status, 200);
      assert.equal((await admin.api.delete(`/api/v1/admin/api-keys/${reader.id}`)).status, 204);
      const refused = await reader.api.get("/api/v1/admin/users");
      assert.equal(refused.status, 401);
      assert.equal(refused.body.error.code, "unauthorized");
      assert.equal((await refusedWs(started.url, reader.key)).status, 401);
      assert.equal((await admin.api.delete(`/api/v1/admin/api-keys/${reader.id}`)).status, 204);
      const log = await admin.api.get(`/api/v1/admin/audit-log?action=api_key.revoke`);
      assert.deepEqual(
        log.body.data.filter((e: { target_id: string }) => e.target_id === reader.id).length,
        1,
        "revoking twice is audited once",
      );
    });

    it("enforces scopes: a key needs read to read, write to write, admin for the admin API", async () => {
      const readOnly = await createKey(admin, ["read"]);
      const webhooksOnly = await createKey(admin, ["webhooks"]);
      assert.equal((await readOnly.api.get("/api/v1/admin/users")).status, 403);
      assert.equal((await webhooksOnly.api.get("/api/v1/admin/usage")).status, 403);
      // A key without a bot acts as nobody on the user-facing API.
      const noBot = await readOnly.api.get("/api/v1/conversations");
      assert.equal(noBot.status, 403);
      assert.match(noBot.body.error.message, /bot/);
      assert.equal((await readOnly.api.post("/api/v1/conversations", {})).status, 403);
      assert.equal((await readOnly.api.get("/api/v1/webhooks")).status, 403);
    });

    it("suspends a user: open connections get user.suspended and close, tokens are refused", async () => {
      const alice = await registerUser(started.url, "alice");
      const [io, ws] = await connectBoth(started.url, alice.token, clients);
      const suspended = await admin.api.post(`/api/v1/admin/users/${alice.id}/suspend`, {
        reason: "spam",
      });
      assert.equal(suspended.status, 200);
      assert.ok(suspended.body.suspended_at);
      for (const client of [io, ws]) {
        const frame = await nextEvent(client, "user.suspended");
        assert.equal(frame.data.user_id, alice.id);
        assert.equal(frame.data.reason, "spam");
      }
      assert.equal((await ws.closed).code, 1008);
      assert.equal((await io.closed).reason, "io server disconnect");
      const rest = await alice.api.get("/api/v1/users/me");
      assert.equal(rest.status, 401);
      assert.equal(rest.body.error.code, "unauthorized");
      assert.equal((await refusedWs(started.url, alice.token)).status, 401);
      assert.equal((await refusedIo(started.url, alice.token)).message, "unauthorized");
      const login = await new ApiClient(started.url).post("/api/v1/auth/login", {
        username: alice.username,
        password: "correct horse battery",
      });
      assert.equal(login.status, 401);

      assert.equal((await admin.api.post(`/api/v1/admin/users/${alice.id}/restore`)).status, 200);
      assert.equal((await alice.api.get("/api/v1/users/me")).status, 200);
      const log = await admin.api.get(`/api/v1/admin/audit-log?target_id=${alice.id}`);
      assert.deepEqual(
        log.body.data.map((e: { action: string }) => e.action),
        ["user.restore", "user.suspend"],
      );
      assert.deepEqual(log.body.data[1].details, { reason: "spam" });
    });

    it("suspends on every node: another node closes its connections and refuses the token", async () => {
      const other = await startTestApp(backend, { admin: { users: [admin.username] } });
      const alice = await registerUser(started.url, "alice");
      const ws = await connectWs(other.url, alice.token);
      clients.push(ws);
      await nextEvent(ws, "ready");
      assert.equal(
        (await new ApiClient(other.url, alice.token).get("/api/v1/users/me")).status,
        200,
      );
      await admin.api.post(`/api/v1/admin/users/${alice.id}/suspend`, {});
      assert.equal((await nextEvent(ws, "user.suspended")).data.user_id, alice.id);
      assert.equal((await ws.closed).code, 1008);
      assert.equal(
        (await new ApiClient(other.url, alice.token).get("/api/v1/users/me")).status,
        401,
      );
    });

    it("deletes any message as an admin: a tombstone, message.deleted to the members, audited", async () => {
      const [alice, bob] = [
        await registerUser(started.url, "alice"),
        await registerUser(started.url, "bob"),
      ];
      const conversationId = await createGroup(alice, [bob]);
      const message = await send(alice, conversationId, "something to remove");
      const [io] = await connectBoth(started.url, bob.token, clients);
      assert.equal((await admin.api.delete(`/api/v1/admin/messages/${message.id}`)).status, 204);
      const frame = await nextEvent(io, "message.deleted");
      assert.equal(frame.data.id, message.id);
      const stored = await bob.api.get(`/api/v1/messages/${message.id}`);
      assert.equal(stored.body.content, null);
      assert.ok(stored.body.deleted_at);
      assert.equal((await admin.api.delete(`/api/v1/admin/messages/${message.id}`)).status, 204);
      const events = await conversationEvents(started.app, conversationId);
      assert.equal(events.filter((e) => e.type === "message.deleted").length, 1);
      assert.equal(
        (await admin.api.delete("/api/v1/admin/messages/0190f1c2-7a3b-7c4d-8e5f-000000000001"))
          .status,
        404,
      );
      const log = await admin.api.get(`/api/v1/admin/audit-log?action=message.delete`);
      assert.ok(log.body.data.some((e: { target_id: string }) => e.target_id === message.id));
    });

    it("counts each key's requests under its own Prometheus labels and rate limit", async () => {
      const limited = await startIntegrationApp(backend, {
        rate_limits: { api_key_per_minute: 3 },
      });
      const key = await createKey(limited.admin, ["admin"]);
      const statuses = [];
      for (let i = 0; i < 4; i += 1)
        statuses.push((await key.api.get("/api/v1/admin/usage")).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      // The admin's own token is not limited by the key's budget.
      assert.equal((await limited.admin.api.get("/api/v1/admin/usage")).status, 200);
      const metrics = await (await fetch(`${limited.url}/metrics`)).text();
      const line = (status: number) =>
        new RegExp(
          `messaging_api_key_requests_total\\{api_key="${key.id}",api_key_name="key admin",status="${status}"\\} (\\d+)`,
        ).exec(metrics)?.[1];
      assert.equal(line(200), "3");
      assert.equal(line(429), "1");
    });
  });
}
