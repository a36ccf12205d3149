import assert from "node:assert/strict";
import type { Knex } from "knex";
import { backends } from "../support/backends";
import { TestUser, registerUser } from "../support/factories";
import { useSearchFixture } from "../support/search-fixtures";
import { seedConversation, seedDelete, seedEdit, seedMessage } from "../support/seed";
import { startTestApp } from "../support/test-app";

const contents = (body: { data: { content: string }[] }) =>
  body.data.map((hit) => hit.content).sort();

for (const backend of backends()) {
  describe(`GET /api/v1/search/messages [${backend.name}]`, () => {
    const f = useSearchFixture(backend);

    it("finds longer words by prefix, case-insensitively", async () => {
      await f.say("Deployment finished");
      await f.say("we deployed it");
      await f.say("redeploy tomorrow");
      const res = await f.search(f.alice, { q: "DEPLOY" });
      assert.equal(res.status, 200);
      assert.deepEqual(contents(res.body), ["Deployment finished", "we deployed it"]);
      assert.equal(res.body.next_cursor, null);
    });

    it("matches a quoted phrase only with its words adjacent and in order", async () => {
      await f.say("the release notes are out");
      await f.say("notes about the release");
      const res = await f.search(f.alice, { q: '"release notes"' });
      assert.deepEqual(contents(res.body), ["the release notes are out"]);
    });

    it("excludes -word and combines terms with or", async () => {
      await f.say("apple pie");
      await f.say("banana bread");
      await f.say("cherry cake");
      await f.say("apple cake");
      assert.deepEqual(contents((await f.search(f.alice, { q: "apple or banana -cake" })).body), [
        "apple pie",
        "banana bread",
      ]);
      assert.deepEqual(contents((await f.search(f.alice, { q: "cake -cherry" })).body), [
        "apple cake",
      ]);
    });

    it("finds text without spaces (CJK) by substring, wildcards taken literally", async () => {
      await f.say("我们明天部署新版本");
      await f.say("完成了100%的工作");
      await f.say("完成了1000的工作");
      await f.say("デプロイは明日です");
      assert.deepEqual(contents((await f.search(f.alice, { q: "部署" })).body), [
        "我们明天部署新版本",
      ]);
      assert.deepEqual(contents((await f.search(f.alice, { q: "100%的" })).body), [
        "完成了100%的工作",
      ]);
      assert.deepEqual(contents((await f.search(f.alice, { q: "デプロイ or 部署" })).body), [
        "デプロイは明日です",
        "我们明天部署新版本",
      ]);
    });

    it("marks matches in the highlight with \\u0002 and \\u0003, never HTML", async () => {
      await f.say("<b>Deployment</b> of 新版本 done");
      const res = await f.search(f.alice, { q: "deploy 新版" });
      assert.equal(
        res.body.data[0].highlight,
        "<b>\u0002Deployment\u0003</b> of \u0002新版\u0003本 done",
      );
    });

    it("filters by conversation, sender and time, and returns hydrated Messages", async () => {
      const other = await seedConversation(f.knex, { memberIds: [f.alice.id] });
      await f.say("filter alpha", f.alice);
      await f.say("filter beta", f.bob);
      await f.say("filter gamma", f.alice, other);
      const old = await seedMessage(f.knex, {
        conversationId: f.conversationId,
        senderId: f.alice.id,
        content: "filter old",
        createdAt: new Date("2020-01-01T00:00:00Z"),
      });
      const byConversation = await f.search(f.alice, { q: "filter", conversation_id: other });
      assert.deepEqual(contents(byConversation.body), ["filter gamma"]);
      const bySender = await f.search(f.alice, { q: "filter", sender_id: f.bob.id });
      assert.deepEqual(contents(bySender.body), ["filter beta"]);
      const before = await f.search(f.alice, { q: "filter", before: "2021-01-01T00:00:00Z" });
      assert.deepEqual(contents(before.body), ["filter old"]);
      const after = await f.search(f.alice, { q: "filter", after: "2021-01-01T00:00:00Z" });
      assert.equal(after.body.data.length, 3);
      const hit = before.body.data[0];
      assert.equal(hit.id, old);
      assert.equal(hit.conversation_id, f.conversationId);
      assert.equal(hit.sender_id, f.alice.id);
      assert.equal(typeof hit.seq, "number");
      assert.deepEqual(hit.attachments, []);
      assert.deepEqual(hit.reactions, []);
      assert.equal(hit.deleted_at, null);
    });

    it("searches only the caller's conversations; another's conversation_id is 404", async () => {
      const stranger = await registerUser(f.url, "carol");
      const theirs = await seedConversation(f.knex, { memberIds: [stranger.id] });
      await f.say("secret plans");
      await f.say("secret stranger plans", stranger, theirs);
      assert.deepEqual(contents((await f.search(f.alice, { q: "secret" })).body), ["secret plans"]);
      assert.deepEqual(contents((await f.search(stranger, { q: "secret" })).body), [
        "secret stranger plans",
      ]);
      const res = await f.search(f.alice, { q: "secret", conversation_id: theirs });
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, "not_found");
    });

    it("matches an edited message by its current text and never a deleted one", async () => {
      const edited = await f.say("original wording");
      const deleted = await f.say("original doomed");
      await seedEdit(f.knex, edited, "rewritten wording");
      await seedDelete(f.knex, deleted);
      assert.deepEqual(contents((await f.search(f.alice, { q: "original" })).body), []);
      assert.deepEqual(contents((await f.search(f.alice, { q: "rewritten" })).body), [
        "rewritten wording",
      ]);
      assert.deepEqual(contents((await f.search(f.alice, { q: "doomed" })).body), []);
    });

    it("ranks by relevance, then newest first", async () => {
      const once = await f.say("ranking once");
      const thrice = await f.say("ranking ranking ranking");
      const newer = await f.say("ranking once again");
      const ids = (await f.search(f.alice, { q: "ranking" })).body.data.map(
        (hit: { id: string }) => hit.id,
      );
      assert.equal(ids[0], thrice);
      assert.deepEqual(ids.slice(1).sort(), [once, newer].sort());
      const recencyOnly = (await f.search(f.alice, { q: "once" })).body.data.map(
        (hit: { id: string }) => hit.id,
      );
      assert.deepEqual(recencyOnly, [newer, once]);
    });

    it("pages with next_cursor, visiting every hit exactly once", async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 7; i += 1) ids.add(await f.say(`paging item ${"paging ".repeat(i % 3)}`));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string> = { q: "paging", limit: "3" };
        if (cursor) query.cursor = cursor;
        const res = await f.search(f.alice, query);
        assert.equal(res.status, 200);
        assert.ok(res.body.data.length <= 3);
        seen.push(...res.body.data.map((hit: { id: string }) => hit.id));
        cursor = res.body.next_cursor;
      } while (cursor);
      assert.equal(seen.length, 7);
      assert.deepEqual(new Set(seen), ids);
    });

    it("returns 400 validation_error for a missing, too long or excluded-only q and a bad cursor", async () => {
      for (const query of [
        {},
        { q: "" },
        { q: "x".repeat(257) },
        { q: "-only -excluded" },
        { q: "ok", cursor: "not-a-cursor" },
        { q: "ok", limit: "0" },
        { q: "ok", conversation_id: "nope" },
        { q: "ok", after: "yesterday" },
      ]) {
        const res = await f.search(f.alice, query as Record<string, string>);
        assert.equal(res.status, 400, JSON.stringify(query));
        assert.equal(res.body.error.code, "validation_error");
      }
    });

    it("treats tsquery and LIKE syntax in q as plain text", async () => {
      await f.say("weird a&b text");
      for (const q of ["a&b|!c:*", "'); drop table messages; --", "%", "_", "\\", "(((", ":*"]) {
        const res = await f.search(f.alice, { q });
        assert.equal(res.status, 200, q);
      }
      assert.deepEqual(contents((await f.search(f.alice, { q: "weird" })).body), [
        "weird a&b text",
      ]);
    });
  });
}

for (const backend of backends()) {
  describe(`GET /api/v1/search/conversations [${backend.name}]`, () => {
    let url: string;
    let knex: Knex;

    before(async function () {
      this.timeout(60_000);
      const started = await startTestApp(backend);
      url = started.url;
      knex = started.app.database.knex;
    });

    const search = (user: TestUser, query: Record<string, string>) =>
      user.api.get(`/api/v1/search/conversations?${new URLSearchParams(query)}`);
    const ids = (body: { data: { id: string }[] }) => body.data.map((c) => c.id).sort();

    it("finds the caller's conversations by name, description and the other member of a DM", async () => {
      const alice = await registerUser(url, "alice");
      const bob = await registerUser(url, "bob");
      const stranger = await registerUser(url, "carol");
      const named = await seedConversation(knex, {
        memberIds: [alice.id, bob.id],
        name: "Zebra Launch",
      });
      const described = await seedConversation(knex, {
        memberIds: [alice.id],
        name: "misc",
        description: "all about the zebra_launch plan",
      });
      const direct = await seedConversation(knex, {
        memberIds: [alice.id, bob.id],
        type: "direct",
      });
      await seedConversation(knex, { memberIds: [stranger.id], name: "Zebra Launch secret" });

      const byName = await search(alice, { q: "zebra" });
      assert.equal(byName.status, 200);
      assert.deepEqual(ids(byName.body), [named, described].sort());
      const hit = byName.body.data.find((c: { id: string }) => c.id === named);
      assert.equal(hit.name, "Zebra Launch");
      assert.equal(hit.type, "group");
      assert.deepEqual(
        hit.members.map((m: { user_id: string }) => m.user_id).sort(),
        [alice.id, bob.id].sort(),
      );
      assert.equal(typeof hit.unread_count, "number");

      // "_" is literal: "Zebra Launch" does not match.
      assert.deepEqual(ids((await search(alice, { q: "zebra_launch" })).body), [described]);
      assert.deepEqual(ids((await search(alice, { q: bob.username.slice(0, 8) })).body), [direct]);
      assert.deepEqual(ids((await search(stranger, { q: "zebra" })).body).length, 1);
    });

    it("pages with next_cursor and validates q", async () => {
      const alice = await registerUser(url, "alice");
      const created = [];
      for (let i = 0; i < 5; i += 1) {
        created.push(await seedConversation(knex, { memberIds: [alice.id], name: `Pager ${i}` }));
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string> = { q: "pager", limit: "2" };
        if (cursor) query.cursor = cursor;
        const res = await search(alice, query);
        seen.push(...res.body.data.map((c: { id: string }) => c.id));
        cursor = res.body.next_cursor;
      } while (cursor);
      assert.deepEqual(seen, [...created].reverse());
      for (const query of [{}, { q: "" }, { q: "x".repeat(257) }, { q: "x", cursor: "bad" }]) {
        const res = await search(alice, query as Record<string, string>);
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, "validation_error");
      }
    });
  });
}
