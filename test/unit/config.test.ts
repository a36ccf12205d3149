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

  it("reads durations with units", () => {
    const config = loadConfig({ env: { TOKEN_EXPIRY: "15m", PRESENCE_TTL: "250ms" }, file: null });
    assert.equal(config.auth.token_expiry, 15 * 60 * 1000);
    assert.equal(config.presence.ttl, 250);
  });
});
