import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { registerUser, TestUser } from "../support/factories";
import { openConversation, send } from "../support/message-fixtures";
import { PrivatePostgres } from "../support/private-postgres";
import { closeAll, connectIo, connectWs, nextEvent } from "../support/realtime-clients";
import type { RealtimeClient } from "../support/realtime-clients";
import { startTestApp, TestApp } from "../support/test-app";

// A PostgreSQL of its own that the test stops and starts (never the shared one).
describe("PostgreSQL outage", function () {
  this.timeout(60_000);
  let postgres: PrivatePostgres;
  let node: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let conversationId: string;
  const clients: RealtimeClient[] = [];

  before(async () => {
    postgres = await PrivatePostgres.create();
    const [embedded] = backends();
    node = await startTestApp(embedded, { database: { url: postgres.url() } });
    [alice, bob] = [await registerUser(node.url, "alice"), await registerUser(node.url, "bob")];
    conversationId = await openConversation([alice, bob]);
  });
  afterEach(async () => {
    closeAll(clients);
    await postgres.start();
  });
  after(() => postgres.destroy());

  it("answers sends with 503 unavailable and a retry hint on REST, Socket.IO and /ws, then stores the retried message once", async () => {
    const io = await connectIo(node.url, alice.token);
    const ws = await connectWs(node.url, alice.token);
    clients.push(io, ws);
    const body = (key: string) => ({
      content: `sent during the outage ${key}`,
      client_msg_id: key,
    });
    await postgres.stop("fast");

    const rest = await alice.api.post(
      `/api/v1/conversations/${conversationId}/messages`,
      body("k1"),
    );
    assert.equal(rest.status, 503);
    assert.equal(rest.body.error.code, "unavailable");
    assert.equal(rest.headers.get("retry-after"), "1");
    for (const client of [io, ws]) {
      const reply = await client.request("message.send", {
        conversation_id: conversationId,
        ...body(client.kind),
      });
      assert.deepEqual(
        { code: reply.error?.code, retry_after: reply.error?.retry_after },
        { code: "unavailable", retry_after: 1 },
      );
    }

    await postgres.start();
    const stored = await send(alice, conversationId, body("k1"));
    const again = await alice.api.post(
      `/api/v1/conversations/${conversationId}/messages`,
      body("k1"),
    );
    assert.equal(again.status, 200);
    assert.equal(again.body.id, stored.id);
    const { rows } = (await node.app.database.knex.raw(
      "SELECT count(*)::int AS n FROM messages WHERE client_msg_id = 'k1'",
    )) as { rows: { n: number }[] };
    assert.equal(rows[0].n, 1);
  });

  it("tells a client whose resume it cannot read to reconnect, and gives it what it missed when it does", async () => {
    const first = await connectWs(node.url, bob.token);
    clients.push(first);
    const seen = await send(alice, conversationId, "before the drop");
    const { cursor } = await nextEvent(first, "message.new", (f) => f.data.id === seen.id);
    first.close();
    await first.closed;
    const missed = await send(alice, conversationId, "while bob was away");
    await postgres.stop("fast");

    const resuming = await connectWs(node.url, bob.token, { since: cursor });
    clients.push(resuming);
    const error = await nextEvent(resuming, "error");
    assert.equal(error.error.code, "unavailable");
    assert.equal(error.error.retry_after, 1);
    assert.equal((await resuming.closed).code, 1013);

    await postgres.start();
    const resumed = await connectWs(node.url, bob.token, { since: cursor });
    clients.push(resumed);
    const frame = await nextEvent(resumed, "message.new");
    assert.equal(frame.data.id, missed.id);
  });
});
