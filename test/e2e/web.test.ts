import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { backends } from "../support/backends";
import {
  ensureWebBuilt,
  launchBrowser,
  openPage,
  screenshotPath,
  WatchedPage,
} from "../support/browser";
import { registerUser, uniqueUsername } from "../support/factories";
import { startTestApp } from "../support/test-app";

const PASSWORD = "correct horse battery";

/** Registers through the form and waits for the chat screen. */
async function registerInBrowser(watched: WatchedPage, username: string, displayName: string) {
  const { page } = watched;
  await page.fill("#login-username", username);
  await page.fill("#login-password", PASSWORD);
  await page.fill("#login-display-name", displayName);
  await page.click("#register-button");
  await page.locator("#chat-screen").waitFor({ state: "visible" });
}

async function logInInBrowser(watched: WatchedPage, username: string) {
  const { page } = watched;
  await page.fill("#login-username", username);
  await page.fill("#login-password", PASSWORD);
  await page.click("#login-button");
  await page.locator("#chat-screen").waitFor({ state: "visible" });
}

const embedded = backends().find((b) => b.name === "embedded")!;

describe("web client in Chromium [embedded]", function () {
  this.timeout(60_000);
  let browser: Browser;
  let url: string;

  before(async function () {
    this.timeout(120_000);
    await ensureWebBuilt();
    browser = await launchBrowser();
    ({ url } = await startTestApp(embedded));
  });

  after(async () => {
    await browser?.close();
  });

  it("serves the page with a strict Content-Security-Policy", async () => {
    const response = await fetch(`${url}/`);
    assert.equal(response.status, 200);
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /connect-src 'self' ws: wss:/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const script = await fetch(`${url}/build/app.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get("content-type") ?? "", /javascript/);
  });

  it("registers through the form, logs out, and logs back in", async () => {
    const watched = await openPage(browser, url);
    const { page } = watched;
    await page.locator("#login-screen").waitFor({ state: "visible" });
    await page.screenshot({ path: screenshotPath("login") });
    const username = uniqueUsername("ann");
    await registerInBrowser(watched, username, "Ann Example");
    assert.equal(await page.textContent("#me-name"), "Ann Example");
    assert.ok(
      await page.evaluate(() => (globalThis as any).localStorage.getItem("messaging.token")),
    );

    await page.click("#logout-button");
    await page.locator("#login-screen").waitFor({ state: "visible" });
    await page.fill("#login-username", username);
    await page.fill("#login-password", "wrong password!");
    await page.click("#login-button");
    await page.locator("#login-error", { hasText: /./ }).waitFor();
    assert.equal(await page.isVisible("#chat-screen"), false);

    await logInInBrowser(watched, username);
    assert.equal(await page.textContent("#me-name"), "Ann Example");
    assert.deepEqual(watched.problems, []);
    await watched.context.close();
  });

  it("keeps a session across a reload with the stored token", async () => {
    const user = await registerUser(url, "kim");
    const watched = await openPage(browser, url);
    await logInInBrowser(watched, user.username);
    await watched.page.reload();
    await watched.page.locator("#chat-screen").waitFor({ state: "visible" });
    assert.equal(await watched.page.textContent("#me-name"), user.username);
    await watched.context.close();
  });
});
