import assert from "node:assert/strict";
import { assertServing, assertStoreUnchanged, storedState } from "../support/attack-checks";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversation-fixtures";
import { registerUser, TestUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { hostileTokens } from "../support/hostile-tokens";
import { startTestApp, stopTestApp, TestApp } from "../support/test-app";

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
        const scope = { userIds: [alice.id, bob.id, mallory.id], conversationIds: [id] };
        const before = await storedState(test.app, scope);
        for (const [method, path, body] of cases) {
          const res = await mallory.api.request(method, path, body);
          assert.equal(res.status, 404, `${method} ${path}`);
          assert.equal(res.body.error.code, "not_found", `${method} ${path}`);
        }
        await assertStoreUnchanged(test.app, scope, before);
        await assertServing(url, mallory);
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
