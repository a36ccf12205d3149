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

    it("returns 401 without a token", async () => {
      const res = await new ApiClient(url).get("/api/v1/sync?since=p0");
      assert.equal(res.status, 401);
    });
  });
}
