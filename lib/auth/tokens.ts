import jwt from "jsonwebtoken";
import { unauthorized } from "../errors";

/** What a verified token says about its bearer. */
export interface TokenClaims {
  sub: string;
  preferred_username?: string;
  name?: string;
  exp: number;
}

/** Signs and verifies HS256 tokens; the algorithm is pinned and `exp` is required. */
export class TokenService {
  constructor(
    private readonly secret: string,
    private readonly expiryMs: number,
  ) {}

  issue(userId: string, username: string): string {
    return jwt.sign({ preferred_username: username }, this.secret, {
      algorithm: "HS256",
      subject: userId,
      expiresIn: Math.floor(this.expiryMs / 1000),
    });
  }

  /** @throws AppError unauthorized for a missing, malformed, expired or wrongly signed token */
  verify(token: string | undefined | null): TokenClaims {
    if (!token) throw unauthorized();
    try {
      const claims = jwt.verify(token, this.secret, { algorithms: ["HS256"] });
      if (typeof claims !== "object" || typeof claims.sub !== "string" || claims.sub.length === 0) {
        throw unauthorized("token has no subject");
      }
      if (typeof claims.exp !== "number") throw unauthorized("token has no expiry");
      return claims as TokenClaims;
    } catch (error) {
      if ((error as { code?: string }).code === "unauthorized") throw error;
      throw unauthorized("invalid or expired token");
    }
  }

  /** The options passport-jwt needs, pinned the same way as verify(). */
  get secretOrKey(): string {
    return this.secret;
  }
}
