import type { Knex } from "knex";
import { OutboxRepository } from "../store/outbox-repository";
import type { HubEventLog } from "./realtime-hub";

/**
 * The hub's reads of the event log, each in its own (read-only, short) transaction.
 * Embedded PGlite is served by pglite-socket, which keeps one connection's protocol
 * messages together only inside a transaction; the hub polls concurrently with request
 * traffic, and a bare extended-protocol query could interleave with another connection's
 * and fail with `portal "" does not exist`. (The test suites reach the shared PGlite by
 * URL, so this cannot key on the database kind; on PostgreSQL it costs a BEGIN/COMMIT.)
 */
export function eventLogReader(knex: Knex, subjectPrefix: string): HubEventLog {
  const inTransaction = <T>(read: (log: OutboxRepository) => Promise<T>): Promise<T> =>
    knex.transaction((trx: Knex.Transaction) => read(new OutboxRepository(trx, subjectPrefix)));
  return {
    head: () => inTransaction((log) => log.head()),
    range: (from, to) => inTransaction((log) => log.range(from, to)),
    forUser: (userId, since, limit) => inTransaction((log) => log.forUser(userId, since, limit)),
    prunedThrough: () => inTransaction((log) => log.prunedThrough()),
  };
}
