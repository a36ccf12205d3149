import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { PGliteProtocolQueue } from "./pglite-protocol-queue";

export interface EmbeddedPostgres {
  /** A postgres:// URL that the ordinary `pg` driver (and so knex) connects to. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Embedded PostgreSQL: PGlite (PostgreSQL compiled to WASM) served on a loopback port by
 * pglite-socket, so the app keeps one knex + `pg` code path with PostgreSQL's own result
 * types. Queries are serialised, and a transaction holds the database until it ends.
 * @param dataPath a directory, or "memory://" to keep nothing
 */
export async function startEmbeddedPostgres(
  dataPath: string,
  maxConnections: number,
): Promise<EmbeddedPostgres> {
  if (!dataPath.startsWith("memory://")) fs.mkdirSync(dataPath, { recursive: true });
  const db = await PGlite.create(dataPath, { extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({ db, port: 0, host: "127.0.0.1", maxConnections });
  // The stock queue interleaves the protocol messages of different connections.
  (server as unknown as { queryQueue: PGliteProtocolQueue }).queryQueue = new PGliteProtocolQueue(
    db,
  );
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
