import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { backends } from "../support/backends";
import { registerUser, TestUser } from "../support/factories";
import {
  conversationEvents,
  createGroup,
  idsOf,
  sorted,
  storeMessage,
} from "../support/conversation-fixtures";
import { startTestApp } from "../support/test-app";

const BASE = "/api/v1/conversations";
const UNKNOWN_ID = "01900000-0000-7000-8000-000000000000";

for (const backend of backends()) {
  describe(`conversations [${backend.name}]`, () => {
    let app: App;
    let url: string;
    // One by one: the embedded database mixes up concurrent statements outside transactions.
    const users = async (n: number): Promise<TestUser[]> => {
      const made: TestUser[] = [];
      for (let i = 0; i < n; i++) made.push(await registerUser(url));
      return made;
    };

    before(async function () {
      this.timeout(60_000); // the first app of a run starts the embedded database
      ({ app, url } = await startTestApp(backend));
    });

    describe("POST /conversations", () => {
      it("creates a group whose creator is the owner and tells every member", async () => {
        const [alice, bob, carol] = await users(3);
        const res = await alice.api.post(BASE, {
          type: "group",
          member_ids: [bob.id, carol.id, bob.id, alice.id],
          name: "  Caf\u0065\u0301 team ",
          description: "plans",
          metadata: { color: "blue" },
        });
        assert.equal(res.status, 201);
        const conversation = res.body;
        assert.equal(conversation.type, "group");
        assert.equal(conversation.name, "Caf\u00e9 team");
        assert.equal(conversation.description, "plans");
        assert.deepEqual(conversation.metadata, { color: "blue" });
        assert.equal(conversation.created_by, alice.id);
        assert.equal(conversation.last_seq, 0);
        assert.equal(conversation.unread_count, 0);
        assert.equal(conversation.last_message, null);
        const roles = Object.fromEntries(conversation.members.map((m: any) => [m.user_id, m.role]));
        assert.deepEqual(roles, { [alice.id]: "owner", [bob.id]: "member", [carol.id]: "member" });
        const events = await conversationEvents(app, conversation.id);
        assert.deepEqual(
          events.map((e) => e.type),
          ["conversation.created"],
        );
        assert.deepEqual(sorted(events[0].audience), idsOf([alice, bob, carol]));
        // The shared frame has no per-viewer field (counts, notification settings): each
        // member's own are in viewer_fields.
        const {
          unread_count: _own,
          mention_count: _mentions,
          notification_level: _level,
          muted_until: _muted,
          ...shared
        } = conversation;
        assert.deepEqual(events[0].payload, { type: "conversation.created", data: shared });
        const zero = {
          unread_count: 0,
          mention_count: 0,
          notification_level: "mentions",
          muted_until: null,
        };
        assert.deepEqual(events[0].viewer_fields, {
          [alice.id]: zero,
          [bob.id]: zero,
          [carol.id]: zero,
        });
      });

      it("creates a group with only the creator and no name", async () => {
        const [alice] = await users(1);
        const res = await alice.api.post(BASE, { type: "group" });
        assert.equal(res.status, 201);
        assert.equal(res.body.name, null);
        assert.equal(res.body.members.length, 1);
      });

      it("returns 400 validation_error naming each bad field", async () => {
        const [alice, bob] = await users(2);
        const cases: [unknown, string][] = [
          [{}, "type"],
          [{ type: "channel" }, "type"],
          [{ type: "group", member_ids: ["nope"] }, "member_ids.0"],
          [{ type: "group", member_ids: "x" }, "member_ids"],
          [{ type: "group", name: "x".repeat(101) }, "name"],
          [{ type: "group", name: "   " }, "name"],
          [{ type: "group", name: "bell\u0007" }, "name"],
          [{ type: "group", description: "x".repeat(1001) }, "description"],
          [{ type: "group", metadata: { big: "x".repeat(9000) } }, "metadata"],
          [{ type: "group", metadata: [1] }, "metadata"],
          [{ type: "group", extra: 1 }, "extra"],
          [{ type: "direct" }, "member_ids"],
          [{ type: "direct", member_ids: [] }, "member_ids"],
          [{ type: "direct", member_ids: [bob.id, alice.id] }, "member_ids"],
          [{ type: "direct", member_ids: [alice.id] }, "member_ids"],
          [{ type: "direct", member_ids: [bob.id], name: "dm" }, "name"],
          [{ type: "group", member_ids: [UNKNOWN_ID] }, "member_ids"],
          [{ type: "direct", member_ids: [UNKNOWN_ID] }, "member_ids"],
        ];
        for (const [body, field] of cases) {
          const res = await alice.api.post(BASE, body);
          assert.equal(res.status, 400, JSON.stringify(body));
          assert.equal(res.body.error.code, "validation_error");
          const fields = res.body.error.details.map((d: { field: string }) => d.field);
          assert.ok(fields.includes(field), `${JSON.stringify(body)} → ${fields}`);
        }
        const mine = await alice.api.get(BASE);
        assert.deepEqual(mine.body.data, []);
      });

      it("keeps one direct conversation per pair: asking again returns it with 200", async () => {
        const [alice, bob] = await users(2);
        const first = await alice.api.post(BASE, {
          type: "direct",
          member_ids: [bob.id],
          metadata: { pinned: true },
        });
        assert.equal(first.status, 201);
        assert.equal(first.body.type, "direct");
        assert.equal(first.body.name, null);
        assert.deepEqual(first.body.metadata, { pinned: true });
        const again = await alice.api.post(BASE, { type: "direct", member_ids: [bob.id] });
        const reverse = await bob.api.post(BASE, {
          type: "direct",
          member_ids: [alice.id.toUpperCase()],
        });
        assert.equal(again.status, 200);
        assert.equal(reverse.status, 200);
        assert.equal(again.body.id, first.body.id);
        assert.equal(reverse.body.id, first.body.id);
        const events = await conversationEvents(app, first.body.id);
        assert.deepEqual(
          events.map((e) => e.type),
          ["conversation.created"],
        );
        assert.deepEqual(sorted(events[0].audience), idsOf([alice, bob]));
      });

      it("creates one direct conversation when both sides ask at once", async () => {
        const [alice, bob] = await users(2);
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            i % 2 === 0
              ? alice.api.post(BASE, { type: "direct", member_ids: [bob.id] })
              : bob.api.post(BASE, { type: "direct", member_ids: [alice.id] }),
          ),
        );
        const statuses = results.map((r) => r.status).sort();
        assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
        assert.equal(new Set(results.map((r) => r.body.id)).size, 1);
        const rows = await app.database
          .knex("conversations")
          .where({ direct_key: [alice.id, bob.id].sort().join(":") });
        assert.equal(rows.length, 1);
        assert.equal((await conversationEvents(app, rows[0].id)).length, 1);
      });

      it("brings back a user who left the direct conversation when it is asked for again", async () => {
        const [alice, bob] = await users(2);
        const dm = (await alice.api.post(BASE, { type: "direct", member_ids: [bob.id] })).body;
        const left = await alice.api.delete(`${BASE}/${dm.id}/members/${alice.id}`);
        assert.equal(left.status, 204);
        assert.equal((await alice.api.get(`${BASE}/${dm.id}`)).status, 404);
        const again = await alice.api.post(BASE, { type: "direct", member_ids: [bob.id] });
        assert.equal(again.status, 200);
        assert.equal(again.body.id, dm.id);
        const roles = Object.fromEntries(again.body.members.map((m: any) => [m.user_id, m.role]));
        assert.deepEqual(roles, { [alice.id]: "member", [bob.id]: "owner" });
        const added = await conversationEvents(app, dm.id, "member.added");
        assert.equal(added.length, 1);
        assert.deepEqual(added[0].payload.data, {
          conversation_id: dm.id,
          user_id: alice.id,
          role: "member",
        });
        assert.deepEqual(sorted(added[0].audience), idsOf([alice, bob]));
      });
    });

    describe("GET /conversations", () => {
      it("lists only the caller's conversations, most recent activity first", async () => {
        const [alice, bob, carol] = await users(3);
        const one = await createGroup(alice, [bob]);
        const two = await createGroup(alice);
        const three = await createGroup(bob, [carol]);
        const dm = (await alice.api.post(BASE, { type: "direct", member_ids: [carol.id] })).body;
        await storeMessage(app, one.id, bob.id);
        const res = await alice.api.get(BASE);
        assert.equal(res.status, 200);
        assert.deepEqual(
          res.body.data.map((c: any) => c.id),
          [one.id, dm.id, two.id],
        );
        assert.equal(res.body.next_cursor, null);
        assert.ok(!res.body.data.some((c: any) => c.id === three.id));
        assert.deepEqual(
          sorted(res.body.data[0].members.map((m: any) => m.user_id)),
          idsOf([alice, bob]),
        );
      });

      it("counts unread messages by others after the read pointer, and shows the last message", async () => {
        const [alice, bob] = await users(2);
        const group = await createGroup(alice, [bob]);
        await storeMessage(app, group.id, bob.id); // 1
        await storeMessage(app, group.id, bob.id); // 2
        await storeMessage(app, group.id, alice.id); // 3: her own
        await storeMessage(app, group.id, bob.id, { deleted: true }); // 4: deleted
        await storeMessage(app, group.id, bob.id); // 5
        await app.database
          .knex("conversation_members")
          .where({ conversation_id: group.id, user_id: alice.id })
          .update({ last_read_seq: 1 });
        const tombstone = await storeMessage(app, group.id, bob.id, { deleted: true }); // 6
        const [forAlice] = (await alice.api.get(BASE)).body.data;
        assert.equal(forAlice.unread_count, 2); // seq 2 and 5
        assert.equal(forAlice.last_seq, 6);
        assert.equal(forAlice.last_message.id, tombstone.id);
        assert.equal(forAlice.last_message.content, null);
        assert.ok(forAlice.last_message.deleted_at);
        const [forBob] = (await bob.api.get(BASE)).body.data;
        assert.equal(forBob.unread_count, 1); // seq 3
        const single = (await alice.api.get(`${BASE}/${group.id}`)).body;
        assert.equal(single.unread_count, 2);
        assert.equal(single.last_message.id, tombstone.id);
      });

      it("visits every conversation exactly once while others get new activity", async () => {
        const [alice, bob] = await users(2);
        const created: string[] = [];
        for (let i = 0; i < 9; i++) created.push((await createGroup(alice, [bob])).id);
        const seen: string[] = [];
        let cursor: string | null = null;
        let round = 0;
        do {
          const path: string = `${BASE}?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
          const res = await alice.api.get(path);
          assert.equal(res.status, 200);
          seen.push(...res.body.data.map((c: any) => c.id));
          cursor = res.body.next_cursor;
          // Between pages: activity on one not yet seen and one already seen, and a new one.
          const unseen = created.filter((id) => !seen.includes(id));
          if (unseen.length > 0) await storeMessage(app, unseen[unseen.length - 1], bob.id);
          await storeMessage(app, seen[0], bob.id);
          if (round++ === 1) await createGroup(bob, [alice]);
        } while (cursor);
        assert.equal(seen.length, new Set(seen).size, "no conversation twice");
        assert.deepEqual(sorted(seen.filter((id) => created.includes(id))), sorted(created));
        const fresh = await alice.api.get(`${BASE}?limit=100`);
        assert.equal(fresh.body.data.length, 10);
      });

      it("returns 400 for a bad cursor or limit", async () => {
        const [alice] = await users(1);
        for (const query of ["limit=0", "limit=101", "limit=x", "cursor=garbage", "cursor=e30"]) {
          const res = await alice.api.get(`${BASE}?${query}`);
          assert.equal(res.status, 400, query);
          assert.equal(res.body.error.code, "validation_error");
        }
      });
    });

    describe("GET, PUT and DELETE /conversations/:id", () => {
      it("returns 404 to a non-member and for an unknown id, 400 for a malformed id", async () => {
        const [alice, mallory] = await users(2);
        const group = await createGroup(alice);
        assert.equal((await alice.api.get(`${BASE}/${group.id}`)).status, 200);
        for (const path of [`${BASE}/${group.id}`, `${BASE}/${UNKNOWN_ID}`]) {
          const res = await mallory.api.get(path);
          assert.equal(res.status, 404);
          assert.equal(res.body.error.code, "not_found");
        }
        const bad = await alice.api.get(`${BASE}/not-a-uuid`);
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error.code, "validation_error");
      });

      it("lets the owner and an admin update a group and tells every member", async () => {
        const [alice, bob, carol] = await users(3);
        const group = await createGroup(alice, [carol], { description: "old" });
        await alice.api.post(`${BASE}/${group.id}/members`, { user_id: bob.id, role: "admin" });
        const byOwner = await alice.api.put(`${BASE}/${group.id}`, { name: "renamed" });
        assert.equal(byOwner.status, 200);
        assert.equal(byOwner.body.name, "renamed");
        assert.equal(byOwner.body.description, "old");
        const byAdmin = await bob.api.put(`${BASE}/${group.id}`, {
          description: "",
          metadata: { topic: "x" },
        });
        assert.equal(byAdmin.status, 200);
        assert.equal(byAdmin.body.description, null);
        assert.deepEqual(byAdmin.body.metadata, { topic: "x" });
        assert.ok(byAdmin.body.updated_at > group.updated_at);
        const stored = (await carol.api.get(`${BASE}/${group.id}`)).body;
        assert.equal(stored.name, "renamed");
        const events = await conversationEvents(app, group.id, "conversation.updated");
        assert.equal(events.length, 2);
        assert.deepEqual(sorted(events[1].audience), idsOf([alice, bob, carol]));
        assert.equal(events[1].payload.data.description, null);
      });

      it("refuses updates from a plain member (403), on a direct conversation (403), and bad bodies (400)", async () => {
        const [alice, bob, mallory] = await users(3);
        const group = await createGroup(alice, [bob]);
        const byMember = await bob.api.put(`${BASE}/${group.id}`, { name: "mine" });
        assert.equal(byMember.status, 403);
        assert.equal(byMember.body.error.code, "forbidden");
        const dm = (await alice.api.post(BASE, { type: "direct", member_ids: [bob.id] })).body;
        const direct = await alice.api.put(`${BASE}/${dm.id}`, { name: "dm" });
        assert.equal(direct.status, 403);
        const outsider = await mallory.api.put(`${BASE}/${group.id}`, { name: "x" });
        assert.equal(outsider.status, 404);
        for (const body of [{}, { name: "" }, { metadata: "x" }, { type: "direct" }]) {
          const res = await alice.api.put(`${BASE}/${group.id}`, body);
          assert.equal(res.status, 400, JSON.stringify(body));
          assert.equal(res.body.error.code, "validation_error");
        }
        assert.equal((await alice.api.put(`${BASE}/nope`, { name: "x" })).status, 400);
        assert.equal((await alice.api.get(`${BASE}/${group.id}`)).body.name, "a group");
        assert.equal((await conversationEvents(app, group.id, "conversation.updated")).length, 0);
      });

      it("lets only the owner delete, removes everything, and tells every former member", async () => {
        const [alice, bob, carol, mallory] = await users(4);
        const group = await createGroup(alice, [carol]);
        await alice.api.post(`${BASE}/${group.id}/members`, { user_id: bob.id, role: "admin" });
        await storeMessage(app, group.id, bob.id);
        assert.equal((await mallory.api.delete(`${BASE}/${group.id}`)).status, 404);
        const byAdmin = await bob.api.delete(`${BASE}/${group.id}`);
        assert.equal(byAdmin.status, 403);
        assert.equal(byAdmin.body.error.code, "forbidden");
        assert.equal((await carol.api.delete(`${BASE}/${group.id}`)).status, 403);
        assert.equal((await alice.api.delete(`${BASE}/not-a-uuid`)).status, 400);
        const res = await alice.api.delete(`${BASE}/${group.id}`);
        assert.equal(res.status, 204);
        assert.equal((await alice.api.get(`${BASE}/${group.id}`)).status, 404);
        assert.equal((await alice.api.delete(`${BASE}/${group.id}`)).status, 404);
        const knex = app.database.knex;
        assert.equal((await knex("messages").where({ conversation_id: group.id })).length, 0);
        assert.equal(
          (await knex("conversation_members").where({ conversation_id: group.id })).length,
          0,
        );
        const [deleted] = await conversationEvents(app, group.id, "conversation.deleted");
        assert.deepEqual(deleted.payload, { type: "conversation.deleted", data: { id: group.id } });
        assert.deepEqual(sorted(deleted.audience), idsOf([alice, bob, carol]));
      });
    });

    describe("every conversation route", () => {
      it("answers a non-member 404 and a malformed id 400, and changes nothing", async () => {
        const [alice, bob, mallory] = await users(3);
        const group = await createGroup(alice, [bob]);
        const before = await conversationEvents(app, group.id);
        const routes = (id: string, userId: string): [string, string, unknown?][] => [
          ["GET", `${BASE}/${id}`],
          ["PUT", `${BASE}/${id}`, { name: "taken over" }],
          ["DELETE", `${BASE}/${id}`],
          ["POST", `${BASE}/${id}/members`, { user_id: mallory.id }],
          ["DELETE", `${BASE}/${id}/members/${userId}`],
        ];
        for (const [method, path, body] of routes(group.id, bob.id)) {
          const res = await mallory.api.request(method, path, body);
          assert.equal(res.status, 404, `${method} ${path}`);
          assert.equal(res.body.error.code, "not_found");
        }
        for (const [method, path, body] of [
          ...routes("not-a-uuid", bob.id),
          ...routes(group.id, "not-a-uuid").slice(4),
          ...routes("1' OR '1'='1", bob.id),
        ]) {
          const res = await alice.api.request(method, path, body);
          assert.equal(res.status, 400, `${method} ${path}`);
          assert.equal(res.body.error.code, "validation_error");
        }
        assert.deepEqual(await conversationEvents(app, group.id), before);
        assert.equal((await alice.api.get(`${BASE}/${group.id}`)).body.members.length, 2);
      });
    });

    describe("helpers for other transports", () => {
      it("gives the other members and the contacts of a user", async () => {
        const [alice, bob, carol, dave] = await users(4);
        const group = await createGroup(alice, [bob, carol]);
        await createGroup(dave, [alice]);
        const service = app.services.conversations;
        assert.deepEqual(
          sorted(await service.otherMemberIds(alice.id, group.id)),
          idsOf([bob, carol]),
        );
        await assert.rejects(service.otherMemberIds(dave.id, group.id), { code: "not_found" });
        await assert.rejects(service.otherMemberIds(dave.id, "x"), { code: "validation_error" });
        assert.deepEqual(sorted(await service.contactIds(alice.id)), idsOf([bob, carol, dave]));
        assert.deepEqual(sorted(await service.contactIds(carol.id)), idsOf([alice, bob]));
      });
    });
  });
}
