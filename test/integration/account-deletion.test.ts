import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import type { App } from "../../lib/app";
import { newId } from "../../lib/ids";
import { backends } from "../support/backends";
import { readStream, unpublishedCount, waitUntil } from "../support/event-helpers";
import { registerUser, TestUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { IntegrationApp, startIntegrationApp } from "../support/integration-fixtures";
import { openConversation, send } from "../support/message-fixtures";
import { closeAll, connectWs, nextEvent, RealtimeClient } from "../support/realtime-clients";
import { deleteStream } from "../support/service-cleanup";
import { schemaValidator } from "../support/frame-validator";
import { serverFrameName } from "../../sockets/protocol-schemas";

const PASSWORD = "correct horse battery";
const UPLOADS = path.resolve("./data/test-uploads");

/** Every row of every table of the app's database, as text (where user data could hide). */
async function everyRow(app: App): Promise<Map<string, string>> {
  const knex = app.database.knex;
  const tables = (await knex("information_schema.tables")
    .where({ table_schema: "public", table_type: "BASE TABLE" })
    .pluck("table_name")) as string[];
  const dump = new Map<string, string>();
  for (const table of tables) {
    const { rows } = await knex.raw(`SELECT t::text AS row FROM "${table}" t`);
    dump.set(table, rows.map((row: { row: string }) => row.row).join("\n"));
  }
  return dump;
}

/** Tables whose rows mention `needle`. */
async function tablesHolding(app: App, needle: string): Promise<string[]> {
  const dump = await everyRow(app);
  return [...dump].filter(([, text]) => text.includes(needle)).map(([table]) => table);
}

/** Stored files (local storage) whose bytes contain `needle`. */
function storedFilesHolding(needle: string): string[] {
  if (!fs.existsSync(UPLOADS)) return [];
  const found: string[] = [];
  for (const entry of fs.readdirSync(UPLOADS, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (fs.readFileSync(file).includes(needle)) found.push(file);
  }
  return found;
}

async function upload(user: TestUser, name: string, text: string): Promise<{ id: string }> {
  const form = new FormData();
  form.append("file", new Blob([text], { type: "text/plain" }), name);
  const res = await user.api.request("POST", "/api/v1/files", form);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

for (const backend of backends()) {
  describe(`account deletion [${backend.name}]`, function () {
    this.timeout(60_000);
    let started: IntegrationApp;
    let app: App;
    let stream: string | undefined;
    const clients: RealtimeClient[] = [];

    async function start(mode: "erase" | "keep"): Promise<void> {
      const suffix = newId().replace(/-/g, "").slice(-10);
      stream = backend.natsUrl ? `ERASE_${suffix}` : undefined;
      started = await startIntegrationApp(backend, {
        accounts: { deleted_messages: mode, job_poll_interval: "200ms", batch_size: 2 },
        ...(stream ? { nats: { stream, subject_prefix: `erase_${suffix}` } } : {}),
      });
      app = started.app;
    }

    afterEach(async () => {
      closeAll(clients);
      if (stream) await deleteStream(backend.natsUrl!, stream);
    });

    const published = () =>
      waitUntil(async () => (await unpublishedCount(app)) === 0, "the outbox is published");
    const erased = (user: TestUser) =>
      waitUntil(
        async () =>
          Boolean((await app.database.knex("users").where({ id: user.id }).first()).erased_at),
        "the erasure is done",
        30_000,
      );

    /** Alice leaves traces everywhere: messages, an edit, a file, a reaction, a report, a block. */
    async function aliceEverywhere(marker: string) {
      const [alice, bob, carol] = await Promise.all(
        ["alice", "bob", "carol"].map((name) => registerUser(started.url, name)),
      );
      const group = await openConversation([alice, bob, carol], { roles: { [carol.id]: "admin" } });
      const direct = await openConversation([alice, bob], { type: "direct" });
      const file = await upload(alice, `${marker}-notes.txt`, `bytes of ${marker}`);
      const first = await send(alice, group, {
        content: `${marker} first draft`,
        attachments: [file.id],
      });
      await alice.api.put(`/api/v1/messages/${first.id}`, {
        content: `${marker} said in the group`,
      });
      const more = await Promise.all(
        [1, 2, 3].map((n) => send(alice, direct, `${marker} direct ${n}`)),
      );
      const bobs = await send(bob, group, "bob speaks");
      await alice.api.post(`/api/v1/messages/${bobs.id}/reactions`, { emoji: "👍" });
      await alice.api.post(`/api/v1/messages/${bobs.id}/read`);
      await alice.api.post(`/api/v1/messages/${bobs.id}/report`, {
        reason: "spam",
        note: `${marker} note`,
      });
      await bob.api.post(`/api/v1/messages/${first.id}/report`, { reason: "other" });
      await alice.api.post("/api/v1/blocks", { user_id: carol.id });
      const exported = await alice.api.post("/api/v1/users/me/exports");
      await waitUntil(
        async () =>
          (await alice.api.get(`/api/v1/users/me/exports/${exported.body.id}`)).body.status ===
          "ready",
        "the export is ready",
      );
      return { alice, bob, carol, group, direct, first, more, file };
    }

    it("erases the account everywhere: every table, the files, the log and the stream", async () => {
      await start("erase");
      const marker = `zq${newId().replace(/-/g, "").slice(-12)}`;
      const { alice, bob, carol, group, direct, first, more } = await aliceEverywhere(marker);
      const bobWs = await connectWs(started.url, bob.token);
      clients.push(bobWs);
      await nextEvent(bobWs, "ready");
      const aliceWs = await connectWs(started.url, alice.token);
      clients.push(aliceWs);
      await published();
      assert.ok((await tablesHolding(app, marker)).length > 0, "the marker was stored");
      if (stream)
        assert.ok(
          JSON.stringify(
            (await readStream(backend.natsUrl!, stream, 10)).map((e) => e.body),
          ).includes(marker),
        );

      const refused = await alice.api.request("DELETE", "/api/v1/users/me", {
        password: "wrong one",
      });
      assert.equal(refused.status, 403);
      const deleted = await alice.api.request("DELETE", "/api/v1/users/me", { password: PASSWORD });
      assert.equal(deleted.status, 204);
      const gone = await nextEvent(aliceWs, "user.deleted");
      assert.equal(gone.data.user_id, alice.id);
      assert.deepEqual(schemaValidator()(serverFrameName(gone.type), gone), []);
      assert.equal((await aliceWs.closed).code, 1008);
      assert.equal((await alice.api.get("/api/v1/users/me")).status, 401);
      await erased(alice);
      await published();

      for (const message of [first, ...more]) {
        await nextEvent(bobWs, "message.deleted", (f) => f.data.id === message.id);
      }
      assert.deepEqual(await tablesHolding(app, marker), [], "the marker is gone from every table");
      assert.deepEqual(await tablesHolding(app, alice.username), [], "so is the username");
      assert.deepEqual(storedFilesHolding(marker), [], "and the uploaded bytes");
      if (stream) {
        const events = await readStream(backend.natsUrl!, stream, 1);
        assert.ok(events.length > 0);
        const text = JSON.stringify(events.map((event) => event.body));
        assert.ok(!text.includes(marker), "the stream holds none of the user's text");
        assert.ok(text.includes("user.deleted"));
      }

      const groupNow = await bob.api.get(`/api/v1/conversations/${group}`);
      const roles = Object.fromEntries(
        groupNow.body.members.map((m: { user_id: string; role: string }) => [m.user_id, m.role]),
      );
      assert.deepEqual(roles, { [bob.id]: "member", [carol.id]: "owner" }, "the admin inherits");
      const directNow = await bob.api.get(`/api/v1/conversations/${direct}/messages`);
      assert.ok(directNow.body.data.every((m: { content: unknown }) => m.content === null));
      const profile = await bob.api.get(`/api/v1/users/${alice.id}`);
      assert.equal(profile.body.display_name, "Deleted user");
      const login = await new ApiClient(started.url).post("/api/v1/auth/login", {
        username: alice.username,
        password: PASSWORD,
      });
      assert.equal(login.status, 401);
      const again = await bob.api.post("/api/v1/conversations", {
        type: "direct",
        member_ids: [alice.id],
      });
      assert.equal(again.status, 400, "a deleted user cannot be brought back into a conversation");
    });

    it("keeps the messages as 'Deleted user' with deleted_messages: keep, and drops the rest", async () => {
      await start("keep");
      const marker = `kp${newId().replace(/-/g, "").slice(-12)}`;
      const { alice, bob, group, first } = await aliceEverywhere(marker);
      await published();
      assert.equal(
        (await alice.api.request("DELETE", "/api/v1/users/me", { password: PASSWORD })).status,
        204,
      );
      await erased(alice);
      const kept = await bob.api.get(`/api/v1/messages/${first.id}`);
      assert.equal(kept.body.content, `${marker} said in the group`);
      assert.equal(kept.body.sender_id, alice.id);
      assert.deepEqual(kept.body.attachments, [], "the uploaded file is gone");
      assert.deepEqual(await tablesHolding(app, alice.username), [], "the profile is gone");
      assert.deepEqual(storedFilesHolding(marker), [], "and the uploaded bytes");
      const members = (await bob.api.get(`/api/v1/conversations/${group}`)).body.members;
      assert.ok(!members.some((m: { user_id: string }) => m.user_id === alice.id));
    });

    it("lets an admin delete a user (audited), never a bot or themselves", async () => {
      await start("erase");
      const bob = await registerUser(started.url, "bob");
      const admin = started.admin;
      assert.equal((await bob.api.delete(`/api/v1/admin/users/${admin.id}`)).status, 403);
      assert.equal((await admin.api.delete(`/api/v1/admin/users/${admin.id}`)).status, 403);
      assert.equal((await admin.api.delete(`/api/v1/admin/users/${bob.id}`)).status, 204);
      assert.equal(
        (await admin.api.delete(`/api/v1/admin/users/${bob.id}`)).status,
        204,
        "again: no-op",
      );
      assert.equal((await bob.api.get("/api/v1/users/me")).status, 401);
      const audit = await admin.api.get(`/api/v1/admin/audit-log?target_id=${bob.id}`);
      assert.deepEqual(
        audit.body.data.map((entry: { action: string }) => entry.action),
        ["user.delete"],
      );
      await erased(bob);
    });
  });
}
