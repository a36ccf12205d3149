import assert from "node:assert/strict";
import type { Backend } from "./backends";
import { TestUser, uniqueUsername } from "./factories";
import { ApiClient } from "./http-client";
import { startTestApp, TestApp } from "./test-app";

export interface IntegrationApp extends TestApp {
  /** A service admin (named in admin.users). */
  admin: TestUser;
}

/** Registers `username` (a name chosen before the app started, e.g. for admin.users). */
export async function registerNamed(url: string, username: string): Promise<TestUser> {
  const response = await new ApiClient(url).post("/api/v1/auth/register", {
    username,
    password: "correct horse battery",
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  const { user, token } = response.body;
  return { id: user.id, username, token, api: new ApiClient(url, token) };
}

/** An app whose admin.users names a fresh user, registered and returned as `admin`. */
export async function startIntegrationApp(
  backend: Backend,
  overrides: Record<string, unknown> = {},
): Promise<IntegrationApp> {
  const adminName = uniqueUsername("admin");
  const started = await startTestApp(backend, { ...overrides, admin: { users: [adminName] } });
  return { ...started, admin: await registerNamed(started.url, adminName) };
}

export interface TestKey {
  id: string;
  key: string;
  api: ApiClient;
}

/** An API key created by `admin` with these scopes (and options such as conversation_ids). */
export async function createKey(
  admin: TestUser,
  scopes: string[],
  extra: Record<string, unknown> = {},
): Promise<TestKey> {
  const response = await admin.api.post("/api/v1/admin/api-keys", {
    name: `key ${scopes.join("+")}`,
    scopes,
    ...extra,
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  const { api_key, key } = response.body;
  return { id: api_key.id, key, api: new ApiClient(admin.api.baseUrl, key) };
}

/** A key with read and write and its bot. */
export async function createBot(
  admin: TestUser,
  scopes = ["read", "write"],
  extra: Record<string, unknown> = {},
): Promise<TestKey & { botId: string; username: string }> {
  const key = await createKey(admin, scopes, extra);
  const username = uniqueUsername("bot");
  const response = await key.api.post("/api/v1/bots", { username });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  assert.equal(response.body.kind, "bot");
  return { ...key, botId: response.body.id, username };
}
