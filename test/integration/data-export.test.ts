import assert from "node:assert/strict";
import yauzl from "yauzl";
import { backends } from "../support/backends";
import { waitUntil } from "../support/event-helpers";
import { registerUser, TestUser } from "../support/factories";
import { openConversation, send } from "../support/message-fixtures";
import { startTestApp } from "../support/test-app";

/** Every entry of a zip, by name, as text. */
async function unzip(bytes: Buffer): Promise<Map<string, string>> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const entries = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", () => resolve());
    zip.on("entry", (entry: yauzl.Entry) => {
      void zip.openReadStreamPromise(entry).then(async (stream) => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        entries.set(entry.fileName, Buffer.concat(chunks).toString("utf8"));
        zip.readEntry();
      }, reject);
    });
    zip.readEntry();
  });
  return entries;
}

for (const backend of backends()) {
  describe(`data export [${backend.name}]`, () => {
    let url: string;
    let alice: TestUser;
    let bob: TestUser;

    beforeEach(async () => {
      ({ url } = await startTestApp(backend, {
        accounts: { job_poll_interval: "200ms", batch_size: 2, export_expiry: "1h" },
      }));
      [alice, bob] = await Promise.all([registerUser(url, "alice"), registerUser(url, "bob")]);
    });

    async function ready(user: TestUser, id: string) {
      await waitUntil(
        async () => (await user.api.get(`/api/v1/users/me/exports/${id}`)).body.status === "ready",
        "the export is ready",
      );
      return (await user.api.get(`/api/v1/users/me/exports/${id}`)).body;
    }

    it("builds an archive of the profile, messages, reactions and files behind a link that expires", async () => {
      const group = await openConversation([alice, bob]);
      const form = new FormData();
      form.append("file", new Blob(["my own bytes"], { type: "text/plain" }), "mine.txt");
      const file = (await alice.api.request("POST", "/api/v1/files", form)).body;
      for (const n of [1, 2, 3]) await send(alice, group, `mine ${n}`);
      await send(alice, group, { content: "with a file", attachments: [file.id] });
      const bobs = await send(bob, group, "not mine");
      await alice.api.post(`/api/v1/messages/${bobs.id}/reactions`, { emoji: "🎉" });

      const requested = await alice.api.post("/api/v1/users/me/exports");
      assert.equal(requested.status, 202);
      assert.equal(requested.body.status, "pending");
      assert.equal(requested.body.download_url, null);
      const again = await alice.api.post("/api/v1/users/me/exports");
      assert.equal(again.body.id, requested.body.id, "one export at a time");
      assert.equal(
        (await bob.api.get(`/api/v1/users/me/exports/${requested.body.id}`)).status,
        404,
      );

      const done = await ready(alice, requested.body.id);
      assert.ok(done.size > 0);
      assert.ok(Date.parse(done.expires_at) > Date.now());
      const download = await fetch(url + done.download_url);
      assert.equal(download.status, 200);
      assert.equal(download.headers.get("content-type"), "application/zip");
      assert.match(download.headers.get("content-disposition") ?? "", /attachment/);
      const entries = await unzip(Buffer.from(await download.arrayBuffer()));

      assert.equal(JSON.parse(entries.get("profile.json")!).username, alice.username);
      const messages = entries
        .get("messages.jsonl")!
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line));
      assert.deepEqual(
        messages.map((m) => m.content),
        ["mine 1", "mine 2", "mine 3", "with a file"],
      );
      assert.deepEqual(messages[3].attachments, [file.id]);
      assert.deepEqual(
        JSON.parse(entries.get("reactions.json")!).map((r: { emoji: string }) => r.emoji),
        ["🎉"],
      );
      assert.equal(entries.get(`files/${file.id}-mine.txt`), "my own bytes");
      assert.ok(!entries.get("messages.jsonl")!.includes("not mine"), "only the user's own");

      const tampered = done.download_url.replace(/signature=[^&]+/, "signature=AAAA");
      assert.equal((await fetch(url + tampered)).status, 404);
      const later = done.download_url.replace(
        /expires=\d+/,
        `expires=${Math.floor(Date.now() / 1000) + 7200}`,
      );
      assert.equal((await fetch(url + later)).status, 404, "the expiry is signed");
    });

    it("refuses the link once the export has expired", async () => {
      const expiring = await startTestApp(backend, {
        accounts: { job_poll_interval: "200ms", export_expiry: "1s" },
      });
      const carol = await registerUser(expiring.url, "carol");
      const requested = await carol.api.post("/api/v1/users/me/exports");
      const done = await ready(carol, requested.body.id);
      await waitUntil(
        async () =>
          (await carol.api.get(`/api/v1/users/me/exports/${requested.body.id}`)).body.status ===
          "expired",
        "the export expires",
      );
      assert.equal((await fetch(expiring.url + done.download_url)).status, 404);
      const purged = await expiring.app.maintenance.retention.run();
      assert.equal(purged.exports, 1);
      assert.equal(
        (await carol.api.get(`/api/v1/users/me/exports/${requested.body.id}`)).status,
        404,
      );
    });
  });
}
