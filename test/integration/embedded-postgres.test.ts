import assert from "node:assert/strict";
import knexFactory, { Knex } from "knex";
import { sharedEmbeddedPostgres } from "../support/backends";

describe("embedded PostgreSQL (PGlite behind pglite-socket)", () => {
  let knex: Knex;

  before(async function () {
    this.timeout(60_000);
    const embedded = await sharedEmbeddedPostgres();
    knex = knexFactory({ client: "pg", connection: embedded.url, pool: { min: 0, max: 8 } });
  });

  after(async () => {
    await knex?.destroy();
  });

  it("answers each of many concurrent parameterised queries with its own result", async () => {
    const values = Array.from({ length: 300 }, (_, i) => i);
    const results = await Promise.all(
      values.map((i) =>
        knex.raw("select ?::int as v, ?::text as t", [i, `t${i}`]).then((r) => r.rows[0]),
      ),
    );
    results.forEach((row, i) => assert.deepEqual(row, { v: i, t: `t${i}` }));
  });

  it("keeps concurrent transactions and plain queries apart", async () => {
    await knex.raw("create table if not exists pglite_fix_probe (id int primary key)");
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        i % 2
          ? knex.transaction(async (trx) => {
              await trx("pglite_fix_probe").insert({ id: i });
              assert.equal((await trx("pglite_fix_probe").where({ id: i })).length, 1);
            })
          : knex("pglite_fix_probe").insert({ id: i }).onConflict().ignore(),
      ),
    );
    const count = await knex("pglite_fix_probe").count({ n: "*" });
    assert.equal(Number(count[0].n), 40);
  });
});
