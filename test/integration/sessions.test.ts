import assert from "node:assert/strict";
import jwt from "jsonwebtoken";
import type { App } from "../../lib/app";
import { backends } from "../support/backends";
import { registerUser, TestUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import {
  closeAll,
  connectBoth,
  connectWs,
  nextEvent,
  RealtimeClient,
  refusedIo,
  refusedWs,
} from "../support/realtime-clients";
import { schemaValidator } from "../support/frame-validator";
import { serverFrameName } from "../../sockets/protocol-schemas";
import { startTestApp } from "../support/test-app";

const SECRET = "test-secret-0123456789abcdef";
const validate = schemaValidator();
const PASSWORD = "correct horse battery";

/** A token minted elsewhere with the shared secret (an integration), issued at `iat`. */
function mintedToken(user: TestUser, iat = Math.floor(Date.now() / 1000)): string {
  return jwt.sign({ sub: user.id, iat, exp: iat + 3600 }, SECRET, { algorithm: "HS256" });
}

for (const backend of backends()) {
  describe(`sessions [${backend.name}]`, () => {
    let url: string;
    let app: App;
    const clients: RealtimeClient[] = [];

    beforeEach(async () => {
      ({ url, app } = await startTestApp(backend, { sessions: { access_token_expiry: "10m" } }));
    });
    afterEach(() => closeAll(clients));

    describe("POST /api/v1/auth/logout-all", () => {
      it("refuses every earlier token on REST and realtime, closes open connections, lets a new login in", async () => {
        const alice = await registerUser(url, "alice");
        const minted = mintedToken(alice);
        const [io, ws] = await connectBoth(url, alice.token, clients);
        assert.equal((await alice.api.post("/api/v1/auth/logout-all")).status, 204);

        for (const client of [io, ws]) {
          const frame = await nextEvent(client, "user.sessions_revoked");
          assert.equal(frame.data.user_id, alice.id);
          assert.deepEqual(validate(serverFrameName(frame.type), frame), []);
        }
        assert.equal((await ws.closed).code, 1008);
        assert.equal((await io.closed).reason, "io server disconnect");
        for (const token of [alice.token, minted]) {
          const me = await new ApiClient(url, token).get("/api/v1/users/me");
          assert.equal(me.status, 401);
          assert.equal(me.body.error.code, "unauthorized");
          assert.equal((await refusedWs(url, token)).status, 401);
          assert.equal((await refusedIo(url, token)).message, "unauthorized");
        }
        const login = await new ApiClient(url).post("/api/v1/auth/login", {
          username: alice.username,
          password: PASSWORD,
        });
        assert.equal(login.status, 200);
        const fresh = new ApiClient(url, login.body.token);
        assert.equal((await fresh.get("/api/v1/users/me")).status, 200);
        // A token minted by an integration after the sign-out keeps working.
        const later = mintedToken(alice, Math.floor(Date.now() / 1000) + 1);
        assert.equal((await new ApiClient(url, later).get("/api/v1/users/me")).status, 200);
      });

      it("reaches every node: another node refuses the token and closes its connections", async () => {
        const other = await startTestApp(backend);
        const alice = await registerUser(url, "alice");
        const ws = await connectWs(other.url, alice.token);
        clients.push(ws);
        await nextEvent(ws, "ready");
        await alice.api.post("/api/v1/auth/logout-all");
        assert.equal((await nextEvent(ws, "user.sessions_revoked")).data.user_id, alice.id);
        assert.equal((await ws.closed).code, 1008);
        const me = await new ApiClient(other.url, alice.token).get("/api/v1/users/me");
        assert.equal(me.status, 401);
      });
    });

    describe("POST /api/v1/auth/password", () => {
      it("needs the current password, ends the other sessions and answers new tokens", async () => {
        const alice = await registerUser(url, "alice");
        const other = await new ApiClient(url).post("/api/v1/auth/login", {
          username: alice.username,
          password: PASSWORD,
        });
        const wrong = await alice.api.post("/api/v1/auth/password", {
          current_password: "not my password",
          new_password: "a new long password",
        });
        assert.equal(wrong.status, 403);
        assert.equal((await alice.api.get("/api/v1/users/me")).status, 200, "nothing changed");
        const short = await alice.api.post("/api/v1/auth/password", {
          current_password: PASSWORD,
          new_password: "short",
        });
        assert.equal(short.status, 400);

        const changed = await alice.api.post("/api/v1/auth/password", {
          current_password: PASSWORD,
          new_password: "a new long password",
        });
        assert.equal(changed.status, 200, JSON.stringify(changed.body));
        assert.equal(changed.body.user.id, alice.id);
        assert.equal((await alice.api.get("/api/v1/users/me")).status, 401);
        const otherSession = new ApiClient(url, other.body.token);
        assert.equal((await otherSession.get("/api/v1/users/me")).status, 401);
        assert.equal(
          (await new ApiClient(url, changed.body.token).get("/api/v1/users/me")).status,
          200,
        );
        const login = (password: string) =>
          new ApiClient(url).post("/api/v1/auth/login", { username: alice.username, password });
        assert.equal((await login(PASSWORD)).status, 401);
        assert.equal((await login("a new long password")).status, 200);
      });
    });

    describe("refresh tokens", () => {
      it("gives a short-lived token and a refresh token that rotates on use", async () => {
        const alice = await registerUser(url, "alice");
        const login = await new ApiClient(url).post("/api/v1/auth/login", {
          username: alice.username,
          password: PASSWORD,
          refresh_token: true,
        });
        assert.equal(login.status, 200);
        assert.match(login.body.refresh_token, /^rt_/);
        assert.equal(login.body.expires_in, 600);
        const claims = jwt.decode(login.body.token) as { exp: number; iat: number; sid: string };
        assert.equal(claims.exp - claims.iat, 600);
        assert.ok(claims.sid);
        const first = await new ApiClient(url).post("/api/v1/auth/refresh", {
          refresh_token: login.body.refresh_token,
        });
        assert.equal(first.status, 200);
        assert.equal(first.body.user.id, alice.id);
        assert.notEqual(first.body.refresh_token, login.body.refresh_token);
        assert.equal(
          (await new ApiClient(url, first.body.token).get("/api/v1/users/me")).status,
          200,
        );
        const stored = await new ApiClient(url).post("/api/v1/auth/refresh", {
          refresh_token: first.body.refresh_token,
        });
        assert.equal(stored.status, 200, "the rotated token works once");
        const rows = await app.database.knex("refresh_tokens").where({ user_id: alice.id });
        assert.equal(rows.length, 3);
        assert.ok(!JSON.stringify(rows).includes("rt_"), "only hashes are stored");
      });

      it("detects reuse: an already used refresh token ends the whole session", async () => {
        const alice = await registerUser(url, "alice");
        const login = await new ApiClient(url).post("/api/v1/auth/register", {
          username: `${alice.username}2`.slice(0, 32),
          password: PASSWORD,
          refresh_token: true,
        });
        assert.equal(login.status, 201);
        const refresh = (token: string) =>
          new ApiClient(url).post("/api/v1/auth/refresh", { refresh_token: token });
        const rotated = await refresh(login.body.refresh_token);
        assert.equal(rotated.status, 200);
        const replayed = await refresh(login.body.refresh_token);
        assert.equal(replayed.status, 401);
        assert.match(replayed.body.error.message, /already used/);
        assert.equal((await refresh(rotated.body.refresh_token)).status, 401, "family revoked");
        assert.equal((await refresh("rt_unknown")).status, 401);
        assert.equal((await new ApiClient(url).post("/api/v1/auth/refresh", {})).status, 400);
      });

      it("ends one session on logout and every session on logout-all", async () => {
        const alice = await registerUser(url, "alice");
        const login = () =>
          new ApiClient(url).post("/api/v1/auth/login", {
            username: alice.username,
            password: PASSWORD,
            refresh_token: true,
          });
        const [one, two] = [await login(), await login()];
        assert.equal(
          (
            await new ApiClient(url).post("/api/v1/auth/logout", {
              refresh_token: one.body.refresh_token,
            })
          ).status,
          204,
        );
        const refresh = (token: string) =>
          new ApiClient(url).post("/api/v1/auth/refresh", { refresh_token: token });
        assert.equal((await refresh(one.body.refresh_token)).status, 401);
        const next = await refresh(two.body.refresh_token);
        assert.equal(next.status, 200);
        await new ApiClient(url, next.body.token).post("/api/v1/auth/logout-all");
        assert.equal((await refresh(next.body.refresh_token)).status, 401);
      });
    });
  });
}
