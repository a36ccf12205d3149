import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { decodeEventCursor } from "../../lib/events/event-types";
import { backends } from "../support/backends";
import { commitEvents, messageDraft } from "../support/event-helpers";
import { registerUser, TestUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { startTestApp } from "../support/test-app";

for (const backend of backends()) {
  describe(`GET /api/v1/sync [${backend.name}]`, () => {
    let app: App;
    let url: string;
    let alice: TestUser;
    let bob: TestUser;

    before(async () => {
      ({ app, url } = await startTestApp(backend));
    });

    beforeEach(async () => {
      alice = await registerUser(url, "alice");
      bob = await registerUser(url, "bob");
    });

    const sync = (user: TestUser, query: string) => user.api.get(`/api/v1/sync?${query}`);

    it("returns the caller's events after the cursor, oldest first, in pages", async () => {
      const start = await app.services.sync.currentCursor();
      const drafts = Array.from({ length: 5 }, () => messageDraft([alice.id, bob.id]));
      for (const draft of drafts) await commitEvents(app, [draft]);
      await app.events.sequencer.flush();

      const seen: Record<string, unknown>[] = [];
      let cursor = start;
      for (let page = 0; page < 3; page += 1) {
        const res = await sync(alice, `since=${cursor}&limit=2`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        seen.push(...res.body.data);
        assert.equal(res.body.has_more, page < 2);
        cursor = res.body.next_cursor;
      }
      assert.deepEqual(
        seen.map((frame) => (frame.data as { id: string }).id),
        drafts.map((draft) => (draft.frame.data as { id: string }).id),
      );
      const first = seen[0];
      assert.equal(first.type, "message.new");
      assert.equal(typeof first.cursor, "string");
      const positions = seen.map((frame) => decodeEventCursor(frame.cursor as string)!);
      assert.deepEqual(
        positions,
        [...positions].sort((a, b) => a - b),
      );
      assert.equal(cursor, seen.at(-1)!.cursor);

      const after = await sync(alice, `since=${cursor}`);
      assert.equal(after.status, 200);
      assert.deepEqual(after.body.data, []);
      assert.equal(after.body.has_more, false);
      assert.ok(decodeEventCursor(after.body.next_cursor)! >= positions.at(-1)!);
    });

    it("never shows events of conversations the caller was not in", async () => {
      const start = await app.services.sync.currentCursor();
      const theirs = messageDraft([bob.id]);
      const shared = messageDraft([alice.id, bob.id]);
      await commitEvents(app, [theirs, shared]);
      await app.events.sequencer.flush();

      const forAlice = await sync(alice, `since=${start}`);
      assert.deepEqual(
        forAlice.body.data.map((frame: { data: { id: string } }) => frame.data.id),
        [(shared.frame.data as { id: string }).id],
      );
      const forBob = await sync(bob, `since=${start}`);
      assert.equal(forBob.body.data.length, 2);
    });

    it("moves an idle caller's cursor to the head so later pages stay short", async () => {
      const start = await app.services.sync.currentCursor();
      await commitEvents(app, [messageDraft([bob.id])]);
      await app.events.sequencer.flush();
      const res = await sync(alice, `since=${start}`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data, []);
      assert.equal(res.body.next_cursor, await app.services.sync.currentCursor());
    });

    it("returns 400 validation_error for a missing or malformed cursor or limit", async () => {
      for (const query of [
        "",
        "since=nonsense",
        "since=p!",
        "since=p1&limit=0",
        "since=p1&limit=x",
      ]) {
        const res = await sync(alice, query);
        assert.equal(res.status, 400, query);
        assert.equal(res.body.error.code, "validation_error", query);
      }
    });

    it("returns 410 resync_required for a cursor this log never issued", async () => {
      const res = await sync(alice, "since=pzzzzzzzz");
      assert.equal(res.status, 410);
      assert.equal(res.body.error.code, "resync_required");
    });

    it("counts sync requests, replayed events and the outbox backlog in /metrics", async () => {
      const start = await app.services.sync.currentCursor();
      await commitEvents(app, [messageDraft([alice.id])]);
      await app.events.sequencer.flush();
      await sync(alice, `since=${start}`);
      await sync(alice, "since=bad");
      const res = await new ApiClient(url).get("/metrics");
      assert.equal(res.status, 200);
      const text = res.body as string;
      assert.match(text, /messaging_sync_requests_total\{outcome="ok"\} [1-9]/);
      assert.match(text, /messaging_sync_requests_total\{outcome="invalid"\} [1-9]/);
      assert.match(text, /messaging_replayed_events_total\{via="sync"\} [1-9]/);
      assert.match(text, /^messaging_outbox_backlog \d+$/m);
      assert.match(text, /^messaging_outbox_oldest_unpublished_age_seconds [\d.e+-]+$/m);
      assert.match(text, /^messaging_event_publish_failures_total \d+$/m);
    });

    it("replays conversation changes to the members of the time only", async () => {
      const carol = await registerUser(url, "carol");
      const starts = await app.services.sync.currentCursor();
      const created = await alice.api.post("/api/v1/conversations", {
        type: "group",
        member_ids: [bob.id],
        name: "before carol",
      });
      assert.equal(created.status, 201);
      const id = created.body.id;
      assert.equal(
        (await alice.api.delete(`/api/v1/conversations/${id}/members/${bob.id}`)).status,
        204,
      );
      const added = await alice.api.post(`/api/v1/conversations/${id}/members`, {
        user_id: carol.id,
      });
      assert.equal(added.status, 201);
      assert.equal(
        (await alice.api.put(`/api/v1/conversations/${id}`, { name: "with carol" })).status,
        200,
      );
      await app.events.sequencer.flush();

      const typesFor = async (user: TestUser) => {
        const res = await sync(user, `since=${starts}&limit=100`);
        assert.equal(res.status, 200);
        return res.body.data
          .filter((frame: Record<string, any>) =>
            [frame.data?.id, frame.data?.conversation_id].includes(id),
          )
          .map((frame: { type: string }) => frame.type);
      };
      const aliceTypes = await typesFor(alice);
      assert.equal(aliceTypes[0], "conversation.created");
      assert.equal(aliceTypes.at(-1), "conversation.updated");
      const bobTypes = await typesFor(bob);
      assert.equal(bobTypes[0], "conversation.created");
      assert.ok(bobTypes.includes("member.removed"));
      assert.ok(!bobTypes.includes("conversation.updated"), "nothing after bob left");
      const carolTypes = await typesFor(carol);
      assert.ok(!carolTypes.includes("conversation.created"), "nothing before carol joined");
      assert.ok(carolTypes.includes("conversation.updated"));
    });

    it("returns 401 without a token", async () => {
      const res = await new ApiClient(url).get("/api/v1/sync?since=p0");
      assert.equal(res.status, 401);
    });
  });
}
