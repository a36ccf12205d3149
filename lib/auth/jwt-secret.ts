import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../../config/load-config";
import type { Logger } from "../logger";

/**
 * The configured secret; in production none is a refusal to start. Otherwise a generated
 * one is kept beside the embedded database so tokens survive a restart.
 */
export function resolveJwtSecret(config: Config, logger: Logger): string {
  if (config.auth.jwt_secret) return config.auth.jwt_secret;
  if (config.server.production) {
    throw new Error(
      "invalid configuration auth.jwt_secret: required in production (set JWT_SECRET)",
    );
  }
  const dataPath = config.database.path;
  const file = dataPath.startsWith("memory://")
    ? null
    : path.join(path.dirname(dataPath), "jwt-secret");
  if (file && fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const secret = crypto.randomBytes(32).toString("base64url");
  if (file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, secret, { mode: 0o600 });
  }
  logger.warn(
    "auth.jwt_secret is not set: using a generated secret (set JWT_SECRET in production)",
    {
      kept_in: file ?? "memory",
    },
  );
  return secret;
}
