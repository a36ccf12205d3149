import type { Request, RequestHandler } from "express";
import passport from "passport";
import { ExtractJwt, Strategy as JwtStrategy } from "passport-jwt";
import { AppError, toAppError, unauthorized } from "../lib/errors";
import type { Services } from "../lib/services";

/**
 * passport-jwt on every REST route but the public ones: HS256 only, `exp` required; the
 * token's user is provisioned on first sight.
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
    const onResult = (error: unknown, userId: string | false) => {
      if (error) return next(error instanceof AppError ? error : toAppError(error));
      if (!userId) return next(unauthorized("invalid or missing token"));
      req.user = userId;
      next();
    };
    instance.authenticate("jwt", { session: false }, onResult)(req, res, next);
  };
}

/** The authenticated caller's user id (set by `authenticate`). */
export function callerId(req: Request): string {
  if (typeof req.user !== "string") throw unauthorized();
  return req.user;
}
