import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { backends } from "../support/backends";
import { registerUsers, TestUser } from "../support/factories";
import { openConversation, seedFile, send } from "../support/message-fixtures";
import { closeAll, connectBoth, nextEvent, RealtimeClient } from "../support/realtime-clients";
import { startTestApp } from "../support/test-app";

/** Every frame a user's GET /sync returns after `since`, following next_cursor. */
async function syncAll(user: TestUser, since: string): Promise<any[]> {
  const frames: any[] = [];
  let cursor = since;
  for (;;) {
    const res = await user.api.get(`/api/v1/sync?since=${cursor}&limit=100`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    frames.push(...res.body.data);
    cursor = res.body.next_cursor;
    if (!res.body.has_more) return frames;
  }
}

/** Stored events whose payload still holds `text` anywhere. */
async function storedEventsHolding(app: App, text: string): Promise<number> {
  const [row] = await app.database
    .knex("outbox")
    .whereRaw("payload::text LIKE ?", [`%${text}%`])
    .count({ n: "*" });
  return Number(row.n);
}

const messageFrames = (frames: any[], id: string) =>
  frames.filter((f) => f.type.startsWith("message.") && f.data?.id === id);

for (const backend of backends()) {
  describe(`delete means gone: stored events [${backend.name}]`, () => {
    let app: App;
    let url: string;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let group: string;
    let start: string;
    const clients: RealtimeClient[] = [];
    afterEach(() => closeAll(clients));

    before(async () => {
      ({ app, url } = await startTestApp(backend));
    });

    beforeEach(async () => {
      [alice, bob, carol] = await registerUsers(url, ["alice", "bob", "carol"]);
      start = await app.services.sync.currentCursor();
      group = await openConversation([alice, bob, carol]);
    });

    it("an edit leaves the superseded text only in the edit history", async () => {
      const message = await send(alice, group, "first draft words");
      // A conversation event whose last_message shows the message.
      const renamed = await alice.api.put(`/api/v1/conversations/${group}`, { name: "renamed" });
      assert.equal(renamed.status, 200);
      const edited = await alice.api.put(`/api/v1/messages/${message.id}`, {
        content: "final wording",
      });
      assert.equal(edited.status, 200);

      const frames = await syncAll(bob, start);
      assert.ok(!JSON.stringify(frames).includes("first draft"), "superseded text replayed");
      const [created] = messageFrames(frames, message.id);
      assert.equal(created.type, "message.new");
      assert.equal(created.data.content, "final wording");
      assert.equal(created.data.edited_at, edited.body.edited_at);
      const update = frames.find((f) => f.type === "conversation.updated");
      assert.equal(update.data.last_message.content, "final wording");
      assert.equal(await storedEventsHolding(app, "first draft"), 0);

      const history = await bob.api.get(`/api/v1/messages/${message.id}/edits`);
      assert.deepEqual(
        history.body.data.map((edit: { content: string }) => edit.content),
        ["first draft words"],
      );
    });

    it("a delete turns every stored event of the message into a tombstone, for sync and resume", async () => {
      const fileId = await seedFile(app, alice.id);
      const file = await app.database.knex("files").where({ id: fileId }).first("filename");
      const message = await send(alice, group, {
        content: "secret plans",
        metadata: { topic: "secret topic" },
        attachments: [fileId],
      });
      await alice.api.put(`/api/v1/conversations/${group}`, { name: "renamed later" });
      await alice.api.put(`/api/v1/messages/${message.id}`, { content: "secret plans v2" });
      await bob.api.post(`/api/v1/messages/${message.id}/reactions`, { emoji: "👍" });
      // Carol leaves before the delete: she still replays what she was in the audience of.
      assert.equal(
        (await carol.api.delete(`/api/v1/conversations/${group}/members/${carol.id}`)).status,
        204,
      );
      assert.equal((await alice.api.delete(`/api/v1/messages/${message.id}`)).status, 204);

      for (const user of [bob, carol]) {
        const frames = await syncAll(user, start);
        const text = JSON.stringify(frames);
        for (const secret of ["secret plans", "secret topic", file.filename]) {
          assert.ok(!text.includes(secret), `${secret} replayed to ${user.username}`);
        }
        const carried = messageFrames(frames, message.id).filter(
          (f) => f.type !== "message.deleted",
        );
        assert.ok(carried.length >= 2, `${carried.length} frames carried the message`);
        for (const frame of carried) {
          assert.equal(frame.data.content, null);
          assert.deepEqual(frame.data.attachments, []);
          assert.deepEqual(frame.data.metadata, {});
          assert.deepEqual(frame.data.reactions, []);
          assert.equal(typeof frame.data.deleted_at, "string");
        }
      }
      for (const secret of ["secret plans", "secret topic", file.filename]) {
        assert.equal(await storedEventsHolding(app, secret), 0, secret);
      }

      const [io, ws] = await connectBoth(url, bob.token, clients, { since: start });
      for (const client of [io, ws]) {
        const replayed = await nextEvent(client, "message.new", (f) => f.data.id === message.id);
        assert.equal(replayed.data.content, null);
        await nextEvent(client, "message.deleted", (f) => f.data.id === message.id);
        assert.ok(!JSON.stringify(client.frames).includes("secret"));
      }
    });

    it("deleting a conversation leaves none of its messages or its name in the stored events", async () => {
      await alice.api.put(`/api/v1/conversations/${group}`, { name: "doomed name" });
      const message = await send(bob, group, "doomed words");
      assert.equal((await alice.api.delete(`/api/v1/conversations/${group}`)).status, 204);
      // conversation.deleted is numbered just after its commit: sync has it once numbered.
      await app.events.sequencer.flush();
      const frames = await syncAll(bob, start);
      assert.ok(!JSON.stringify(frames).includes("doomed"));
      assert.equal(messageFrames(frames, message.id)[0].data.content, null);
      assert.equal(frames.at(-1).type, "conversation.deleted");
      assert.equal(await storedEventsHolding(app, "doomed"), 0);
    });
  });
}
