import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { newId } from "../../lib/ids";
import { backends } from "../support/backends";
import { insertConversation } from "../support/events";
import { registerUser, TestUser } from "../support/factories";
import {
  closeAll,
  connectIo,
  connectWs,
  framesOf,
  nextEvent,
  RealtimeClient,
} from "../support/realtime-clients";
import { startTestApp, TestApp, stopTestApp } from "../support/test-app";
import { FAST_PRESENCE } from "../support/events";

const GRACE_MS = 300;

for (const backend of backends()) {
  describe(`presence [${backend.name}]`, () => {
    let node: TestApp;
    let bob: TestUser;
    let carol: TestUser;
    let bobClients: RealtimeClient[];
    let carolWs: RealtimeClient;
    const clients: RealtimeClient[] = [];

    before(async () => {
      node = await startTestApp(backend, FAST_PRESENCE);
      bob = await registerUser(node.url, "bob");
      carol = await registerUser(node.url, "carol");
      bobClients = [await connectIo(node.url, bob.token), await connectWs(node.url, bob.token)];
      carolWs = await connectWs(node.url, carol.token);
    });
    after(() => closeAll([...bobClients, carolWs]));
    afterEach(() => closeAll(clients));
    after(() => Promise.all([stopTestApp(node.app)]));

    /** A user who shares a conversation with bob (not with carol). */
    async function bobsContact(): Promise<TestUser> {
      const user = await registerUser(node.url, "alice");
      await insertConversation(node.app, [user.id, bob.id]);
      return user;
    }
    const about = (user: TestUser, status: string) => (f: Record<string, any>) =>
      f.user_id === user.id && f.status === status;

    it("reports offline without last_seen_at for a user who never connected", async () => {
      const alice = await bobsContact();
      const response = await bob.api.get(`/api/v1/users/${alice.id}/presence`);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { user_id: alice.id, status: "offline", last_seen_at: null });
      assert.equal((await bob.api.get(`/api/v1/users/${newId()}/presence`)).status, 404);
      const malformed = await bob.api.get(`/api/v1/users/nope/presence`);
      assert.equal(malformed.status, 400);
      assert.equal(malformed.body.error.code, "validation_error");
    });

    it("announces online to contacts on both transports, and offline after the grace period", async () => {
      const alice = await bobsContact();
      const ws = await connectWs(node.url, alice.token);
      for (const client of bobClients) {
        const frame = await nextEvent(client, "presence.changed", about(alice, "online"));
        assert.deepEqual(frame, { type: "presence.changed", user_id: alice.id, status: "online" });
      }
      const presence = await bob.api.get(`/api/v1/users/${alice.id}/presence`);
      assert.equal(presence.body.status, "online");
      assert.ok(Date.parse(presence.body.last_seen_at) > 0);
      const online = await bob.api.get("/api/v1/users/online?limit=100");
      assert.ok(online.body.data.some((p: any) => p.user_id === alice.id && p.status === "online"));

      ws.close();
      for (const client of bobClients) {
        await nextEvent(client, "presence.changed", about(alice, "offline"));
      }
      assert.equal(
        (await bob.api.get(`/api/v1/users/${alice.id}/presence`)).body.status,
        "offline",
      );
      const after = await bob.api.get("/api/v1/users/online?limit=100");
      assert.ok(!after.body.data.some((p: any) => p.user_id === alice.id));
      assert.equal(framesOf(carolWs, "presence.changed", (f) => f.user_id === alice.id).length, 0);
    });

    it("keeps a chosen status until it is changed, across reconnects", async () => {
      const alice = await bobsContact();
      const first = await connectIo(node.url, alice.token);
      clients.push(first);
      const [bobIo] = bobClients;
      await nextEvent(bobIo, "presence.changed", about(alice, "online"));
      const reply = await first.request("presence.update", { status: "away" });
      assert.equal(reply.data.status, "away");
      await nextEvent(bobIo, "presence.changed", about(alice, "away"));
      first.close();
      await nextEvent(bobIo, "presence.changed", about(alice, "offline"));
      const second = await connectWs(node.url, alice.token);
      clients.push(second);
      await nextEvent(bobIo, "presence.changed", about(alice, "away"));
      const online = await bob.api.get("/api/v1/users/online?limit=100");
      assert.ok(online.body.data.some((p: any) => p.user_id === alice.id && p.status === "away"));
      await second.request("presence.update", { status: "online" });
      await nextEvent(bobIo, "presence.changed", about(alice, "online"));
    });

    it("does not flap to offline when a user reconnects within the grace period", async () => {
      const alice = await bobsContact();
      const first = await connectWs(node.url, alice.token);
      const [bobIo] = bobClients;
      await nextEvent(bobIo, "presence.changed", about(alice, "online"));
      first.close();
      await first.closed;
      const second = await connectWs(node.url, alice.token);
      clients.push(second);
      // Let the grace period and a sweep pass: nothing to await when nothing must happen.
      await delay(GRACE_MS * 3);
      await second.request("presence.update", { status: "busy" });
      await nextEvent(bobIo, "presence.changed", about(alice, "busy"));
      const statuses = framesOf(bobIo, "presence.changed", (f) => f.user_id === alice.id);
      assert.deepEqual(
        statuses.map((f) => f.status),
        ["online", "busy"],
      );
    });
  });
}
