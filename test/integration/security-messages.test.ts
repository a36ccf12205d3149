import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import {
  assertServing,
  assertStoreUnchanged,
  StoredScope,
  storedState,
} from "../support/attack-checks";
import { backends } from "../support/backends";
import { registerUser, TestUser } from "../support/factories";
import { openConversation, send } from "../support/message-fixtures";
import { closeAll, connectIo, connectWs, RealtimeClient } from "../support/realtime-clients";
import { startTestApp, stopTestApp } from "../support/test-app";

/** Uploads a small text file as `user` and returns its id. */
async function uploadText(user: TestUser): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob(["private notes"]), "notes.txt");
  const res = await user.api.request("POST", "/api/v1/files", form);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

for (const backend of backends()) {
  describe(`security: another user's messages [${backend.name}]`, () => {
    let app: App;
    let url: string;
    let alice: TestUser;
    let bob: TestUser;
    let mallory: TestUser;
    let privateGroup: string;
    let malloryOwn: string;
    let message: { id: string };
    let fileId: string;
    let scope: StoredScope;
    const clients: RealtimeClient[] = [];

    before(async () => {
      ({ app, url } = await startTestApp(backend));
      [alice, bob, mallory] = await Promise.all(
        ["alice", "bob", "mallory"].map((name) => registerUser(url, name)),
      );
      privateGroup = await openConversation([alice, bob]);
      malloryOwn = await openConversation([mallory]);
      fileId = await uploadText(alice);
      message = await send(alice, privateGroup, { content: "private", attachments: [fileId] });
      await send(bob, privateGroup, { content: "a reply", parent_id: message.id });
      const reacted = await bob.api.post(`/api/v1/messages/${message.id}/reactions`, {
        emoji: "👍",
      });
      assert.equal(reacted.status, 201);
      assert.equal((await bob.api.post(`/api/v1/messages/${message.id}/read`)).status, 200);
      const edited = await alice.api.put(`/api/v1/messages/${message.id}`, { content: "edited" });
      assert.equal(edited.status, 200);
      scope = {
        userIds: [alice.id, bob.id, mallory.id],
        conversationIds: [privateGroup, malloryOwn],
      };
    });
    afterEach(() => closeAll(clients));
    after(() => stopTestApp(app));

    it("answers 404 not_found on every message route to a non-member, and changes nothing", async () => {
      const before = await storedState(app, scope);
      assert.equal(before.messages.length, 2, "the message and its reply are in the snapshot");
      const m = `/api/v1/messages/${message.id}`;
      const c = `/api/v1/conversations/${privateGroup}/messages`;
      const own = `/api/v1/conversations/${malloryOwn}/messages`;
      const cases: [string, string, unknown?][] = [
        ["GET", m],
        ["PUT", m, { content: "pwned" }],
        ["DELETE", m],
        ["GET", `${m}/replies`],
        ["GET", `${m}/edits`],
        ["POST", `${m}/reactions`, { emoji: "💀" }],
        ["DELETE", `${m}/reactions/${encodeURIComponent("👍")}`],
        ["POST", `${m}/read`],
        ["GET", `${m}/receipts`],
        ["GET", c],
        ["GET", `${c}?after_seq=0`],
        ["POST", c, { content: "let me in" }],
        // Her own conversation, pointing at theirs: a parent or an attachment she cannot see.
        ["POST", own, { content: "reply", parent_id: message.id }],
        ["POST", own, { content: "steal", attachments: [fileId] }],
        ["GET", `/api/v1/files/${fileId}`],
        ["DELETE", `/api/v1/files/${fileId}`],
      ];
      for (const [method, path, body] of cases) {
        const res = await mallory.api.request(method, path, body);
        assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, "not_found", `${method} ${path}`);
        assert.doesNotMatch(JSON.stringify(res.body), /private|edited/, "nothing leaks");
      }
      await assertStoreUnchanged(app, scope, before);
      await assertServing(url, mallory);
    });

    it("finds nothing of theirs by search, even when asked for their conversation", async () => {
      for (const path of [
        "/api/v1/search/messages?q=edited",
        `/api/v1/search/messages?q=edited&conversation_id=${privateGroup}`,
        `/api/v1/search/messages?q=edited&sender_id=${alice.id}`,
      ]) {
        const res = await mallory.api.get(path);
        assert.ok([200, 404].includes(res.status), `${path}: ${res.status}`);
        if (res.status === 200) assert.deepEqual(res.body.data, [], path);
        else assert.equal(res.body.error.code, "not_found", path);
      }
    });

    it("answers not_found to realtime sends and reads into their conversation, on both transports", async () => {
      const before = await storedState(app, scope);
      for (const connect of [connectWs, connectIo]) {
        const client = await connect(url, mallory.token);
        clients.push(client);
        for (const [type, payload] of [
          ["message.send", { conversation_id: privateGroup, content: "let me in" }],
          ["message.send", { conversation_id: malloryOwn, content: "x", parent_id: message.id }],
          ["message.read", { message_id: message.id }],
          ["typing.start", { conversation_id: privateGroup }],
        ] as const) {
          const reply = await client.request(type, payload);
          assert.equal(reply.error?.code, "not_found", `${client.kind} ${type}`);
        }
      }
      await assertStoreUnchanged(app, scope, before);
      await assertServing(url, mallory);
    });
  });
}
