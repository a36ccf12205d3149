import { Body, Ok, Query, RestBase } from "./rest-base.js";

type AdminUsers = "/api/v1/admin/users";
type AdminUser = "/api/v1/admin/users/{id}";
type ApiKeys = "/api/v1/admin/api-keys";
type ApiKey = "/api/v1/admin/api-keys/{id}";
type Webhooks = "/api/v1/webhooks";
type Webhook = "/api/v1/webhooks/{id}";
type Command = "/api/v1/bots/me/commands/{name}";

/**
 * The integration surface (docs/integrations.md): service admins, API keys, webhooks and
 * bots. Admin calls need a service admin's token or an `admin`-scoped key; webhook and bot
 * calls an API key with the `webhooks` scope or the bot's own key.
 */
export class IntegrationsRestApi extends RestBase {
  // Service admins
  adminUsers(query: Query<AdminUsers, "get"> = {}): Promise<Ok<AdminUsers, "get">> {
    const params = { query };
    return this.call((baseUrl) => this.raw.GET("/api/v1/admin/users", { baseUrl, params }));
  }
  adminUser(id: string): Promise<Ok<AdminUser, "get">> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.GET("/api/v1/admin/users/{id}", { baseUrl, params }));
  }
  suspendUser(
    id: string,
    body: Body<"/api/v1/admin/users/{id}/suspend", "post"> = {},
  ): Promise<Ok<"/api/v1/admin/users/{id}/suspend", "post">> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.POST("/api/v1/admin/users/{id}/suspend", { baseUrl, params, body }),
    );
  }
  restoreUser(id: string): Promise<Ok<"/api/v1/admin/users/{id}/restore", "post">> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.POST("/api/v1/admin/users/{id}/restore", { baseUrl, params }),
    );
  }
  grantAdmin(id: string): Promise<Ok<"/api/v1/admin/users/{id}/admin", "put">> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.PUT("/api/v1/admin/users/{id}/admin", { baseUrl, params }),
    );
  }
  revokeAdmin(id: string): Promise<void> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.DELETE("/api/v1/admin/users/{id}/admin", { baseUrl, params }),
    );
  }
  /** Deletes any message (a tombstone; message.deleted to its conversation's members). */
  adminDeleteMessage(id: string): Promise<void> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.DELETE("/api/v1/admin/messages/{id}", { baseUrl, params }),
    );
  }
  usage(): Promise<Ok<"/api/v1/admin/usage", "get">> {
    return this.call((baseUrl) => this.raw.GET("/api/v1/admin/usage", { baseUrl }));
  }
  auditLog(
    query: Query<"/api/v1/admin/audit-log", "get"> = {},
  ): Promise<Ok<"/api/v1/admin/audit-log", "get">> {
    const params = { query };
    return this.call((baseUrl) => this.raw.GET("/api/v1/admin/audit-log", { baseUrl, params }));
  }

  // API keys
  apiKeys(query: Query<ApiKeys, "get"> = {}): Promise<Ok<ApiKeys, "get">> {
    const params = { query };
    return this.call((baseUrl) => this.raw.GET("/api/v1/admin/api-keys", { baseUrl, params }));
  }
  /** The answer holds the key itself, once. */
  createApiKey(body: Body<ApiKeys, "post">): Promise<Ok<ApiKeys, "post">> {
    return this.call((baseUrl) => this.raw.POST("/api/v1/admin/api-keys", { baseUrl, body }));
  }
  apiKey(id: string): Promise<Ok<ApiKey, "get">> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.GET("/api/v1/admin/api-keys/{id}", { baseUrl, params }));
  }
  revokeApiKey(id: string): Promise<void> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.DELETE("/api/v1/admin/api-keys/{id}", { baseUrl, params }),
    );
  }

  // Webhooks
  webhooks(): Promise<Ok<Webhooks, "get">> {
    return this.call((baseUrl) => this.raw.GET("/api/v1/webhooks", { baseUrl }));
  }
  /** The answer holds the signing secret, once. */
  createWebhook(body: Body<Webhooks, "post">): Promise<Ok<Webhooks, "post">> {
    return this.call((baseUrl) => this.raw.POST("/api/v1/webhooks", { baseUrl, body }));
  }
  webhook(id: string): Promise<Ok<Webhook, "get">> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.GET("/api/v1/webhooks/{id}", { baseUrl, params }));
  }
  updateWebhook(id: string, body: Body<Webhook, "put">): Promise<Ok<Webhook, "put">> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.PUT("/api/v1/webhooks/{id}", { baseUrl, params, body }));
  }
  deleteWebhook(id: string): Promise<void> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.DELETE("/api/v1/webhooks/{id}", { baseUrl, params }));
  }
  deadLetters(id: string): Promise<Ok<"/api/v1/webhooks/{id}/dead-letters", "get">> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.GET("/api/v1/webhooks/{id}/dead-letters", { baseUrl, params }),
    );
  }
  replayDeadLetter(id: string, letterId: string): Promise<void> {
    const params = { path: { id, letterId } };
    return this.call((baseUrl) =>
      this.raw.POST("/api/v1/webhooks/{id}/dead-letters/{letterId}/replay", { baseUrl, params }),
    );
  }

  // Bots (called with the bot's API key)
  createBot(body: Body<"/api/v1/bots", "post">): Promise<Ok<"/api/v1/bots", "post">> {
    return this.call((baseUrl) => this.raw.POST("/api/v1/bots", { baseUrl, body }));
  }
  bot(): Promise<Ok<"/api/v1/bots/me", "get">> {
    return this.call((baseUrl) => this.raw.GET("/api/v1/bots/me", { baseUrl }));
  }
  botCommands(): Promise<Ok<"/api/v1/bots/me/commands", "get">> {
    return this.call((baseUrl) => this.raw.GET("/api/v1/bots/me/commands", { baseUrl }));
  }
  /** Registers `/name` (201 with its signing secret) or changes its URL. */
  putBotCommand(name: string, body: Body<Command, "put">): Promise<Ok<Command, "put">> {
    const params = { path: { name } };
    return this.call((baseUrl) =>
      this.raw.PUT("/api/v1/bots/me/commands/{name}", { baseUrl, params, body }),
    );
  }
  deleteBotCommand(name: string): Promise<void> {
    const params = { path: { name } };
    return this.call((baseUrl) =>
      this.raw.DELETE("/api/v1/bots/me/commands/{name}", { baseUrl, params }),
    );
  }
}
