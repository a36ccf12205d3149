import type { AdminAccess } from "../admin/admin-access";
import type { UserService } from "../users/user-service";
import { API_KEY_PREFIX, ApiKeyService } from "./api-key-service";
import type { Principal } from "./principal";

/**
 * One Bearer value → one principal, on every transport: an API key (`mk_…`, acting as its
 * bot) or a JWT (its user). Suspended users and bots, and revoked keys, are refused.
 */
export class Authenticator {
  constructor(
    private readonly users: UserService,
    private readonly keys: ApiKeyService,
    private readonly admins: AdminAccess,
  ) {}

  isApiKey(token: string | undefined | null): token is string {
    return typeof token === "string" && token.startsWith(API_KEY_PREFIX);
  }

  keyPrincipal(key: string): Promise<Principal> {
    return this.keys.authenticate(key);
  }

  userPrincipal(userId: string): Principal {
    return { userId, key: null, isServiceAdmin: false };
  }

  /** The principal with `isServiceAdmin` looked up (admin and webhook routes only). */
  async withAdminRole(principal: Principal): Promise<Principal> {
    if (principal.key || !principal.userId) return principal;
    return { ...principal, isServiceAdmin: await this.admins.isServiceAdmin(principal.userId) };
  }

  /** A realtime handshake's token: a JWT's user, or an API key's bot. */
  realtimeUser(token: string | undefined | null): Promise<string> {
    return this.isApiKey(token) ? this.keys.authenticateBot(token) : this.users.authenticate(token);
  }

  /** A connection that may only listen (a bot whose key lacks `write`). */
  isReadOnly(userId: string): boolean {
    return this.keys.isReadOnly(userId);
  }
}
