import assert from "node:assert/strict";
import crypto from "node:crypto";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversation-fixtures";
import { registerUser, TestUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { hostileTokens } from "../support/hostile-tokens";
import { startTestApp, stopTestApp, TestApp } from "../support/test-app";

const SQL = [
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  "1; SELECT pg_sleep(5)--",
  "\\'; DELETE FROM messages WHERE ''='",
  "$1 $$ E'\\x00' ::text",
];
const XSS = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

for (const backend of backends()) {
  describe(`security [${backend.name}]`, () => {
    let test: TestApp;
    let url: string;
    let alice: TestUser;
    let bob: TestUser;
    let mallory: TestUser;
    let group: any;

    before(async () => {
      test = await startTestApp(backend);
      url = test.url;
      [alice, bob, mallory] = await Promise.all([
        registerUser(url, "alice"),
        registerUser(url, "bob"),
        registerUser(url, "mallory"),
      ]);
      group = await createGroup(alice, [bob], { name: "private group" });
    });
    // Give the database connections back: a shared PostgreSQL has a connection cap.
    after(() => stopTestApp(test.app));

    describe("bearer tokens", () => {
      it("refuses alg none, algorithm confusion, missing exp, expired and future-nbf tokens with 401", async () => {
        for (const [name, token] of Object.entries(hostileTokens(alice.id))) {
          const res = await new ApiClient(url, token).get("/api/v1/users/me");
          assert.equal(res.status, 401, name);
          assert.equal(res.body.error.code, "unauthorized", name);
          await assert.rejects(
            test.app.services.users.authenticate(token),
            /./,
            `${name} (realtime)`,
          );
        }
      });

      it("accepts no token in the query string on REST", async () => {
        const res = await new ApiClient(url).get(`/api/v1/users/me?token=${alice.token}`);
        assert.equal(res.status, 401);
      });
    });

    describe("another user's resources", () => {
      it("answers 404 not_found on every conversation route, and changes nothing", async () => {
        const id = group.id;
        const cases: [string, string, unknown?][] = [
          ["GET", `/api/v1/conversations/${id}`],
          ["PUT", `/api/v1/conversations/${id}`, { name: "pwned" }],
          ["DELETE", `/api/v1/conversations/${id}`],
          ["POST", `/api/v1/conversations/${id}/members`, { user_id: mallory.id }],
          ["DELETE", `/api/v1/conversations/${id}/members/${bob.id}`],
          ["DELETE", `/api/v1/conversations/${id}/members/${alice.id}`],
        ];
        for (const [method, path, body] of cases) {
          const res = await mallory.api.request(method, path, body);
          assert.equal(res.status, 404, `${method} ${path}`);
          assert.equal(res.body.error.code, "not_found", `${method} ${path}`);
        }
        const after = await alice.api.get(`/api/v1/conversations/${id}`);
        assert.equal(after.status, 200);
        assert.equal(after.body.name, "private group");
        assert.deepEqual(
          after.body.members.map((member: any) => member.user_id).sort(),
          [alice.id, bob.id].sort(),
        );
      });

      it("does not list another user's conversations", async () => {
        const res = await mallory.api.get("/api/v1/conversations");
        assert.equal(res.status, 200);
        assert.ok(!res.body.data.some((c: any) => c.id === group.id));
      });
    });

    describe("hostile input", () => {
      it("stores SQL-looking text verbatim in every string field and returns it unchanged", async () => {
        for (const text of SQL) {
          const created = await alice.api.post("/api/v1/conversations", {
            type: "group",
            member_ids: [bob.id],
            name: text,
            description: text,
            metadata: { [text]: text },
          });
          assert.equal(created.status, 201, JSON.stringify(created.body));
          const read = await alice.api.get(`/api/v1/conversations/${created.body.id}`);
          assert.equal(read.body.name, text.trim());
          assert.equal(read.body.description, text.trim());
          assert.deepEqual(read.body.metadata, { [text]: text });
          const registered = await new ApiClient(url).post("/api/v1/auth/register", {
            username: `sql_${crypto.randomBytes(4).toString("hex")}`,
            password: text.padEnd(8, "x"),
            display_name: text,
          });
          assert.equal(registered.status, 201);
          assert.equal(registered.body.user.display_name, text.trim());
        }
      });

      it("answers SQL-looking query parameters with results or 400, never 500", async () => {
        for (const text of SQL) {
          const q = encodeURIComponent(text);
          for (const path of [
            `/api/v1/users?q=${q}`,
            `/api/v1/conversations?cursor=${q}`,
            `/api/v1/conversations?limit=${q}`,
            `/api/v1/sync?since=${q}`,
            `/api/v1/users/${q}`,
            `/api/v1/conversations/${q}`,
          ]) {
            const res = await alice.api.get(path);
            assert.ok([200, 400, 404].includes(res.status), `${path}: ${res.status}`);
            if (res.status !== 200) assert.ok(res.body.error.code, path);
          }
        }
        assert.equal((await alice.api.get("/api/v1/users/me")).status, 200, "still healthy");
      });

      it("returns <script> content as-is, as JSON with nosniff (never rendered as HTML)", async () => {
        const created = await createGroup(alice, [bob], { name: XSS, description: XSS });
        const res = await alice.api.get(`/api/v1/conversations/${created.id}`);
        assert.equal(res.body.name, XSS);
        assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
        assert.equal(res.headers.get("x-content-type-options"), "nosniff");
        const error = await alice.api.get(`/api/v1/users/${encodeURIComponent(XSS)}`);
        assert.match(error.headers.get("content-type") ?? "", /^application\/json/);
      });

      it("answers ids that are not UUIDs with 400 validation_error, never 500", async () => {
        for (const bad of ["abc", "1", "00000000-0000-0000-0000-00000000000g", "..%2F..%2Fetc"]) {
          for (const [method, path, body] of [
            ["GET", `/api/v1/users/${bad}`],
            ["GET", `/api/v1/conversations/${bad}`],
            ["PUT", `/api/v1/conversations/${bad}`, { name: "x" }],
            ["DELETE", `/api/v1/conversations/${bad}`],
            ["POST", `/api/v1/conversations/${bad}/members`, { user_id: bob.id }],
            ["DELETE", `/api/v1/conversations/${group.id}/members/${bad}`],
            ["POST", "/api/v1/conversations", { type: "group", member_ids: [bad], name: "x" }],
          ] as [string, string, unknown?][]) {
            const res = await alice.api.request(method, path, body);
            assert.equal(res.status, 400, `${method} ${path}: ${JSON.stringify(res.body)}`);
            assert.equal(res.body.error.code, "validation_error");
          }
        }
      });

      it("refuses unknown keys and wrong types with 400, naming the field", async () => {
        const res = await alice.api.post("/api/v1/conversations", {
          type: "group",
          member_ids: [bob.id],
          name: { $ne: null },
          is_admin: true,
        });
        assert.equal(res.status, 400);
        const fields = res.body.error.details.map((d: any) => d.field).sort();
        assert.deepEqual(fields, ["is_admin", "name"]);
      });

      it("answers a JSON body over the limit with 413 payload_too_large", async () => {
        const res = await alice.api.post("/api/v1/conversations", {
          type: "group",
          member_ids: [bob.id],
          name: "big",
          metadata: { blob: "x".repeat(300 * 1024) },
        });
        assert.equal(res.status, 413);
        assert.equal(res.body.error.code, "payload_too_large");
      });

      it("refuses control characters in text fields", async () => {
        const res = await alice.api.post("/api/v1/conversations", {
          type: "group",
          member_ids: [bob.id],
          name: "bad\u0000name\u001b[31m",
        });
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, "validation_error");
      });
    });

    describe("files", () => {
      const upload = (user: TestUser, name: string, bytes: string | Uint8Array, type = "") => {
        const form = new FormData();
        form.append("file", new Blob([bytes], { type }), name);
        return user.api.request("POST", "/api/v1/files", form);
      };

      it("keeps path traversal in a file name as a plain name, never a path", async () => {
        for (const name of [
          "../../etc/passwd",
          "..\\..\\windows\\win.ini",
          "/etc/shadow",
          "a/../../b.txt",
        ]) {
          const res = await upload(alice, name, "just text");
          assert.equal(res.status, 201, `${name}: ${JSON.stringify(res.body)}`);
          assert.ok(!res.body.filename.includes("/") && !res.body.filename.includes("\\"), name);
          const download = await alice.api.get(`/api/v1/files/${res.body.id}`);
          assert.equal(download.status, 200);
          assert.equal(download.body, "just text");
          assert.match(download.headers.get("content-disposition") ?? "", /^attachment;/);
        }
      });

      it("refuses HTML, SVG and script bytes under an image name with 415", async () => {
        const hostile = {
          "photo.png": "<!DOCTYPE html><html><script>alert(1)</script></html>",
          "icon.jpg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        };
        for (const [name, bytes] of Object.entries(hostile)) {
          const res = await upload(alice, name, bytes, "image/png");
          assert.equal(res.status, 415, name);
          assert.equal(res.body.error.code, "unsupported_media_type");
        }
      });

      it("answers 404 to another user's file on read and delete, and keeps it", async () => {
        const file = (await upload(alice, "secret.txt", "secret")).body;
        assert.equal((await mallory.api.get(`/api/v1/files/${file.id}`)).status, 404);
        assert.equal((await mallory.api.delete(`/api/v1/files/${file.id}`)).status, 404);
        assert.equal((await alice.api.get(`/api/v1/files/${file.id}`)).status, 200);
        assert.equal((await alice.api.get("/api/v1/files/not-a-uuid")).status, 400);
      });
    });

    describe("headers", () => {
      it("sets helmet's security headers and no X-Powered-By", async () => {
        const res = await alice.api.get("/api/v1/users/me");
        assert.equal(res.headers.get("x-powered-by"), null);
        assert.equal(res.headers.get("x-content-type-options"), "nosniff");
        assert.equal(res.headers.get("x-frame-options"), "SAMEORIGIN");
        assert.ok(res.headers.get("content-security-policy"));
        assert.ok(res.headers.get("strict-transport-security"));
      });

      it("never answers with a stack trace or SQL in an error body", async () => {
        const res = await alice.api.request("POST", "/api/v1/conversations", '{"type":', {
          "content-type": "application/json",
        });
        assert.equal(res.status, 400);
        assert.doesNotMatch(JSON.stringify(res.body), /at .*\.(ts|js):\d+|select |insert /i);
      });
    });
  });
}
