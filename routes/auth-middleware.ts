import type { Request, RequestHandler, Response } from "express";
import passport from "passport";
import { ExtractJwt, Strategy as JwtStrategy } from "passport-jwt";
import { AppError, forbidden, toAppError, unauthorized } from "../lib/errors";
import { Principal, hasScope } from "../lib/domain/integrations/principal";
import type { Services } from "../lib/services";

/**
 * Every REST route but the public ones: an API key (`Bearer mk_…`, looked up on every
 * request, so a revoked key fails at once) or passport-jwt (HS256 only, `exp` required; the
 * token's user is provisioned on first sight, a suspended one refused).
 */
export function authenticate(services: Services): RequestHandler {
  const strategy = new JwtStrategy(
    {
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: services.tokens.secretOrKey,
      algorithms: ["HS256"],
      ignoreExpiration: false,
    },
    (
      claims: { sub?: unknown; exp?: unknown },
      done: (error: unknown, user?: string | false) => void,
    ) => {
      if (typeof claims.sub !== "string" || !claims.sub || typeof claims.exp !== "number") {
        return done(null, false);
      }
      services.users
        .userIdFromClaims(claims as never)
        .then((userId) => done(null, userId))
        .catch((error: unknown) => done(toAppError(error)));
    },
  );
  const instance = new passport.Passport();
  instance.use("jwt", strategy);
  return (req, res, next) => {
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    if (services.auth.isApiKey(bearer)) {
      services.auth.keyPrincipal(bearer).then((principal) => {
        res.locals.principal = principal;
        if (principal.userId) req.user = principal.userId;
        countKeyRequest(services, principal, res);
        next();
      }, next);
      return;
    }
    const onResult = (error: unknown, userId: string | false) => {
      if (error) return next(error instanceof AppError ? error : toAppError(error));
      if (!userId) return next(unauthorized("invalid or missing token"));
      req.user = userId;
      res.locals.principal = services.auth.userPrincipal(userId);
      next();
    };
    instance.authenticate("jwt", { session: false }, onResult)(req, res, next);
  };
}

/** messaging_api_key_requests_total for every answer to a request made with a key. */
function countKeyRequest(services: Services, principal: Principal, res: Response): void {
  const key = principal.key!;
  res.once("finish", () =>
    services.integrationMetrics.apiKeyRequest(key.id, key.name, res.statusCode),
  );
}

/** Who is calling (set by `authenticate`): a token's user, or an API key and its bot. */
export function principalOf(res: Response): Principal {
  const principal = res.locals.principal as Principal | undefined;
  if (!principal) throw unauthorized();
  return principal;
}

/**
 * A key's scope on the user-facing API: reads need `read`, anything else `write`, and the
 * key must have a bot to act as. The admin, webhook and bot routes check their own rules.
 */
export function requireKeyScope(): RequestHandler {
  const ownRules = new Set(["admin", "webhooks", "bots"]);
  return (req, res, next) => {
    const principal = principalOf(res);
    if (!principal.key || ownRules.has(req.path.split("/")[1])) return next();
    const scope = req.method === "GET" || req.method === "HEAD" ? "read" : "write";
    if (!hasScope(principal, scope))
      return next(forbidden(`this API key lacks the ${scope} scope`));
    if (!principal.userId) {
      return next(forbidden("this API key acts as no user: create its bot (POST /api/v1/bots)"));
    }
    next();
  };
}

/** The authenticated caller's user id (set by `authenticate`). */
export function callerId(req: Request): string {
  if (typeof req.user !== "string") throw unauthorized();
  return req.user;
}
