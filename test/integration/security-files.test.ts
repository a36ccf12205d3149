import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { App } from "../../lib/app";
import {
  assertServing,
  assertStoreUnchanged,
  filesBelow,
  StoredScope,
  storedState,
} from "../support/attack-checks";
import { backends } from "../support/backends";
import { registerUser, TestUser } from "../support/factories";
import { startTestApp, stopTestApp } from "../support/test-app";

const BOUNDARY = "----attack";
const MAX_FILE_SIZE = 64 * 1024;

/** One multipart part (a file when `filename` is given). */
const part = (disposition: string, content = "hello", type = "text/plain") =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; ${disposition}\r\nContent-Type: ${type}\r\n\r\n${content}\r\n`;
const filePart = (content = "hello") => part('name="file"; filename="a.txt"', content);
const end = `--${BOUNDARY}--\r\n`;

/** Bodies a hostile client may send to POST /files, each refused with 400 (or 413). */
const MALFORMED: Record<string, { body: string; boundary?: string }> = {
  "a truncated body (no closing boundary)": { body: filePart() },
  "a boundary cut in the middle": { body: `${filePart()}--${BOUNDARY.slice(0, 5)}` },
  "an empty body": { body: "" },
  "garbage instead of parts": { body: "this is not multipart at all" },
  "a boundary other than the announced one": {
    body: filePart() + end,
    boundary: "something-else",
  },
  "a part with an empty field name": { body: part('name=""; filename="a.txt"') + end },
  "a part without a name": { body: part('filename="a.txt"') + end },
  "a part without headers": { body: `--${BOUNDARY}\r\n\r\nhello\r\n${end}` },
  "1,000 parts": {
    body:
      Array.from({ length: 1000 }, (_, i) => part(`name="f${i}"`, "v")).join("") + filePart() + end,
  },
  "1,000 file parts": { body: Array.from({ length: 1000 }, () => filePart()).join("") + end },
  "the file in a field other than file": {
    body: part('name="upload"; filename="a.txt"') + end,
  },
  "no file part at all": { body: part('name="note"', "text") + end },
  "a file over storage.max_file_size": { body: filePart("x".repeat(MAX_FILE_SIZE + 1)) + end },
};

for (const backend of backends()) {
  describe(`security: uploads and downloads [${backend.name}]`, () => {
    let app: App;
    let url: string;
    let storageDir: string;
    let alice: TestUser;
    let mallory: TestUser;
    let scope: StoredScope;
    let existing: string;

    const upload = (user: TestUser, name: string, bytes: string | Uint8Array, type = "") => {
      const form = new FormData();
      form.append("file", new Blob([bytes], { type }), name);
      return user.api.request("POST", "/api/v1/files", form);
    };

    before(async () => {
      storageDir = fs.mkdtempSync(path.join(os.tmpdir(), "security-files-"));
      ({ app, url } = await startTestApp(backend, {
        storage: { path: storageDir, max_file_size: MAX_FILE_SIZE },
        rate_limits: { uploads_per_minute: 1000 },
      }));
      [alice, mallory] = await Promise.all([registerUser(url), registerUser(url)]);
      scope = { userIds: [alice.id, mallory.id], conversationIds: [] };
      existing = (await upload(alice, "kept.txt", "kept bytes")).body.id;
    });
    after(async () => {
      await stopTestApp(app);
      fs.rmSync(storageDir, { recursive: true, force: true });
    });

    it("refuses malformed multipart with 400 validation_error (413 over the size limit), storing nothing", async () => {
      for (const [name, { body, boundary }] of Object.entries(MALFORMED)) {
        const before = await storedState(app, scope);
        const onDisk = filesBelow(storageDir);
        const res = await alice.api.request("POST", "/api/v1/files", body, {
          "content-type": `multipart/form-data; boundary=${boundary ?? BOUNDARY}`,
        });
        assert.ok([400, 413].includes(res.status), `${name}: ${res.status} ${res.body}`);
        const code = res.status === 413 ? "payload_too_large" : "validation_error";
        assert.equal(res.body.error?.code, code, name);
        assert.equal(typeof res.body.error.message, "string", name);
        assert.deepEqual(filesBelow(storageDir), onDisk, `${name}: a file was stored`);
        await assertStoreUnchanged(app, scope, before);
      }
      await assertServing(url, alice);
      const kept = await alice.api.get(`/api/v1/files/${existing}`);
      assert.equal(kept.body, "kept bytes", "the file stored before is intact");
    });

    it("keeps path traversal in a file name as a plain name, never a path", async () => {
      for (const name of [
        "../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "/etc/shadow",
        "a/../../b.txt",
        "%2e%2e%2fetc%2fpasswd",
      ]) {
        const res = await upload(alice, name, "just text");
        assert.equal(res.status, 201, `${name}: ${JSON.stringify(res.body)}`);
        assert.ok(!res.body.filename.includes("/") && !res.body.filename.includes("\\"), name);
        const download = await alice.api.get(`/api/v1/files/${res.body.id}`);
        assert.equal(download.status, 200);
        assert.equal(download.body, "just text");
        assert.match(download.headers.get("content-disposition") ?? "", /^attachment;/);
      }
      // busboy reduces these names to "", which multer (like a browser) takes for no file.
      for (const name of ["..", ".", "../"]) {
        const res = await upload(alice, name, "just text");
        assert.equal(res.status, 400, name);
        assert.equal(res.body.error.code, "validation_error", name);
      }
      for (const entry of filesBelow(storageDir)) {
        assert.ok(!entry.includes(".."), `stored under ${entry}`);
      }
      assert.ok(!fs.existsSync(path.join(storageDir, "..", "etc")), "nothing outside storage");
    });

    it("refuses HTML, SVG, script and executable bytes under an image name with 415, storing nothing", async () => {
      const hostile: Record<string, string | Uint8Array> = {
        "photo.png": "<!DOCTYPE html><html><script>alert(1)</script></html>",
        "icon.jpg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "logo.gif": '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
        "banner.webp": "\uFEFF  <!-- hi -->\n<script>alert(document.cookie)</script>",
        "avatar.png": '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>',
        "thumb.jpeg": "#!/bin/sh\nrm -rf /\n",
        "face.bmp": Uint8Array.from([0x4d, 0x5a, 0x90, 0x00, ...new Array(60).fill(0)]),
      };
      const before = await storedState(app, scope);
      const onDisk = filesBelow(storageDir);
      for (const [name, bytes] of Object.entries(hostile)) {
        const res = await upload(alice, name, bytes, "image/png");
        assert.equal(res.status, 415, `${name}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, "unsupported_media_type");
      }
      assert.deepEqual(filesBelow(storageDir), onDisk);
      await assertStoreUnchanged(app, scope, before);
      await assertServing(url, alice);
    });

    it("refuses script text without markup under an image name with 415", async () => {
      const res = await upload(alice, "photo.png", "alert(document.cookie)", "image/png");
      assert.equal(res.status, 415, JSON.stringify(res.body));
      assert.equal(res.body.error.code, "unsupported_media_type");
    });

    it("serves script text under a text name as an attachment of text/plain with nosniff", async () => {
      const res = await upload(alice, "notes.txt", "alert(document.cookie)", "text/plain");
      assert.equal(res.status, 201);
      assert.equal(res.body.content_type, "text/plain");
      const download = await alice.api.get(`/api/v1/files/${res.body.id}`);
      assert.match(download.headers.get("content-type") ?? "", /^text\/plain/);
      assert.equal(download.headers.get("x-content-type-options"), "nosniff");
      assert.match(download.headers.get("content-disposition") ?? "", /^attachment;/);
    });

    it("answers 404 to another user's file on read and delete, and keeps it", async () => {
      const uploaded = await upload(alice, "secret.txt", "secret");
      assert.equal(uploaded.status, 201);
      const file = uploaded.body;
      assert.equal((await mallory.api.get(`/api/v1/files/${file.id}`)).status, 404);
      assert.equal((await mallory.api.delete(`/api/v1/files/${file.id}`)).status, 404);
      assert.equal((await alice.api.get(`/api/v1/files/${file.id}`)).status, 200);
      assert.equal((await alice.api.get("/api/v1/files/not-a-uuid")).status, 400);
    });
  });
}
