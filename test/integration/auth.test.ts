import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import { backends } from "../support/backends";
import { registerUser, uniqueUsername } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { startTestApp } from "../support/test-app";

const SECRET = "test-secret-0123456789abcdef";

for (const backend of backends()) {
  describe(`auth and users [${backend.name}]`, () => {
    let url: string;
    let anonymous: ApiClient;

    beforeEach(async () => {
      ({ url } = await startTestApp(backend));
      anonymous = new ApiClient(url);
    });

    describe("POST /api/v1/auth/register", () => {
      it("creates the user and returns a token that works", async () => {
        const username = uniqueUsername("alice");
        const res = await anonymous.post("/api/v1/auth/register", {
          username,
          password: "correct horse battery",
          display_name: "Alice",
        });
        assert.equal(res.status, 201);
        assert.equal(res.body.user.username, username);
        assert.equal(res.body.user.display_name, "Alice");
        assert.equal(res.body.user.password_hash, undefined);
        const me = await anonymous.withToken(res.body.token).get("/api/v1/users/me");
        assert.equal(me.status, 200);
        assert.equal(me.body.id, res.body.user.id);
      });

      it("returns 409 conflict for a taken username, whatever its case", async () => {
        const user = await registerUser(url);
        const res = await anonymous.post("/api/v1/auth/register", {
          username: user.username,
          password: "another password",
        });
        assert.equal(res.status, 409);
        assert.equal(res.body.error.code, "conflict");
      });

      it("returns 400 validation_error naming bad fields", async () => {
        const res = await anonymous.post("/api/v1/auth/register", {
          username: "A!",
          password: "short",
          extra: 1,
        });
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, "validation_error");
        const fields = res.body.error.details.map((d: { field: string }) => d.field).sort();
        assert.deepEqual(fields, ["extra", "password", "username"]);
      });

      it("returns 400 for a body that is not JSON, never a 500", async () => {
        const res = await anonymous.request("POST", "/api/v1/auth/register", "{nope", {
          "content-type": "application/json",
        });
        assert.equal(res.status, 400);
        assert.equal(res.body.error.code, "validation_error");
      });
    });

    describe("POST /api/v1/auth/login", () => {
      it("logs in with the right password", async () => {
        const user = await registerUser(url);
        const res = await anonymous.post("/api/v1/auth/login", {
          username: user.username,
          password: "correct horse battery",
        });
        assert.equal(res.status, 200);
        assert.equal(res.body.user.id, user.id);
        assert.equal(typeof res.body.token, "string");
      });

      it("answers a wrong password and an unknown user with the same 401", async () => {
        const user = await registerUser(url);
        const wrong = await anonymous.post("/api/v1/auth/login", {
          username: user.username,
          password: "wrong password",
        });
        const unknown = await anonymous.post("/api/v1/auth/login", {
          username: uniqueUsername(),
          password: "whatever1",
        });
        assert.equal(wrong.status, 401);
        assert.equal(unknown.status, 401);
        assert.deepEqual(wrong.body, unknown.body);
        assert.equal(wrong.body.error.code, "unauthorized");
      });
    });

    describe("bearer tokens", () => {
      const me = (token: string) => anonymous.withToken(token).get("/api/v1/users/me");

      it("refuses a missing token with 401", async () => {
        const res = await anonymous.get("/api/v1/users/me");
        assert.equal(res.status, 401);
        assert.equal(res.body.error.code, "unauthorized");
      });

      it("refuses expired, wrongly signed, alg none and exp-less tokens", async () => {
        const user = await registerUser(url);
        const now = Math.floor(Date.now() / 1000);
        const expired = jwt.sign({ sub: user.id, exp: now - 10 }, SECRET, { algorithm: "HS256" });
        const wrongSecret = jwt.sign({ sub: user.id }, "another-secret-0123456789", {
          algorithm: "HS256",
          expiresIn: 60,
        });
        const noExp = jwt.sign({ sub: user.id }, SECRET, { algorithm: "HS256" });
        const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString(
          "base64url",
        );
        const payload = Buffer.from(JSON.stringify({ sub: user.id, exp: now + 60 })).toString(
          "base64url",
        );
        const algNone = `${header}.${payload}.`;
        const hs512 = jwt.sign({ sub: user.id }, SECRET, { algorithm: "HS512", expiresIn: 60 });
        for (const token of [expired, wrongSecret, noExp, algNone, hs512, "garbage"]) {
          const res = await me(token);
          assert.equal(res.status, 401, token);
          assert.equal(res.body.error.code, "unauthorized");
        }
      });

      it("provisions the user of an external token on first sight", async () => {
        const sub = "0190f3a0-1111-7abc-8def-0123456789ab".replace(
          "0190f3a0",
          Math.floor(Math.random() * 1e8)
            .toString(16)
            .padStart(8, "0"),
        );
        const token = jwt.sign({ sub, preferred_username: "Ext User!" }, SECRET, {
          algorithm: "HS256",
          expiresIn: 60,
        });
        const res = await me(token);
        assert.equal(res.status, 200);
        assert.equal(res.body.id, sub);
        assert.match(res.body.username, /^ext-user/);
        const again = await me(token);
        assert.equal(again.body.id, sub);
      });
    });

    describe("GET /api/v1/users", () => {
      it("finds users by username prefix and pages through them", async () => {
        const prefix = uniqueUsername("pfx").slice(0, 12);
        const api = (await registerUser(url)).api;
        for (let i = 0; i < 3; i++) {
          const res = await anonymous.post("/api/v1/auth/register", {
            username: `${prefix}_${i}`,
            password: "correct horse battery",
          });
          assert.equal(res.status, 201);
        }
        const first = await api.get(`/api/v1/users?q=${prefix}&limit=2`);
        assert.equal(first.status, 200);
        assert.equal(first.body.data.length, 2);
        assert.ok(first.body.next_cursor);
        const second = await api.get(
          `/api/v1/users?q=${prefix}&limit=2&cursor=${first.body.next_cursor}`,
        );
        assert.equal(second.body.data.length, 1);
        assert.equal(second.body.next_cursor, null);
      });

      it("returns 404 for an unknown user and 400 for a malformed id", async () => {
        const api = (await registerUser(url)).api;
        assert.equal(
          (await api.get("/api/v1/users/01900000-0000-7000-8000-000000000000")).status,
          404,
        );
        const bad = await api.get("/api/v1/users/not-a-uuid");
        assert.equal(bad.status, 400);
        assert.equal(bad.body.error.code, "validation_error");
      });
    });
  });
}
