import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { backends } from "../support/backends";
import { registerUser, TestUser } from "../support/factories";
import {
  addMember,
  conversationEvents,
  createGroup,
  idsOf,
  sorted,
} from "../support/conversation-fixtures";
import { startTestApp } from "../support/test-app";

const BASE = "/api/v1/conversations";
const UNKNOWN_ID = "01900000-0000-7000-8000-000000000000";

for (const backend of backends()) {
  describe(`conversation members [${backend.name}]`, () => {
    let app: App;
    let url: string;
    // One by one: the embedded database mixes up concurrent statements outside transactions.
    const users = async (n: number): Promise<TestUser[]> => {
      const made: TestUser[] = [];
      for (let i = 0; i < n; i++) made.push(await registerUser(url));
      return made;
    };
    const members = (id: string) => `${BASE}/${id}/members`;
    const rolesOf = async (user: TestUser, id: string) => {
      const res = await user.api.get(`${BASE}/${id}`);
      return Object.fromEntries(res.body.members.map((m: any) => [m.user_id, m.role]));
    };

    before(async function () {
      this.timeout(60_000); // the first app of a run starts the embedded database
      ({ app, url } = await startTestApp(backend));
    });

    describe("POST /conversations/:id/members", () => {
      it("adds a member with a role and tells every member, the new one included", async () => {
        const [alice, bob, carol] = await users(3);
        const group = await createGroup(alice, [bob]);
        const res = await alice.api.post(members(group.id), { user_id: carol.id, role: "admin" });
        assert.equal(res.status, 201);
        assert.equal(res.body.user_id, carol.id);
        assert.equal(res.body.role, "admin");
        assert.equal(res.body.last_read_seq, 0);
        assert.ok(res.body.joined_at);
        assert.equal((await carol.api.get(`${BASE}/${group.id}`)).status, 200);
        const [added] = await conversationEvents(app, group.id, "member.added");
        assert.deepEqual(added.payload, {
          type: "member.added",
          data: { conversation_id: group.id, user_id: carol.id, role: "admin" },
        });
        assert.deepEqual(sorted(added.audience), idsOf([alice, bob, carol]));
      });

      it("lets an admin add plain members but not admins", async () => {
        const [alice, bob, carol, dave] = await users(4);
        const group = await createGroup(alice);
        await addMember(alice, group.id, bob, "admin");
        const plain = await bob.api.post(members(group.id), { user_id: carol.id });
        assert.equal(plain.status, 201);
        assert.equal(plain.body.role, "member");
        const admin = await bob.api.post(members(group.id), { user_id: dave.id, role: "admin" });
        assert.equal(admin.status, 403);
        assert.equal(admin.body.error.code, "forbidden");
      });

      it("refuses a plain member (403), a non-member (404) and a direct conversation (403)", async () => {
        const [alice, bob, carol, mallory] = await users(4);
        const group = await createGroup(alice, [bob]);
        const byMember = await bob.api.post(members(group.id), { user_id: carol.id });
        assert.equal(byMember.status, 403);
        assert.equal(byMember.body.error.code, "forbidden");
        const byOutsider = await mallory.api.post(members(group.id), { user_id: carol.id });
        assert.equal(byOutsider.status, 404);
        assert.equal(byOutsider.body.error.code, "not_found");
        const unknown = await alice.api.post(members(UNKNOWN_ID), { user_id: carol.id });
        assert.equal(unknown.status, 404);
        const dm = (await alice.api.post(BASE, { type: "direct", member_ids: [bob.id] })).body;
        const direct = await alice.api.post(members(dm.id), { user_id: carol.id });
        assert.equal(direct.status, 403);
        assert.equal((await conversationEvents(app, group.id, "member.added")).length, 0);
      });

      it("returns 409 for a member already there and 400 for bad input or an unknown user", async () => {
        const [alice, bob] = await users(2);
        const group = await createGroup(alice, [bob]);
        const again = await alice.api.post(members(group.id), { user_id: bob.id });
        assert.equal(again.status, 409);
        assert.equal(again.body.error.code, "conflict");
        const cases: [unknown, string][] = [
          [{}, "user_id"],
          [{ user_id: "nope" }, "user_id"],
          [{ user_id: bob.id, role: "owner" }, "role"],
          [{ user_id: bob.id, extra: true }, "extra"],
          [{ user_id: UNKNOWN_ID }, "user_id"],
        ];
        for (const [body, field] of cases) {
          const res = await alice.api.post(members(group.id), body);
          assert.equal(res.status, 400, JSON.stringify(body));
          assert.equal(res.body.error.code, "validation_error");
          assert.ok(res.body.error.details.some((d: any) => d.field === field));
        }
        const malformed = await alice.api.post(members("x"), { user_id: bob.id });
        assert.equal(malformed.status, 400);
      });
    });

    describe("DELETE /conversations/:id/members/:userId", () => {
      it("lets a member leave and tells the members and the one who left", async () => {
        const [alice, bob, carol] = await users(3);
        const group = await createGroup(alice, [bob, carol]);
        const res = await bob.api.delete(`${members(group.id)}/${bob.id}`);
        assert.equal(res.status, 204);
        assert.equal((await bob.api.get(`${BASE}/${group.id}`)).status, 404);
        assert.ok(!(await bob.api.get(BASE)).body.data.some((c: any) => c.id === group.id));
        const [removed] = await conversationEvents(app, group.id, "member.removed");
        assert.deepEqual(removed.payload, {
          type: "member.removed",
          data: { conversation_id: group.id, user_id: bob.id, role: "member" },
        });
        assert.deepEqual(sorted(removed.audience), idsOf([alice, bob, carol]));
      });

      it("lets the owner remove anyone and an admin remove plain members only", async () => {
        const [alice, bob, carol, dave, erin] = await users(5);
        const group = await createGroup(alice, [carol, dave]);
        await addMember(alice, group.id, bob, "admin");
        await addMember(alice, group.id, erin, "admin");
        assert.equal((await bob.api.delete(`${members(group.id)}/${carol.id}`)).status, 204);
        const adminOnOwner = await bob.api.delete(`${members(group.id)}/${alice.id}`);
        assert.equal(adminOnOwner.status, 403);
        assert.equal(adminOnOwner.body.error.code, "forbidden");
        assert.equal((await bob.api.delete(`${members(group.id)}/${erin.id}`)).status, 403);
        const memberOnOther = await dave.api.delete(`${members(group.id)}/${bob.id}`);
        assert.equal(memberOnOther.status, 403);
        assert.equal((await alice.api.delete(`${members(group.id)}/${erin.id}`)).status, 204);
        assert.deepEqual(await rolesOf(alice, group.id), {
          [alice.id]: "owner",
          [bob.id]: "admin",
          [dave.id]: "member",
        });
      });

      it("returns 404 to a non-member and for a user who is not a member, 400 for bad ids", async () => {
        const [alice, bob, mallory] = await users(3);
        const group = await createGroup(alice, [bob]);
        const outsider = await mallory.api.delete(`${members(group.id)}/${bob.id}`);
        assert.equal(outsider.status, 404);
        assert.equal(outsider.body.error.code, "not_found");
        assert.equal((await mallory.api.delete(`${members(group.id)}/${mallory.id}`)).status, 404);
        const notMember = await alice.api.delete(`${members(group.id)}/${mallory.id}`);
        assert.equal(notMember.status, 404);
        assert.equal((await alice.api.delete(`${members(group.id)}/nope`)).status, 400);
        assert.equal((await alice.api.delete(`${members("nope")}/${bob.id}`)).status, 400);
        assert.equal((await conversationEvents(app, group.id, "member.removed")).length, 0);
      });

      it("lets a direct conversation be left but nobody be removed from it", async () => {
        const [alice, bob] = await users(2);
        const dm = (await alice.api.post(BASE, { type: "direct", member_ids: [bob.id] })).body;
        assert.equal((await alice.api.delete(`${members(dm.id)}/${bob.id}`)).status, 403);
        assert.equal((await bob.api.delete(`${members(dm.id)}/${bob.id}`)).status, 204);
        assert.deepEqual(await rolesOf(alice, dm.id), { [alice.id]: "owner" });
      });

      it("hands ownership to the longest-standing admin when the owner leaves", async () => {
        const [alice, bob, carol, dave] = await users(4);
        const group = await createGroup(alice, [bob]);
        await addMember(alice, group.id, carol, "admin");
        await addMember(alice, group.id, dave, "admin");
        assert.equal((await alice.api.delete(`${members(group.id)}/${alice.id}`)).status, 204);
        assert.deepEqual(await rolesOf(bob, group.id), {
          [bob.id]: "member",
          [carol.id]: "owner",
          [dave.id]: "admin",
        });
        const [updated] = await conversationEvents(app, group.id, "conversation.updated");
        assert.deepEqual(sorted(updated.audience), idsOf([bob, carol, dave]));
        const carolInEvent = updated.payload.data.members.find((m: any) => m.user_id === carol.id);
        assert.equal(carolInEvent.role, "owner");
        // The new owner can do what owners do.
        assert.equal((await carol.api.put(`${BASE}/${group.id}`, { name: "mine" })).status, 200);
      });

      it("hands ownership to the longest-standing member when there is no admin", async () => {
        const [alice, bob, carol] = await users(3);
        const group = await createGroup(alice);
        await addMember(alice, group.id, bob);
        await addMember(alice, group.id, carol);
        assert.equal((await alice.api.delete(`${members(group.id)}/${alice.id}`)).status, 204);
        assert.deepEqual(await rolesOf(carol, group.id), {
          [bob.id]: "owner",
          [carol.id]: "member",
        });
      });

      it("deletes the conversation when the last member leaves", async () => {
        const [alice] = await users(1);
        const group = await createGroup(alice);
        assert.equal((await alice.api.delete(`${members(group.id)}/${alice.id}`)).status, 204);
        const rows = await app.database.knex("conversations").where({ id: group.id });
        assert.equal(rows.length, 0);
        const events = await conversationEvents(app, group.id);
        assert.deepEqual(
          events.map((e) => e.type),
          ["conversation.created", "member.removed", "conversation.deleted"],
        );
        assert.deepEqual(events[2].audience, [alice.id]);
      });

      it("keeps one owner when the owner and the heir leave at once", async () => {
        const [alice, bob, carol] = await users(3);
        const group = await createGroup(alice);
        await addMember(alice, group.id, bob, "admin");
        await addMember(alice, group.id, carol);
        const results = await Promise.all([
          alice.api.delete(`${members(group.id)}/${alice.id}`),
          bob.api.delete(`${members(group.id)}/${bob.id}`),
        ]);
        assert.deepEqual(
          results.map((r) => r.status),
          [204, 204],
        );
        assert.deepEqual(await rolesOf(carol, group.id), { [carol.id]: "owner" });
      });
    });
  });
}
