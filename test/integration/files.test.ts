import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { Knex } from "knex";
import { backends } from "../support/backends";
import { TestUser, registerUser } from "../support/factories";
import { startS3Server } from "../support/s3-server";
import { seedConversation, seedDelete, seedMessage } from "../support/seed";
import { startTestApp, stopTestApp } from "../support/test-app";

const form = (bytes: Uint8Array | string, filename: string, field = "file") => {
  const body = new FormData();
  body.append(field, new Blob([typeof bytes === "string" ? Buffer.from(bytes) : bytes]), filename);
  return body;
};
/** Polls a server-side effect that no client event announces (cleanup after an abort). */
async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const sha256 = (bytes: Uint8Array | string) =>
  crypto.createHash("sha256").update(bytes).digest("hex");
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

for (const backend of backends()) {
  describe(`files [${backend.name}]`, () => {
    let url: string;
    let knex: Knex;
    let storageDir: string;
    let alice: TestUser;
    let bob: TestUser;
    const upload = (user: TestUser, bytes: Uint8Array | string, name = "notes.txt") =>
      user.api.post("/api/v1/files", form(bytes, name));
    const leftovers = async () =>
      (await fs.readdir(path.join(storageDir, ".incoming")).catch(() => [])).length;

    before(async function () {
      this.timeout(60_000); // the first embedded database of the process starts here
      storageDir = await fs.mkdtemp(path.join(os.tmpdir(), "files-test-"));
      const started = await startTestApp(backend, {
        storage: { path: storageDir, max_file_size: 64 * 1024 },
      });
      url = started.url;
      knex = started.app.database.knex;
    });
    after(() => fs.rm(storageDir, { recursive: true, force: true }));

    beforeEach(async () => {
      // One after the other: concurrent connections to embedded PGlite can interleave.
      alice = await registerUser(url, "alice");
      bob = await registerUser(url, "bob");
    });

    describe("POST /api/v1/files", () => {
      it("stores the file and returns it with its sha256, sniffed type and size", async () => {
        const res = await upload(alice, "hello world\n", "résumé notes.txt");
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.filename, "résumé notes.txt");
        assert.equal(res.body.content_type, "text/plain");
        assert.equal(res.body.size, 12);
        assert.equal(res.body.sha256, sha256("hello world\n"));
        assert.equal(res.body.uploader_id, alice.id);
        assert.equal(res.body.url, `/api/v1/files/${res.body.id}`);
        const row = await knex("files").where({ id: res.body.id }).first();
        assert.equal(row.storage_key, res.body.id);
        assert.equal(await leftovers(), 0);
      });

      it("sniffs the type from the bytes, not the name", async () => {
        const png = await upload(alice, PNG, "picture.txt");
        assert.equal(png.body.content_type, "image/png");
        const binary = await upload(alice, Buffer.from([0, 1, 2, 255, 254]), "data.png");
        assert.equal(binary.body.content_type, "application/octet-stream");
        const markup = await upload(alice, "see <script>alert(1)</script> here", "x.txt");
        assert.equal(markup.body.content_type, "application/octet-stream");
      });

      it("returns 415 for HTML, SVG, scripts and executables, keeping nothing", async () => {
        const refused: [string | Uint8Array, string][] = [
          ["<!DOCTYPE html><html><body>hi</body></html>", "page.txt"],
          ["\ufeff  <html><script>alert(1)</script></html>", "page.dat"],
          ['<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>', "a.png"],
          ['<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "b"],
          ["<script>alert(1)</script>", "c"],
          ["console.log('hi')", "app.js"],
          ["#!/bin/sh\nrm -rf /\n", "run"],
          [Buffer.concat([Buffer.from("7f454c46020101", "hex"), Buffer.alloc(64)]), "a.out"],
          [Buffer.concat([Buffer.from("MZ"), Buffer.alloc(256)]), "setup.bin"],
        ];
        for (const [bytes, name] of refused) {
          const res = await upload(alice, bytes, name);
          assert.equal(res.status, 415, `${name}: ${JSON.stringify(res.body)}`);
          assert.equal(res.body.error.code, "unsupported_media_type");
        }
        assert.equal((await knex("files").where({ uploader_id: alice.id })).length, 0);
        assert.equal(await leftovers(), 0);
      });

      it("returns 413 payload_too_large above max_file_size, keeping nothing", async () => {
        const res = await upload(alice, crypto.randomBytes(64 * 1024 + 1), "big.bin");
        assert.equal(res.status, 413);
        assert.equal(res.body.error.code, "payload_too_large");
        const exact = await upload(alice, crypto.randomBytes(64 * 1024), "fits.bin");
        assert.equal(exact.status, 201);
        assert.equal((await knex("files").where({ uploader_id: alice.id })).length, 1);
        assert.equal(await leftovers(), 0);
      });

      it("returns 400 validation_error without a file, for another field or two files", async () => {
        const none = await alice.api.post("/api/v1/files", new FormData());
        const other = await alice.api.post("/api/v1/files", form("x", "a.txt", "upload"));
        const two = form("x", "a.txt");
        two.append("file", new Blob([Buffer.from("y")]), "b.txt");
        const json = await alice.api.post("/api/v1/files", { file: "x" });
        for (const res of [none, other, await alice.api.post("/api/v1/files", two), json]) {
          assert.equal(res.status, 400, JSON.stringify(res.body));
          assert.equal(res.body.error.code, "validation_error");
        }
        assert.equal(await leftovers(), 0);
      });

      it("leaves no temporary or stored file when the client aborts mid-upload", async () => {
        const boundary = "----abort-test";
        const request = http.request(`${url}/api/v1/files`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${alice.token}`,
            "content-type": `multipart/form-data; boundary=${boundary}`,
            "content-length": String(60_000),
          },
        });
        request.on("error", () => undefined);
        request.write(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n` +
            "Content-Type: application/octet-stream\r\n\r\n",
        );
        request.write(crypto.randomBytes(20_000));
        // The server has the file open once the first bytes arrived; then the client vanishes.
        await waitUntil(async () => (await leftovers()) === 1);
        request.destroy();
        await waitUntil(async () => (await leftovers()) === 0);
        assert.equal((await knex("files").where({ uploader_id: alice.id })).length, 0);
      });

      it("requires a token", async () => {
        const res = await alice.api.withToken("nope").post("/api/v1/files", form("x", "a.txt"));
        assert.equal(res.status, 401);
      });
    });

    describe("GET /api/v1/files/:id", () => {
      it("returns the bytes as an attachment with nosniff and the stored type", async () => {
        const bytes = crypto.randomBytes(10_000);
        const { body: file } = await upload(alice, bytes, 'weird "name"; ünï.bin');
        const res = await fetch(`${url}/api/v1/files/${file.id}`, {
          headers: { authorization: `Bearer ${alice.token}` },
        });
        assert.equal(res.status, 200);
        assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
        assert.equal(res.headers.get("content-type"), "application/octet-stream");
        assert.equal(res.headers.get("x-content-type-options"), "nosniff");
        assert.equal(res.headers.get("content-length"), "10000");
        const disposition = res.headers.get("content-disposition") ?? "";
        assert.match(disposition, /^attachment; /);
        assert.ok(
          disposition.endsWith(
            `filename*=UTF-8''${encodeURIComponent(file.filename).replace(/'/g, "%27")}`,
          ),
          disposition,
        );
        assert.ok(!/[^\x20-\x7e]/.test(disposition));
      });

      it("is readable by members of a conversation whose message attaches it, until it is deleted", async () => {
        const carol = await registerUser(url, "carol");
        const { body: file } = await upload(alice, "shared notes", "shared.txt");
        assert.equal((await bob.api.get(`/api/v1/files/${file.id}`)).status, 404);
        const conversationId = await seedConversation(knex, { memberIds: [alice.id, bob.id] });
        const messageId = await seedMessage(knex, {
          conversationId,
          senderId: alice.id,
          content: "see attached",
          fileIds: [file.id],
        });
        const asMember = await bob.api.get(`/api/v1/files/${file.id}`);
        assert.equal(asMember.status, 200);
        assert.equal(asMember.body, "shared notes");
        assert.equal(asMember.headers.get("content-type"), "text/plain; charset=utf-8");
        const stranger = await carol.api.get(`/api/v1/files/${file.id}`);
        assert.equal(stranger.status, 404);
        assert.equal(stranger.body.error.code, "not_found");
        await seedDelete(knex, messageId);
        assert.equal((await bob.api.get(`/api/v1/files/${file.id}`)).status, 404);
        assert.equal((await alice.api.get(`/api/v1/files/${file.id}`)).status, 200);
      });

      it("returns 404 for an unknown id and 400 for a malformed one", async () => {
        const unknown = await alice.api.get(`/api/v1/files/${crypto.randomUUID()}`);
        assert.equal(unknown.status, 404);
        const malformed = await alice.api.get("/api/v1/files/not-a-uuid");
        assert.equal(malformed.status, 400);
        assert.equal(malformed.body.error.code, "validation_error");
      });
    });

    describe("DELETE /api/v1/files/:id", () => {
      it("lets only the uploader delete; others get 404", async () => {
        const { body: file } = await upload(alice, "to delete", "d.txt");
        const conversationId = await seedConversation(knex, { memberIds: [alice.id, bob.id] });
        await seedMessage(knex, {
          conversationId,
          senderId: alice.id,
          content: "x",
          fileIds: [file.id],
        });
        const byOther = await bob.api.delete(`/api/v1/files/${file.id}`);
        assert.equal(byOther.status, 404);
        assert.equal(byOther.body.error.code, "not_found");
        assert.equal((await alice.api.delete(`/api/v1/files/${file.id}`)).status, 204);
        assert.equal((await alice.api.get(`/api/v1/files/${file.id}`)).status, 404);
        assert.equal((await alice.api.delete(`/api/v1/files/${file.id}`)).status, 404);
        assert.equal(await knex("files").where({ id: file.id }).first(), undefined);
        const shard = await fs.readdir(path.join(storageDir, file.id.slice(-2)));
        assert.equal(shard.includes(file.id), false);
      });
    });
  });
}

describe("files on S3-compatible storage", () => {
  it("uploads, downloads and deletes through an S3 server", async () => {
    const server = await startS3Server();
    const storageDir = await fs.mkdtemp(path.join(os.tmpdir(), "files-s3-"));
    try {
      const { app, url } = await startTestApp(backends()[0], {
        storage: { type: "s3", path: storageDir, s3: server.s3Config("uploads") },
      });
      const alice = await registerUser(url, "alice");
      const bytes = crypto.randomBytes(5000);
      const res = await alice.api.post("/api/v1/files", form(bytes, "blob.bin"));
      assert.equal(res.status, 201);
      assert.equal(res.body.sha256, sha256(bytes));
      const download = await fetch(`${url}/api/v1/files/${res.body.id}`, {
        headers: { authorization: `Bearer ${alice.token}` },
      });
      assert.deepEqual(Buffer.from(await download.arrayBuffer()), bytes);
      assert.equal((await alice.api.delete(`/api/v1/files/${res.body.id}`)).status, 204);
      assert.equal((await alice.api.get(`/api/v1/files/${res.body.id}`)).status, 404);
      await stopTestApp(app);
    } finally {
      await server.stop();
      await fs.rm(storageDir, { recursive: true, force: true });
    }
  });
});
