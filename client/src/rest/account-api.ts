import type { components } from "../generated/api-types.js";
import type { OperationKey } from "./rest-base.js";
import { Body, Ok, Query } from "./rest-base.js";
import { IntegrationsRestApi } from "./integrations-api.js";

type Retention = "/api/v1/conversations/{id}/retention";
type Reports = "/api/v1/admin/reports";
type Report = "/api/v1/admin/reports/{id}";

/**
 * Accounts and safety (docs/privacy.md): sessions with refresh tokens, sign out everywhere,
 * password change, account deletion, data export, blocks, reports and retention.
 *
 * Refresh tokens: log in (or register) with `refresh_token: true`; the answer's `token`
 * lasts `expires_in` seconds. Before it runs out (or on a 401), call `refreshSession` with
 * the last refresh token and keep both new values: each refresh token works once, and
 * presenting a used one again ends the whole session.
 */
export class AccountRestApi extends IntegrationsRestApi {
  // Sessions
  refreshSession(refresh_token: string): Promise<Ok<"/api/v1/auth/refresh", "post">> {
    const body = { refresh_token };
    return this.call((baseUrl) => this.raw.POST("/api/v1/auth/refresh", { baseUrl, body }));
  }
  /** Ends the session of this refresh token. */
  logout(refresh_token: string): Promise<void> {
    const body = { refresh_token };
    return this.call((baseUrl) => this.raw.POST("/api/v1/auth/logout", { baseUrl, body }));
  }
  /** Every token of the caller issued before now stops working, this one included. */
  logoutEverywhere(): Promise<void> {
    return this.call((baseUrl) => this.raw.POST("/api/v1/auth/logout-all", { baseUrl }));
  }
  changePassword(
    body: Body<"/api/v1/auth/password", "post">,
  ): Promise<Ok<"/api/v1/auth/password", "post">> {
    return this.call((baseUrl) => this.raw.POST("/api/v1/auth/password", { baseUrl, body }));
  }

  // The account
  /** Deletes the caller's account (the password required when it has one). */
  deleteAccount(password?: string): Promise<void> {
    const body = password === undefined ? {} : { password };
    return this.call((baseUrl) => this.raw.DELETE("/api/v1/users/me", { baseUrl, body }));
  }
  /** Queues an export (202); follow it with `export(id)` until `download_url` is set. */
  requestExport(): Promise<components["schemas"]["DataExport"]> {
    return this.call((baseUrl) => this.raw.POST("/api/v1/users/me/exports", { baseUrl }));
  }
  export(id: string): Promise<Ok<"/api/v1/users/me/exports/{id}", "get">> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.GET("/api/v1/users/me/exports/{id}", { baseUrl, params }),
    );
  }
  /** The archive's bytes; in a browser, following `download_url` as a link works as well. */
  async downloadExport(downloadUrl: string): Promise<Blob> {
    return (await this.transport.fetchRaw(downloadUrl, "blob")) as Blob;
  }

  // Blocks
  blocks(query: Query<"/api/v1/blocks", "get"> = {}): Promise<Ok<"/api/v1/blocks", "get">> {
    const params = { query };
    return this.call((baseUrl) => this.raw.GET("/api/v1/blocks", { baseUrl, params }));
  }
  block(userId: string, kind: "block" | "mute" = "block"): Promise<Ok<"/api/v1/blocks", "post">> {
    const body = { user_id: userId, kind };
    return this.call((baseUrl) => this.raw.POST("/api/v1/blocks", { baseUrl, body }));
  }
  unblock(userId: string): Promise<void> {
    const params = { path: { userId } };
    return this.call((baseUrl) => this.raw.DELETE("/api/v1/blocks/{userId}", { baseUrl, params }));
  }

  // Reports and retention
  reportMessage(
    id: string,
    body: Body<"/api/v1/messages/{id}/report", "post">,
  ): Promise<Ok<"/api/v1/messages/{id}/report", "post">> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.POST("/api/v1/messages/{id}/report", { baseUrl, params, body }),
    );
  }
  retention(id: string): Promise<Ok<Retention, "get">> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.GET(`/api/v1/conversations/{id}/retention`, { baseUrl, params }),
    );
  }
  setRetention(id: string, retention_days: number | null): Promise<Ok<Retention, "put">> {
    const params = { path: { id } };
    const body = { retention_days };
    return this.call((baseUrl) =>
      this.raw.PUT("/api/v1/conversations/{id}/retention", { baseUrl, params, body }),
    );
  }

  // Service admins
  reports(query: Query<Reports, "get"> = {}): Promise<Ok<Reports, "get">> {
    const params = { query };
    return this.call((baseUrl) => this.raw.GET("/api/v1/admin/reports", { baseUrl, params }));
  }
  report(id: string): Promise<Ok<Report, "get">> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.GET("/api/v1/admin/reports/{id}", { baseUrl, params }));
  }
  resolveReport(
    id: string,
    body: Body<"/api/v1/admin/reports/{id}/resolve", "post">,
  ): Promise<Ok<"/api/v1/admin/reports/{id}/resolve", "post">> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.POST("/api/v1/admin/reports/{id}/resolve", { baseUrl, params, body }),
    );
  }
  adminDeleteUser(id: string): Promise<void> {
    const params = { path: { id } };
    return this.call((baseUrl) => this.raw.DELETE("/api/v1/admin/users/{id}", { baseUrl, params }));
  }
}

/** The methods behind issue #19's operations (spread into REST_OPERATIONS). */
export const ACCOUNT_REST_OPERATIONS = {
  "POST /api/v1/auth/refresh": "refreshSession",
  "POST /api/v1/auth/logout": "logout",
  "POST /api/v1/auth/logout-all": "logoutEverywhere",
  "POST /api/v1/auth/password": "changePassword",
  "DELETE /api/v1/users/me": "deleteAccount",
  "POST /api/v1/users/me/exports": "requestExport",
  "GET /api/v1/users/me/exports/{id}": "export",
  "GET /api/v1/exports/{id}/archive": "downloadExport",
  "GET /api/v1/blocks": "blocks",
  "POST /api/v1/blocks": "block",
  "DELETE /api/v1/blocks/{userId}": "unblock",
  "POST /api/v1/messages/{id}/report": "reportMessage",
  "GET /api/v1/conversations/{id}/retention": "retention",
  "PUT /api/v1/conversations/{id}/retention": "setRetention",
  "GET /api/v1/admin/reports": "reports",
  "GET /api/v1/admin/reports/{id}": "report",
  "POST /api/v1/admin/reports/{id}/resolve": "resolveReport",
  "DELETE /api/v1/admin/users/{id}": "adminDeleteUser",
} as const satisfies Partial<Record<OperationKey, keyof AccountRestApi>>;
