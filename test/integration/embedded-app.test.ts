import assert from "node:assert/strict";
import { decodeEventCursor } from "../../lib/events/event-types";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversations";
import { registerUser } from "../support/factories";
import { closeAll, connectBoth, nextEvent, RealtimeClient } from "../support/realtime-clients";
import { startTestApp } from "../support/test-app";

// `npm start` without any server: the app owns its PGlite (numbering without the lock) and
// the in-process bus (events marked published as they are numbered). The shared embedded
// backend of the other suites is a PGlite reached by URL, so this mode needs its own app.
const [embedded] = backends();

describe("an app on its own embedded database and in-process bus (npm start)", () => {
  const clients: RealtimeClient[] = [];
  afterEach(() => closeAll(clients));

  it("numbers, publishes and delivers concurrent sends gaplessly and in seq order", async function () {
    this.timeout(120_000); // starts its own PGlite
    const { app, url } = await startTestApp(embedded, {
      database: { url: undefined, path: "memory://" },
    });
    assert.equal(app.database.kind, "embedded");
    assert.equal(app.events.bus.kind, "memory");
    const [alice, bob] = [await registerUser(url, "alice"), await registerUser(url, "bob")];
    const conversationId = await createGroup(alice, [bob]);
    const [io, ws] = await connectBoth(url, bob.token, clients);

    const sends = Array.from({ length: 30 }, (_, i) =>
      alice.api.post(`/api/v1/conversations/${conversationId}/messages`, { content: `m${i}` }),
    );
    assert.deepEqual(
      (await Promise.all(sends)).map((response) => response.status),
      sends.map(() => 201),
    );
    for (const client of [io, ws]) {
      const seqs: number[] = [];
      const positions: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        const frame = await nextEvent(client, "message.new");
        seqs.push(frame.data.seq);
        positions.push(decodeEventCursor(frame.cursor)!);
      }
      assert.deepEqual(
        seqs,
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      assert.deepEqual(
        positions,
        [...positions].sort((a, b) => a - b),
      );
    }
    const rows = (await app.database.knex("outbox").orderBy("position").select("position")) as {
      position: number;
    }[];
    assert.deepEqual(
      rows.map((row) => Number(row.position)),
      rows.map((_, i) => i + 1),
    );
    assert.equal((await app.events.log.backlog()).count, 0);
  });
});
