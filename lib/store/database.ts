import knexFactory, { Knex } from "knex";
import pg from "pg";
import type { Config } from "../../config/load-config";
import type { Logger } from "../logger";
import { migrationsDirectory } from "../paths";
import { startEmbeddedPostgres, EmbeddedPostgres } from "./embedded-postgres";

// int8 (counts, seq, positions) as numbers: every value we store stays far below 2^53.
pg.types.setTypeParser(20, (value: string) => Number(value));

export interface Database {
  knex: Knex;
  /** "postgres" for a server, "embedded" for PGlite. */
  kind: "postgres" | "embedded";
  /**
   * Whether each pooled connection is its own session, so named prepared statements (plans
   * kept per connection) are safe. False on PGlite, where every connection shares one
   * session (also when it is reached by URL) and statement names would collide.
   */
  namedStatements: boolean;
  ping(): Promise<void>;
  close(): Promise<void>;
}

function connectionFrom(config: Config["database"]): Knex.StaticConnectionConfig | string {
  if (config.url) return config.url;
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database: config.name,
  };
}

/**
 * knex's own messages through our logger (JSON lines, not bare console text). Its
 * connection warnings repeat for every pooled connection and retry during an outage, which
 * the components that hit it already report once each: those go to debug.
 */
function knexLog(logger: Logger): Knex.Config["log"] {
  const child = logger.child({ module: "knex" });
  return {
    warn: (message: string) => child.debug(message),
    error: (message: string) => child.error(message),
    deprecate: (method: string, alternative: string) =>
      child.warn(`${method} is deprecated, use ${alternative}`),
    debug: (message: string) => child.debug(message),
  };
}

/**
 * Opens the database named by config (a PostgreSQL server, else embedded PGlite), runs
 * pending migrations under knex's lock, and returns the pool.
 */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let connection = connectionFrom(config.database);
  const kind = config.database.url || config.database.host ? "postgres" : "embedded";
  if (kind === "embedded") {
    embedded = await startEmbeddedPostgres(config.database.path, config.database.pool_max + 4);
    connection = embedded.url;
    logger.info("embedded PostgreSQL (PGlite) started", { path: config.database.path });
  }
  const knex = knexFactory({
    client: "pg",
    connection,
    pool: { min: 0, max: config.database.pool_max, idleTimeoutMillis: 30_000 },
    acquireConnectionTimeout: 5_000,
    log: knexLog(logger),
  });
  const database: Database = {
    knex,
    kind,
    namedStatements: false,
    async ping() {
      await knex.raw("select 1");
    },
    async close() {
      await knex.destroy();
      await embedded?.stop();
    },
  };
  try {
    await knex.migrate.latest({ directory: migrationsDirectory(), loadExtensions: [".js"] });
    const { rows } = (await knex.raw("SELECT version()")) as { rows: { version: string }[] };
    database.namedStatements = !rows[0].version.includes("PGlite");
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  return database;
}
