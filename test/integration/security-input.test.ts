import assert from "node:assert/strict";
import crypto from "node:crypto";
import type { App } from "../../lib/app";
import {
  assertServing,
  assertStoreUnchanged,
  StoredScope,
  storedState,
} from "../support/attack-checks";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversation-fixtures";
import { registerUser, TestUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { send } from "../support/message-fixtures";
import { closeAll, connectIo, connectWs, RealtimeClient } from "../support/realtime-clients";
import { startTestApp, stopTestApp } from "../support/test-app";

const SQL = [
  "'; DROP TABLE users; --",
  "' OR '1'='1",
  "1; SELECT pg_sleep(5)--",
  "\\'; DELETE FROM messages WHERE ''='",
  "$1 $$ E'\\x00' ::text",
];
const XSS = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

/** A real cursor with every value (or every string value) replaced by `text`. */
function poisoned(cursor: string, text: string, stringsOnly: boolean): string {
  const poison = (value: unknown): unknown =>
    value && typeof value === "object"
      ? Object.fromEntries(Object.entries(value).map(([key, child]) => [key, poison(child)]))
      : stringsOnly && typeof value !== "string"
        ? value
        : text;
  const decoded: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  return Buffer.from(JSON.stringify(poison(decoded))).toString("base64url");
}

/** The answer to hostile input: a result or the contract's error, never a 500. */
function assertHandled(res: { status: number; body: any }, what: string): void {
  assert.ok([200, 400, 404].includes(res.status), `${what}: ${res.status}`);
  if (res.status !== 200) assert.equal(typeof res.body.error?.code, "string", what);
}

for (const backend of backends()) {
  describe(`security: hostile input [${backend.name}]`, () => {
    let app: App;
    let url: string;
    let alice: TestUser;
    let bob: TestUser;
    let group: any;
    let root: any;
    let scope: StoredScope;
    const clients: RealtimeClient[] = [];

    before(async () => {
      ({ app, url } = await startTestApp(backend));
      // Two users sharing a name prefix, so the user search has a second page.
      [alice, bob] = await Promise.all([registerUser(url, "seccur"), registerUser(url, "seccur")]);
      group = await createGroup(alice, [bob], { name: "private group" });
      await createGroup(alice, [bob], { name: "second group" });
      root = await send(alice, group.id, "deploy the thing");
      for (const content of ["deploy reply one", "deploy reply two"]) {
        await send(bob, group.id, { content, parent_id: root.id });
      }
      // Stored SQL-looking text, so that searches for it have hits to highlight.
      for (const text of SQL) await send(bob, group.id, `said ${text}`);
      scope = { userIds: [alice.id, bob.id], conversationIds: [group.id] };
    });
    afterEach(() => closeAll(clients));
    after(() => stopTestApp(app));

    it("stores SQL-looking text verbatim in every string field and returns it unchanged", async () => {
      const before = await storedState(app, scope);
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
        const login = await new ApiClient(url).post("/api/v1/auth/login", {
          username: text,
          password: text,
        });
        assert.ok([400, 401].includes(login.status), `login: ${login.status}`);
      }
      await assertStoreUnchanged(app, scope, before, { allowAdded: true });
    });

    it("stores SQL-looking message content, metadata and client_msg_id verbatim, on REST and both realtime transports", async () => {
      const before = await storedState(app, scope);
      const ws = await connectWs(url, alice.token);
      const io = await connectIo(url, alice.token);
      clients.push(ws, io);
      for (const text of SQL) {
        const body = { content: text, metadata: { [text]: text }, client_msg_id: text };
        const rest = await send(alice, group.id, body);
        const edited = await alice.api.put(`/api/v1/messages/${rest.id}`, { content: text });
        assert.equal(edited.status, 200);
        const viaWs = await ws.request("message.send", {
          ...body,
          conversation_id: group.id,
          client_msg_id: `ws ${text}`,
        });
        const viaIo = await io.request("message.send", {
          ...body,
          conversation_id: group.id,
          client_msg_id: `io ${text}`,
        });
        for (const message of [rest, viaWs.data, viaIo.data]) {
          const read = await alice.api.get(`/api/v1/messages/${message.id}`);
          assert.equal(read.body.content, text.trim());
          assert.deepEqual(read.body.metadata, { [text]: text });
        }
        const reaction = await alice.api.post(`/api/v1/messages/${rest.id}/reactions`, {
          emoji: text,
        });
        assert.equal(reaction.status, 400, "an emoji that is SQL is refused");
        const removal = await alice.api.delete(
          `/api/v1/messages/${rest.id}/reactions/${encodeURIComponent(text)}`,
        );
        assertHandled(removal, "DELETE reaction");
      }
      const ignore = ["conversations", "members", "events"];
      await assertStoreUnchanged(app, scope, before, { allowAdded: true, ignore });
    });

    it("answers SQL-looking query parameters and path segments with results or 400/404, never 500", async () => {
      const before = await storedState(app, scope);
      for (const text of SQL) {
        const q = encodeURIComponent(text);
        for (const path of [
          `/api/v1/users?q=${q}`,
          `/api/v1/users?q=a&limit=${q}&cursor=${q}`,
          `/api/v1/users/online?cursor=${q}&limit=${q}`,
          `/api/v1/users/${q}`,
          `/api/v1/users/${q}/presence`,
          `/api/v1/conversations?cursor=${q}`,
          `/api/v1/conversations?limit=${q}`,
          `/api/v1/conversations/${q}`,
          `/api/v1/conversations/${q}/messages`,
          `/api/v1/conversations/${group.id}/messages?cursor=${q}&limit=${q}`,
          `/api/v1/conversations/${group.id}/messages?after_seq=${q}`,
          `/api/v1/messages/${q}`,
          `/api/v1/messages/${root.id}/replies?cursor=${q}&limit=${q}`,
          `/api/v1/messages/${q}/receipts`,
          `/api/v1/search/messages?q=${q}`,
          `/api/v1/search/messages?q=deploy&conversation_id=${q}&sender_id=${q}`,
          `/api/v1/search/messages?q=deploy&after=${q}&before=${q}&cursor=${q}&limit=${q}`,
          `/api/v1/search/conversations?q=${q}&cursor=${q}`,
          `/api/v1/sync?since=${q}&limit=${q}`,
          `/api/v1/files/${q}`,
        ]) {
          assertHandled(await alice.api.get(path), path);
        }
      }
      await assertStoreUnchanged(app, scope, before);
      await assertServing(url, alice);
    });

    it("answers well-formed cursors carrying SQL with results or 400, never 500", async () => {
      const lists = [
        "/api/v1/users?q=seccur&",
        "/api/v1/conversations?",
        `/api/v1/conversations/${group.id}/messages?`,
        `/api/v1/messages/${root.id}/replies?`,
        "/api/v1/search/messages?q=deploy&",
        "/api/v1/search/conversations?q=group&",
      ];
      const before = await storedState(app, scope);
      for (const list of lists) {
        const first = await alice.api.get(`${list}limit=1`);
        assert.equal(first.status, 200, list);
        const cursor = first.body.next_cursor;
        assert.ok(cursor, `${list} has a second page`);
        for (const text of SQL) {
          for (const stringsOnly of [true, false]) {
            const hostile = encodeURIComponent(poisoned(cursor, text, stringsOnly));
            const path = `${list}limit=1&cursor=${hostile}`;
            assertHandled(await alice.api.get(path), `${list} cursor ${text}`);
          }
        }
      }
      await assertStoreUnchanged(app, scope, before);
      await assertServing(url, alice);
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
          ["GET", `/api/v1/messages/${bad}`],
          ["PUT", `/api/v1/messages/${bad}`, { content: "x" }],
          ["POST", `/api/v1/messages/${bad}/read`],
          ["POST", `/api/v1/conversations/${group.id}/messages`, { content: "x", parent_id: bad }],
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

    it("answers a JSON body over the limit with 413 payload_too_large on every JSON route, storing nothing", async () => {
      const before = await storedState(app, scope);
      const blob = "x".repeat(300 * 1024);
      for (const [method, path, client] of [
        ["POST", "/api/v1/auth/register", new ApiClient(url)],
        ["POST", "/api/v1/conversations", alice.api],
        ["PUT", `/api/v1/conversations/${group.id}`, alice.api],
        ["POST", `/api/v1/conversations/${group.id}/messages`, alice.api],
        ["PUT", `/api/v1/messages/${root.id}`, alice.api],
      ] as [string, string, ApiClient][]) {
        const res = await client.request(method, path, { content: blob, metadata: { blob } });
        assert.equal(res.status, 413, `${method} ${path}`);
        assert.equal(res.body.error.code, "payload_too_large", `${method} ${path}`);
      }
      await assertStoreUnchanged(app, scope, before);
      await assertServing(url, alice);
    });

    it("refuses control characters in text fields", async () => {
      const res = await alice.api.post("/api/v1/conversations", {
        type: "group",
        member_ids: [bob.id],
        name: "bad\u0000name\u001b[31m",
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, "validation_error");
      const message = await alice.api.post(`/api/v1/conversations/${group.id}/messages`, {
        content: "bad\u0000content",
      });
      assert.equal(message.status, 400);
      assert.equal(message.body.error.code, "validation_error");
    });
  });
}
