import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { backends } from "../support/backends";
import { ensureWebBuilt, launchBrowser, openPage, screenshotPath } from "../support/browser";
import { startTestApp } from "../support/test-app";
import { PASSWORD, registerInBrowser } from "../support/web-pages";

const embedded = backends().find((b) => b.name === "embedded")!;

describe("web client in Chromium: the page and logging in [embedded]", function () {
  this.timeout(120_000);
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

  it("registers through the form, refuses a wrong password, and logs back in", async () => {
    const watched = await openPage(browser, url);
    const { page } = watched;
    await page.locator("#login-screen").waitFor({ state: "visible" });
    await page.screenshot({ path: screenshotPath("login") });
    const ann = await registerInBrowser(watched, url, "Ann Example");
    assert.equal(await page.textContent("#me-name"), "Ann Example");

    await page.click("#logout-button");
    await page.locator("#login-screen").waitFor({ state: "visible" });
    await page.fill("#login-username", ann.username);
    await page.fill("#login-password", "wrong password!");
    await page.click("#login-button");
    await page.locator("#login-error", { hasText: /./ }).waitFor();
    assert.equal(await page.isVisible("#chat-screen"), false);

    // Keyboard only: the username field has focus, Tab moves on, Enter logs in.
    await page.reload();
    await page.locator("#login-username:focus").waitFor();
    await page.keyboard.type(ann.username);
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.locator("#chat-screen").waitFor({ state: "visible" });
    await page.reload();
    await page.locator("#chat-screen").waitFor({ state: "visible" });
    assert.equal(await page.textContent("#me-name"), "Ann Example");
    assert.deepEqual(watched.problems, []);
    await watched.context.close();
  });
});
