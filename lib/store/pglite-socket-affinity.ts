import type { PGlite } from "@electric-sql/pglite";
import type { PGLiteSocketServer } from "@electric-sql/pglite-socket";

// Frontend messages after which the backend answers ReadyForQuery: the end of a unit.
const SYNC = "S".charCodeAt(0);
const QUERY = "Q".charCodeAt(0);
const TERMINATE = "X".charCodeAt(0);
const PASSWORD = "p".charCodeAt(0);

interface QueryQueue {
  lastHandlerId: number | null;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
  processQueue(): Promise<void>;
}

/**
 * pglite-socket queues each protocol message of each connection separately and keeps a
 * connection's messages together only inside a transaction. An extended-protocol query
 * (Parse, Bind, Describe, Execute, Sync: what `pg` sends for every parameterised query) is
 * several messages, so two connections querying at once interleave, and one fails with
 * `unnamed prepared statement does not exist` or `portal "" does not exist`. This keeps the
 * queue with the same connection from the first message of such a unit until its Sync (or
 * a simple Query), as it already does for transactions.
 */
export function keepExtendedQueriesTogether(db: PGlite, server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let midUnit = false;
  const inTransaction = db.isInTransaction.bind(db);
  const exec = db.execProtocolRawStream.bind(db);
  db.isInTransaction = () => midUnit || inTransaction();
  db.execProtocolRawStream = (message, options) => {
    const type = message[0];
    // A startup message begins with its length (first byte 0): a unit of its own.
    midUnit = !(
      type === 0 ||
      type === SYNC ||
      type === QUERY ||
      type === TERMINATE ||
      type === PASSWORD
    );
    return exec(message, options);
  };
  const clear = queue.clearTransactionIfNeeded.bind(queue);
  queue.clearTransactionIfNeeded = async (handlerId) => {
    // A connection that goes away mid-unit must not hold the queue.
    const held = queue.lastHandlerId === handlerId && midUnit;
    if (held) midUnit = false;
    await clear(handlerId);
    if (held) await queue.processQueue();
  };
}
