import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigError, loadConfig } from "../../config/load-config";

describe("loadConfig", () => {
  it("gives the contract's defaults with nothing set", () => {
    const config = loadConfig({ env: {}, file: null });
    assert.equal(config.server.http_port, 9097);
    assert.equal(config.server.websocket_path, "/ws");
    assert.equal(config.database.path, "./data/pglite");
    assert.equal(config.storage.max_file_size, 10485760);
    assert.equal(config.auth.token_expiry, 24 * 3600 * 1000);
    assert.equal(config.realtime.typing_timeout, 6000);
    assert.equal(config.logging.format, "json");
    assert.ok(Object.isFrozen(config.server));
  });

  it("overlays environment variables on config.yaml", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cfg-")), "config.yaml");
    fs.writeFileSync(
      file,
      "server:\n  http_port: 1234\nredis:\n  host: redis.local\nlogging:\n  level: debug\n",
    );
    const config = loadConfig({ env: { LOG_LEVEL: "warn", MAX_FILE_SIZE: "2048" }, file });
    assert.equal(config.server.http_port, 1234);
    assert.equal(config.redis.host, "redis.local");
    assert.equal(config.logging.level, "warn");
    assert.equal(config.storage.max_file_size, 2048);
  });

  it("refuses a bad value and names its key", () => {
    assert.throws(
      () => loadConfig({ env: { HTTP_PORT: "not-a-port" }, file: null }),
      (error: unknown) => error instanceof ConfigError && error.key === "server.http_port",
    );
    assert.throws(
      () => loadConfig({ env: { STORAGE_TYPE: "ftp" }, file: null }),
      (error: unknown) =>
        error instanceof ConfigError && /storage\.type/.test((error as Error).message),
    );
  });

  it("refuses an unknown key in config.yaml", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cfg-")), "config.yaml");
    fs.writeFileSync(file, "server:\n  htp_port: 1\n");
    assert.throws(
      () => loadConfig({ env: {}, file }),
      (error: unknown) => error instanceof ConfigError && error.key === "server.htp_port",
    );
  });

  it("refuses a production start on the embedded database unless asked for explicitly", () => {
    const production = { NODE_ENV: "production", JWT_SECRET: "a-long-enough-secret" };
    assert.throws(
      () => loadConfig({ env: production, file: null }),
      (error: unknown) => error instanceof ConfigError && error.key === "database.url",
    );
    const embedded = { ...production, DATABASE_EMBEDDED_IN_PRODUCTION: "true" };
    assert.equal(loadConfig({ env: embedded, file: null }).database.embedded_in_production, true);
    const served = { ...production, DATABASE_URL: "postgres://db/messaging" };
    assert.equal(loadConfig({ env: served, file: null }).server.production, true);
  });

  it("allows only the service's own origin by default, and refuses '*' in production", () => {
    assert.deepEqual(loadConfig({ env: {}, file: null }).server.allowed_origins, []);
    const env = { NODE_ENV: "production", DATABASE_URL: "postgres://db/messaging" };
    assert.throws(
      () => loadConfig({ env: { ...env, ALLOWED_ORIGINS: "*" }, file: null }),
      (error: unknown) => error instanceof ConfigError && error.key === "server.allowed_origins",
    );
    const listed = loadConfig({
      env: { ...env, ALLOWED_ORIGINS: "https://app.example" },
      file: null,
    });
    assert.deepEqual(listed.server.allowed_origins, ["https://app.example"]);
  });

  it("reads durations with units", () => {
    const config = loadConfig({ env: { TOKEN_EXPIRY: "15m", PRESENCE_TTL: "250ms" }, file: null });
    assert.equal(config.auth.token_expiry, 15 * 60 * 1000);
    assert.equal(config.presence.ttl, 250);
  });
});
