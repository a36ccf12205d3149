import type { RequestHandler, Response } from "express";
import type { LimitKind, LimitState } from "../lib/rate-limit/rate-limits";
import { rateLimited } from "../lib/rate-limit/rate-limits";
import type { Services } from "../lib/services";

function setHeaders(res: Response, state: LimitState): void {
  res.setHeader("X-RateLimit-Limit", String(state.limit));
  res.setHeader("X-RateLimit-Remaining", String(state.remaining));
  res.setHeader("X-RateLimit-Reset", String(state.resetSeconds));
}

/**
 * Counts the request against a budget: per client IP before authentication (`ip`), per
 * user after it (`rest`). A refusal is 429 `rate_limited` with `Retry-After`; every answer
 * carries `X-RateLimit-Limit/Remaining/Reset` (seconds until the window resets).
 */
export function rateLimit(
  services: Services,
  kind: Extract<LimitKind, "ip" | "rest">,
): RequestHandler {
  return async (req, res, next) => {
    const key = kind === "ip" ? (req.ip ?? "unknown") : String(req.user);
    const state = await services.rateLimits.consume(kind, key);
    setHeaders(res, state);
    if (!state.allowed) return next(rateLimited(kind, state));
    next();
  };
}
