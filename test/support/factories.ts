import crypto from "node:crypto";
import assert from "node:assert/strict";
import { ApiClient } from "./http-client";

let counter = 0;

/** A username no other test uses. */
export function uniqueUsername(prefix = "user"): string {
  counter += 1;
  return `${prefix}_${crypto.randomBytes(3).toString("hex")}${counter}`.slice(0, 32);
}

export interface TestUser {
  id: string;
  username: string;
  token: string;
  api: ApiClient;
}

/** Registers a fresh user over REST and returns a client authenticated as them. */
export async function registerUser(baseUrl: string, prefix = "user"): Promise<TestUser> {
  const username = uniqueUsername(prefix);
  const response = await new ApiClient(baseUrl).post("/api/v1/auth/register", {
    username,
    password: "correct horse battery",
  });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  const { user, token } = response.body;
  return { id: user.id, username, token, api: new ApiClient(baseUrl, token) };
}

/** Registers one fresh user per name prefix, in order. */
export function registerUsers(baseUrl: string, prefixes: string[]): Promise<TestUser[]> {
  return Promise.all(prefixes.map((prefix) => registerUser(baseUrl, prefix)));
}
