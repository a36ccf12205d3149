import assert from "node:assert/strict";
import { v7 as uuidv7 } from "uuid";
import type { App } from "../../lib/app";
import { backends } from "../support/backends";
import { registerUser, TestUser } from "../support/factories";
import { openConversation, send } from "../support/message-fixtures";
import { waitUntil } from "../support/event-helpers";
import { startTestApp } from "../support/test-app";

const DAY = 86_400_000;

/** A message stored `daysAgo` days ago (id and time), the way a send then would have. */
async function oldMessage(
  app: App,
  conversationId: string,
  senderId: string,
  daysAgo: number,
): Promise<{ id: string; seq: number }> {
  const at = Date.now() - daysAgo * DAY;
  return app.database.knex.transaction(async (trx) => {
    const [{ last_seq: seq }] = await trx("conversations")
      .where({ id: conversationId })
      .update({ last_seq: trx.raw("last_seq + 1") })
      .returning("last_seq");
    const id = uuidv7({ msecs: at });
    await trx("messages").insert({
      id,
      conversation_id: conversationId,
      sender_id: senderId,
      seq,
      content: `old message ${seq}`,
      created_at: new Date(at),
    });
    return { id, seq: Number(seq) };
  });
}

async function upload(user: TestUser): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob(["attached bytes"], { type: "text/plain" }), "old.txt");
  return (await user.api.request("POST", "/api/v1/files", form)).body.id;
}

for (const backend of backends()) {
  describe(`retention [${backend.name}]`, () => {
    let app: App;
    let url: string;
    let alice: TestUser;
    let bob: TestUser;

    beforeEach(async () => {
      ({ app, url } = await startTestApp(backend, {
        retention: { messages: "30d", batch_size: 2, batch_pause: 1 },
      }));
      [alice, bob] = await Promise.all([registerUser(url, "alice"), registerUser(url, "bob")]);
    });

    const exists = async (table: string, id: string) =>
      Boolean(await app.database.knex(table).where({ id }).first());

    it("purges messages older than the global period in batches, with their files, keeping newer ones", async () => {
      const group = await openConversation([alice, bob]);
      const old = [];
      for (let i = 0; i < 5; i += 1) old.push(await oldMessage(app, group, alice.id, 40));
      const fileId = await upload(alice);
      await app.database
        .knex("message_attachments")
        .insert({ message_id: old[0].id, file_id: fileId });
      const parent = await oldMessage(app, group, bob.id, 40);
      const reply = await send(alice, group, { content: "a fresh reply", parent_id: parent.id });
      const fresh = await send(bob, group, "a fresh message");
      const unsent = await upload(bob);
      await app.database
        .knex("files")
        .where({ id: unsent })
        .update({ created_at: new Date(Date.now() - 40 * DAY) });

      const purged = await app.maintenance.retention.run();
      assert.equal(purged.messages, 5);
      assert.equal(purged.files, 1, "the file only a purged message attached");
      for (const message of old) assert.equal(await exists("messages", message.id), false);
      assert.equal(await exists("files", fileId), false);
      assert.equal(await exists("files", unsent), true, "an upload's own id is new: kept");
      const parentNow = await app.database.knex("messages").where({ id: parent.id }).first();
      assert.equal(parentNow.content, null, "a parent with live replies stays as a tombstone");
      assert.ok(parentNow.deleted_at);
      assert.equal(await exists("messages", reply.id), true);
      assert.equal(await exists("messages", fresh.id), true);
      const history = await alice.api.get(`/api/v1/conversations/${group}/messages`);
      assert.deepEqual(
        history.body.data.map((m: { id: string }) => m.id),
        [fresh.id, reply.id, parent.id],
      );
      const metrics = await (await fetch(`${url}/metrics`)).text();
      assert.match(metrics, /messaging_retention_purged_total\{kind="messages"\} 5/);
      assert.equal((await app.maintenance.retention.run()).messages, 0, "nothing twice");
    });

    it("counts the event log's own pruning as purged events", async () => {
      const pruning = await startTestApp(backend, { events: { retention: "1s" } });
      const carol = await registerUser(pruning.url, "carol");
      await send(carol, await openConversation([carol]), "soon pruned");
      const purgedEvents = async () => {
        const metrics = await (await fetch(`${pruning.url}/metrics`)).text();
        return Number(/messaging_retention_purged_total\{kind="events"\} (\d+)/.exec(metrics)?.[1]);
      };
      // The pruner runs on its own every second; events go once a second old.
      await waitUntil(async () => (await purgedEvents()) >= 2, "the log's events are counted");
      assert.equal((await pruning.app.events.log.prunedThrough()) > 0, true);
    });

    it("applies a conversation's own shorter period, set by its owner, and rewrites its events", async () => {
      const group = await openConversation([alice, bob]);
      const other = await openConversation([alice, bob]);
      const path = `/api/v1/conversations/${group}/retention`;
      assert.deepEqual((await bob.api.get(path)).body, {
        conversation_id: group,
        retention_days: null,
        effective_days: 30,
      });
      assert.equal((await bob.api.put(path, { retention_days: 1 })).status, 403);
      assert.equal((await alice.api.put(path, { retention_days: 0 })).status, 400);
      const carol = await registerUser(url, "carol");
      assert.equal((await carol.api.get(path)).status, 404);
      const set = await alice.api.put(path, { retention_days: 1 });
      assert.equal(set.status, 200);
      assert.equal(set.body.effective_days, 1);

      const expired = await send(alice, group, "yesterday's secret");
      const kept = await send(alice, group, "today's news");
      const elsewhere = await send(alice, other, "older but elsewhere");
      await app.database
        .knex("messages")
        .whereIn("id", [expired.id, elsewhere.id])
        .update({ created_at: new Date(Date.now() - 2 * DAY) });

      const purged = await app.maintenance.retention.run();
      assert.equal(purged.messages, 1);
      assert.equal(await exists("messages", expired.id), false);
      assert.equal(await exists("messages", kept.id), true);
      assert.equal(await exists("messages", elsewhere.id), true, "the global 30 days apply there");
      const events = await app.database
        .knex("outbox")
        .where({ type: "message.new" })
        .whereRaw("payload #>> '{data,id}' = ?", [expired.id]);
      assert.equal(events.length, 1);
      assert.equal(events[0].payload.data.content, null, "the log keeps no purged text");
    });
  });
}
