import crypto from "node:crypto";
import type { RequestHandler } from "express";
import type { Config } from "../config/load-config";
import { AppError } from "../lib/errors";
import type { Logger } from "../lib/logger";

const sameSecret = (given: string, expected: string): boolean => {
  const a = crypto.createHash("sha256").update(given).digest();
  const b = crypto.createHash("sha256").update(expected).digest();
  return crypto.timingSafeEqual(a, b);
};

/**
 * Who may read `GET /metrics` (it tells request rates, user counts and internals): with
 * `server.metrics_token` set, a request with `Authorization: Bearer <token>` (else 401);
 * without it, anyone in development and nobody in production (404, as if absent).
 */
export function metricsAccess(config: Config, logger: Logger): RequestHandler {
  const token = config.server.metrics_token;
  if (!token && config.server.production) {
    logger.warn("server.metrics_token is not set: GET /metrics is not served in production");
  }
  return (req, _res, next) => {
    if (!token)
      return next(
        config.server.production ? new AppError("not_found", "no such route") : undefined,
      );
    const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
    next(
      sameSecret(given, token) ? undefined : new AppError("unauthorized", "metrics token required"),
    );
  };
}
