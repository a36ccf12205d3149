import assert from "node:assert/strict";
import type { Knex } from "knex";
import { backends } from "../support/backends";
import { TestUser, registerUser } from "../support/factories";
import { seedConversation, seedDelete, seedEdit, seedMessage } from "../support/seed";
import { startTestApp } from "../support/test-app";

const contents = (body: { data: { content: string }[] }) =>
  body.data.map((hit) => hit.content).sort();

for (const backend of backends()) {
  describe(`GET /api/v1/search/messages [${backend.name}]`, () => {
    let url: string;
    let knex: Knex;
    let alice: TestUser;
    let bob: TestUser;
    let conversationId: string;
    const search = (user: TestUser, query: Record<string, string>) =>
      user.api.get(`/api/v1/search/messages?${new URLSearchParams(query)}`);
    const say = (content: string, sender = alice, conversation = conversationId) =>
      seedMessage(knex, { conversationId: conversation, senderId: sender.id, content });

    before(async function () {
      this.timeout(60_000); // the first embedded database of the process starts here
      const started = await startTestApp(backend);
      url = started.url;
      knex = started.app.database.knex;
    });

    beforeEach(async () => {
      // One after the other: concurrent connections to embedded PGlite can interleave.
      alice = await registerUser(url, "alice");
      bob = await registerUser(url, "bob");
      conversationId = await seedConversation(knex, { memberIds: [alice.id, bob.id] });
    });

    it("finds longer words by prefix, case-insensitively", async () => {
      await say("Deployment finished");
      await say("we deployed it");
      await say("redeploy tomorrow");
      const res = await search(alice, { q: "DEPLOY" });
      assert.equal(res.status, 200);
      assert.deepEqual(contents(res.body), ["Deployment finished", "we deployed it"]);
      assert.equal(res.body.next_cursor, null);
    });

    it("matches a quoted phrase only with its words adjacent and in order", async () => {
      await say("the release notes are out");
      await say("notes about the release");
      const res = await search(alice, { q: '"release notes"' });
      assert.deepEqual(contents(res.body), ["the release notes are out"]);
    });

    it("excludes -word and combines terms with or", async () => {
      await say("apple pie");
      await say("banana bread");
      await say("cherry cake");
      await say("apple cake");
      assert.deepEqual(contents((await search(alice, { q: "apple or banana -cake" })).body), [
        "apple pie",
        "banana bread",
      ]);
      assert.deepEqual(contents((await search(alice, { q: "cake -cherry" })).body), ["apple cake"]);
    });

    it("finds text without spaces (CJK) by substring, wildcards taken literally", async () => {
      await say("我们明天部署新版本");
      await say("完成了100%的工作");
      await say("完成了1000的工作");
      await say("デプロイは明日です");
      assert.deepEqual(contents((await search(alice, { q: "部署" })).body), ["我们明天部署新版本"]);
      assert.deepEqual(contents((await search(alice, { q: "100%的" })).body), ["完成了100%的工作"]);
      assert.deepEqual(contents((await search(alice, { q: "デプロイ or 部署" })).body), [
        "デプロイは明日です",
        "我们明天部署新版本",
      ]);
    });

    it("marks matches in the highlight with \\u0002 and \\u0003, never HTML", async () => {
      await say("<b>Deployment</b> of 新版本 done");
      const res = await search(alice, { q: "deploy 新版" });
      assert.equal(
        res.body.data[0].highlight,
        "<b>\u0002Deployment\u0003</b> of \u0002新版\u0003本 done",
      );
    });

    it("filters by conversation, sender and time, and returns hydrated Messages", async () => {
      const other = await seedConversation(knex, { memberIds: [alice.id] });
      await say("filter alpha", alice);
      await say("filter beta", bob);
      await say("filter gamma", alice, other);
      const old = await seedMessage(knex, {
        conversationId,
        senderId: alice.id,
        content: "filter old",
        createdAt: new Date("2020-01-01T00:00:00Z"),
      });
      const byConversation = await search(alice, { q: "filter", conversation_id: other });
      assert.deepEqual(contents(byConversation.body), ["filter gamma"]);
      const bySender = await search(alice, { q: "filter", sender_id: bob.id });
      assert.deepEqual(contents(bySender.body), ["filter beta"]);
      const before = await search(alice, { q: "filter", before: "2021-01-01T00:00:00Z" });
      assert.deepEqual(contents(before.body), ["filter old"]);
      const after = await search(alice, { q: "filter", after: "2021-01-01T00:00:00Z" });
      assert.equal(after.body.data.length, 3);
      const hit = before.body.data[0];
      assert.equal(hit.id, old);
      assert.equal(hit.conversation_id, conversationId);
      assert.equal(hit.sender_id, alice.id);
      assert.equal(typeof hit.seq, "number");
      assert.deepEqual(hit.attachments, []);
      assert.deepEqual(hit.reactions, []);
      assert.equal(hit.deleted_at, null);
    });

    it("searches only the caller's conversations; another's conversation_id is 404", async () => {
      const stranger = await registerUser(url, "carol");
      const theirs = await seedConversation(knex, { memberIds: [stranger.id] });
      await say("secret plans");
      await say("secret stranger plans", stranger, theirs);
      assert.deepEqual(contents((await search(alice, { q: "secret" })).body), ["secret plans"]);
      assert.deepEqual(contents((await search(stranger, { q: "secret" })).body), [
        "secret stranger plans",
      ]);
      const res = await search(alice, { q: "secret", conversation_id: theirs });
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, "not_found");
    });

    it("matches an edited message by its current text and never a deleted one", async () => {
      const edited = await say("original wording");
      const deleted = await say("original doomed");
      await seedEdit(knex, edited, "rewritten wording");
      await seedDelete(knex, deleted);
      assert.deepEqual(contents((await search(alice, { q: "original" })).body), []);
      assert.deepEqual(contents((await search(alice, { q: "rewritten" })).body), [
        "rewritten wording",
      ]);
      assert.deepEqual(contents((await search(alice, { q: "doomed" })).body), []);
    });

    it("ranks by relevance, then newest first", async () => {
      const once = await say("ranking once");
      const thrice = await say("ranking ranking ranking");
      const newer = await say("ranking once again");
      const ids = (await search(alice, { q: "ranking" })).body.data.map(
        (hit: { id: string }) => hit.id,
      );
      assert.equal(ids[0], thrice);
      assert.deepEqual(ids.slice(1).sort(), [once, newer].sort());
      const recencyOnly = (await search(alice, { q: "once" })).body.data.map(
        (hit: { id: string }) => hit.id,
      );
      assert.deepEqual(recencyOnly, [newer, once]);
    });

    it("pages with next_cursor, visiting every hit exactly once", async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 7; i += 1) ids.add(await say(`paging item ${"paging ".repeat(i % 3)}`));
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string> = { q: "paging", limit: "3" };
        if (cursor) query.cursor = cursor;
        const res = await search(alice, query);
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
        const res = await search(alice, query as Record<string, string>);
        assert.equal(res.status, 400, JSON.stringify(query));
        assert.equal(res.body.error.code, "validation_error");
      }
    });

    it("treats tsquery and LIKE syntax in q as plain text", async () => {
      await say("weird a&b text");
      for (const q of ["a&b|!c:*", "'); drop table messages; --", "%", "_", "\\", "(((", ":*"]) {
        const res = await search(alice, { q });
        assert.equal(res.status, 200, q);
      }
      assert.deepEqual(contents((await search(alice, { q: "weird" })).body), ["weird a&b text"]);
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
