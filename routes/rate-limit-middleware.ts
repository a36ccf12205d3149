import type { RequestHandler, Response } from "express";
import type { LimitKind, LimitState } from "../lib/rate-limit/rate-limits";
import { rateLimited } from "../lib/rate-limit/rate-limits";
import type { Services } from "../lib/services";
import type { Principal } from "../lib/domain/integrations/principal";
import { callerId } from "./auth-middleware";

function setHeaders(res: Response, state: LimitState): void {
  res.setHeader("X-RateLimit-Limit", String(state.limit));
  res.setHeader("X-RateLimit-Remaining", String(state.remaining));
  res.setHeader("X-RateLimit-Reset", String(state.resetSeconds));
}

/**
 * Counts the request against a budget: per client IP before authentication (`ip`), per
 * user after it (`rest`), or per API key for requests made with one (`api_key`). A refusal is 429 `rate_limited` with `Retry-After`; every answer
 * carries `X-RateLimit-Limit/Remaining/Reset` (seconds until the window resets).
 */
export function rateLimit(
  services: Services,
  kind: Extract<LimitKind, "ip" | "rest">,
): RequestHandler {
  return async (req, res, next) => {
    // A request made with an API key spends the key's budget, not its bot's.
    const apiKey = kind === "rest" ? (res.locals.principal as Principal | undefined)?.key : null;
    const budget: LimitKind = apiKey ? "api_key" : kind;
    const key = kind === "ip" ? (req.ip ?? "unknown") : (apiKey?.id ?? callerId(req));
    const state = await services.rateLimits.consume(budget, key);
    setHeaders(res, state);
    if (!state.allowed) return next(rateLimited(budget, state));
    next();
  };
}
