import type { AccountRepository } from "../../store/account-repository";

/**
 * Who is a service admin: a user named in `admin.users` (by username, any case) or one an
 * admin granted the role to (`users.is_admin`). Bots and suspended users never are.
 */
export class AdminAccess {
  private readonly configured: Set<string>;

  constructor(
    private readonly accounts: Pick<AccountRepository, "find">,
    configuredUsernames: readonly string[],
  ) {
    this.configured = new Set(configuredUsernames.map((name) => name.toLowerCase()));
  }

  /** Named in config: such an admin's role cannot be revoked over the API. */
  isConfigured(username: string): boolean {
    return this.configured.has(username.toLowerCase());
  }

  async isServiceAdmin(userId: string): Promise<boolean> {
    const account = await this.accounts.find(userId);
    if (!account || account.kind !== "user" || account.suspended_at) return false;
    return account.is_admin || this.isConfigured(account.username);
  }
}
