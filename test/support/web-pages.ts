import type { Locator } from "playwright-core";
import { ApiClient } from "./http-client";
import { uniqueUsername } from "./factories";
import type { WatchedPage } from "./browser";

export const PASSWORD = "correct horse battery";

/** A person at a browser: the page plus what the tests need to act for them over REST. */
export interface BrowserUser extends WatchedPage {
  id: string;
  username: string;
  displayName: string;
  token: string;
  api: ApiClient;
}

/** Registers through the form and waits for the chat screen. */
export async function registerInBrowser(
  watched: WatchedPage,
  baseUrl: string,
  displayName: string,
): Promise<BrowserUser> {
  const { page } = watched;
  const username = uniqueUsername(displayName.split(" ")[0].toLowerCase());
  await page.fill("#login-username", username);
  await page.fill("#login-password", PASSWORD);
  await page.fill("#login-display-name", displayName);
  await page.click("#register-button");
  await page.locator("#chat-screen").waitFor({ state: "visible" });
  const token = await page.evaluate(() =>
    (globalThis as any).localStorage.getItem("messaging.token"),
  );
  const api = new ApiClient(baseUrl, token);
  const me = await api.get("/api/v1/users/me");
  return { ...watched, id: me.body.id, username, displayName, token, api };
}

/** The conversation's entry in the sidebar. */
export function conversationEntry(user: WatchedPage, title: string): Locator {
  return user.page.locator("#conversation-list button", { hasText: title });
}

/** A message in the main timeline, found by its text. */
export function messageItem(user: WatchedPage, text: string | RegExp): Locator {
  return user.page.locator("#message-list li.message", {
    has: user.page.locator(".content", { hasText: text }),
  });
}

/** Types into the composer and presses Enter. */
export async function sendFromComposer(user: WatchedPage, text: string): Promise<void> {
  await user.page.fill("#message-input", text);
  await user.page.press("#message-input", "Enter");
}

/** A 1×1 PNG: sniffable, so any upload policy accepts it as image/png. */
export const PIXEL_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);
