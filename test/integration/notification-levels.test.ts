import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversation-fixtures";
import { TestUser, registerUser } from "../support/factories";
import { openConversation, send } from "../support/message-fixtures";
import { RealtimeClient, closeAll, framesOf } from "../support/realtime-clients";
import { expectEvent, settle, watch } from "../support/realtime-watch";
import { startTestApp, TestApp } from "../support/test-app";

for (const backend of backends()) {
  describe(`notification levels and badges [${backend.name}]`, () => {
    let node: TestApp;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let clients: RealtimeClient[];

    before(async function () {
      this.timeout(60_000);
      node = await startTestApp(backend);
      [alice, bob, carol] = await Promise.all(
        ["alice", "bob", "carol"].map((name) => registerUser(node.url, name)),
      );
    });
    beforeEach(() => (clients = []));
    afterEach(() => closeAll(clients));

    const view = async (user: TestUser, id: string) =>
      (await user.api.get(`/api/v1/conversations/${id}`)).body;
    const settings = (user: TestUser, id: string, body: unknown) =>
      user.api.put(`/api/v1/conversations/${id}/notifications`, body);

    describe("PUT /conversations/:id/notifications", () => {
      it("starts each member at the type's default: all in direct, mentions in groups", async () => {
        const group = await openConversation([alice, bob]);
        const direct = await openConversation([alice, carol], { type: "direct" });
        assert.equal((await view(bob, group)).notification_level, "mentions");
        assert.equal((await view(alice, direct)).notification_level, "all");
        assert.equal((await view(alice, direct)).muted_until, null);
      });

      it("takes the defaults from config", async () => {
        const other = await startTestApp(backend, {
          notifications: { direct_level: "none", group_level: "all" },
        });
        const [dora, eve] = await Promise.all(
          ["dora", "eve"].map((name) => registerUser(other.url, name)),
        );
        const group = await openConversation([dora, eve]);
        const direct = await openConversation([dora, eve], { type: "direct" });
        assert.equal((await view(eve, group)).notification_level, "all");
        assert.equal((await view(eve, direct)).notification_level, "none");
      });

      it("sets the caller's own level and mute, shown in their view only, and tells their other devices", async () => {
        const group = (await createGroup(alice, [bob])).id;
        const mine = await watch(node.url, bob, clients);
        const others = await watch(node.url, alice, clients);
        const until = new Date(Date.now() + 3_600_000).toISOString();
        const res = await settings(bob, group, { level: "all", muted_until: until });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(res.body, {
          conversation_id: group,
          notification_level: "all",
          muted_until: until,
        });
        const frame = await expectEvent(
          [mine],
          [others],
          "notifications.updated",
          (f) => f.data.conversation_id === group,
        );
        assert.deepEqual(frame.data, { ...res.body, user_id: bob.id });
        const bobs = await view(bob, group);
        assert.equal(bobs.notification_level, "all");
        assert.equal(bobs.muted_until, until);
        const alices = await view(alice, group);
        assert.equal(alices.notification_level, "mentions");
        assert.equal(alices.muted_until, null);
        const listed = await bob.api.get("/api/v1/conversations");
        const inList = listed.body.data.find((c: { id: string }) => c.id === group);
        assert.equal(inList.notification_level, "all");
      });

      it("returns to the default with level null, and unmutes with null or a past time", async () => {
        const group = await openConversation([alice, bob]);
        await settings(bob, group, { level: "none", muted_until: "2999-01-01T00:00:00.000Z" });
        const reset = await settings(bob, group, { level: null, muted_until: null });
        assert.equal(reset.body.notification_level, "mentions");
        assert.equal(reset.body.muted_until, null);
        await settings(bob, group, { muted_until: "2999-01-01T00:00:00.000Z" });
        const past = await settings(bob, group, { muted_until: "2001-01-01T00:00:00.000Z" });
        assert.equal(past.body.muted_until, null);
      });

      it("refuses a bad level or an empty body with 400 and a non-member with 404", async () => {
        const group = await openConversation([alice, bob]);
        for (const body of [{ level: "loud" }, {}, { muted_until: "soon" }]) {
          const res = await settings(bob, group, body);
          assert.equal(res.status, 400, JSON.stringify(body));
          assert.equal(res.body.error.code, "validation_error");
        }
        const outsider = await settings(carol, group, { level: "all" });
        assert.equal(outsider.status, 404);
        assert.equal(outsider.body.error.code, "not_found");
      });
    });

    describe("badges", () => {
      it("counts mentions beside unread messages in the caller's view", async () => {
        const group = await openConversation([alice, bob, carol]);
        await send(alice, group, "plain");
        await send(alice, group, `@${bob.username} look`);
        await send(carol, group, `@${bob.username} and @${alice.username}`);
        const bobs = await view(bob, group);
        assert.equal(bobs.unread_count, 3);
        assert.equal(bobs.mention_count, 2);
        const alices = await view(alice, group);
        assert.equal(alices.unread_count, 1);
        assert.equal(alices.mention_count, 1);
      });

      it("sends the reader's new counts to their own devices only when they read", async () => {
        const group = (await createGroup(alice, [bob])).id;
        await send(alice, group, `@${bob.username} one`);
        const last = await send(alice, group, `@${bob.username} two`);
        await send(alice, group, "three");
        const mine = await watch(node.url, bob, clients);
        const others = await watch(node.url, alice, clients);
        assert.equal((await bob.api.post(`/api/v1/messages/${last.id}/read`)).status, 200);
        const frame = await expectEvent([mine], [], "read_state.updated", () => true);
        await settle([others]);
        for (const client of [others.io, others.ws]) {
          assert.deepEqual(framesOf(client, "read_state.updated"), [], "not to other members");
          assert.equal(framesOf(client, "message.read").length, 1, "who still hear the read");
        }
        assert.equal(frame.data.conversation_id, group);
        assert.equal(frame.data.last_read_seq, last.seq);
        assert.equal(frame.data.unread_count, 1);
        assert.equal(frame.data.mention_count, 0);
      });

      it("gives each member their own counts in message.deleted", async () => {
        const group = await openConversation([alice, bob]);
        const watcher = await watch(node.url, bob, clients);
        const message = await send(alice, group, `@${bob.username} soon gone`);
        await send(alice, group, "stays");
        assert.equal((await alice.api.delete(`/api/v1/messages/${message.id}`)).status, 204);
        const frame = await expectEvent([watcher], [], "message.deleted", () => true);
        assert.equal(frame.data.unread_count, 1);
        assert.equal(frame.data.mention_count, 0);
      });

      it("totals the conversations that may notify in GET /users/me/badges, leaving out muted and none", async () => {
        const dan = await registerUser(node.url, "dan");
        const loud = await openConversation([alice, dan]);
        const muted = await openConversation([alice, dan]);
        const silent = await openConversation([alice, dan]);
        for (const id of [loud, muted, silent]) {
          await send(alice, id, `@${dan.username} hi`);
          await send(alice, id, "more");
        }
        await settings(dan, muted, { muted_until: "2999-01-01T00:00:00.000Z" });
        await settings(dan, silent, { level: "none" });
        const res = await dan.api.get("/api/v1/users/me/badges");
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.unread_count, 2);
        assert.equal(res.body.mention_count, 1);
        assert.deepEqual(
          res.body.conversations.map((c: { conversation_id: string }) => c.conversation_id).sort(),
          [loud, muted, silent].sort(),
        );
        for (const entry of res.body.conversations) {
          assert.equal(entry.unread_count, 2);
          assert.equal(entry.mention_count, 1);
        }
      });

      it("puts the badges, with the position they hold at, on the sync page that catches up", async () => {
        const erin = await registerUser(node.url, "erin");
        const group = await openConversation([alice, erin]);
        await send(alice, group, `@${erin.username} hello`);
        await node.app.events.sequencer.flush();
        let page = await erin.api.get("/api/v1/sync?since=p0&limit=100");
        while (page.body.has_more) {
          assert.equal(page.body.badges, undefined, "only the page that catches up");
          page = await erin.api.get(`/api/v1/sync?since=${page.body.next_cursor}&limit=100`);
        }
        assert.equal(page.status, 200, JSON.stringify(page.body));
        assert.equal(page.body.badges.unread_count, 1);
        assert.equal(page.body.badges.mention_count, 1);
        assert.deepEqual(page.body.badges.conversations, [
          { conversation_id: group, unread_count: 1, mention_count: 1 },
        ]);
        assert.match(page.body.badges.cursor, /^p[0-9a-z]+$/);
      });
    });
  });
}
