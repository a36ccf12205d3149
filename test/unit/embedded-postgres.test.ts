import assert from "node:assert/strict";
import pg from "pg";
import { sharedEmbeddedPostgres } from "../support/backends";

describe("embedded PostgreSQL (PGlite over a socket)", () => {
  it("keeps each connection's parameterised queries whole when connections run at once", async function () {
    this.timeout(60_000);
    const { url } = await sharedEmbeddedPostgres();
    const clients = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        return client;
      }),
    );
    try {
      await clients[0].query("CREATE TEMP TABLE IF NOT EXISTS seq_probe (n int)");
      const results = await Promise.all(
        clients.map(async (client, c) => {
          const rows = [];
          for (let i = c; i < 200; i += clients.length) {
            if (c === 0) {
              // One connection keeps opening transactions while the others query.
              await client.query("BEGIN");
              await client.query("INSERT INTO seq_probe VALUES ($1)", [i]);
              await client.query("COMMIT");
            }
            const { rows: got } = await client.query("SELECT $1::int AS n, $2::text AS label", [
              i,
              `query-${i}`,
            ]);
            rows.push(...got);
          }
          return rows;
        }),
      );
      for (const [c, rows] of results.entries()) {
        rows.forEach((row, k) => {
          const i = c + k * clients.length;
          assert.deepEqual(row, { n: i, label: `query-${i}` });
        });
      }
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
  });
});
