// Used by `npx knex migrate:latest` / `migrate:rollback` against DATABASE_URL.
// The service itself runs the same migrations at start (embedded PGlite included).
const path = require("node:path");

const connection = process.env.DATABASE_URL || {
  host: process.env.DATABASE_HOST || "127.0.0.1",
  port: Number(process.env.DATABASE_PORT || 5432),
  user: process.env.DATABASE_USER || "postgres",
  password: process.env.DATABASE_PASSWORD || undefined,
  database: process.env.DATABASE_NAME || "messaging",
};

module.exports = {
  client: "pg",
  connection,
  pool: { min: 0, max: 2 },
  migrations: {
    directory: path.join(__dirname, "knex", "migrations"),
    loadExtensions: [".js"],
    tableName: "knex_migrations",
  },
};
