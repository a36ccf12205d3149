import assert from "node:assert/strict";
import fs from "node:fs";
import type { Browser } from "playwright-core";
import { App } from "../../lib/app";
import { backends } from "../support/backends";
import { ensureWebBuilt, launchBrowser, openPage, screenshotPath } from "../support/browser";
import { startTestApp, stopTestApp } from "../support/test-app";
import {
  BrowserUser,
  conversationEntry,
  messageItem,
  PIXEL_PNG,
  registerInBrowser,
  sendFromComposer,
} from "../support/web-pages";

const embedded = backends().find((b) => b.name === "embedded")!;

// One story, told in order: two people in two browser contexts on one server.
describe("web client in Chromium: two people chatting [embedded]", function () {
  this.timeout(120_000);
  let browser: Browser;
  let app: App;
  let url: string;
  let alice: BrowserUser;
  let bob: BrowserUser;

  before(async function () {
    this.timeout(120_000);
    await ensureWebBuilt();
    browser = await launchBrowser();
    ({ app, url } = await startTestApp(embedded));
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(function () {
    // No page may ever hit a CSP violation, throw, or open a dialog it did not ask for.
    for (const user of [alice, bob]) {
      if (!user) continue;
      assert.deepEqual(user.problems, [], `${user.displayName}: ${user.problems.join("; ")}`);
      assert.deepEqual(
        user.dialogs.filter((d) => !d.startsWith("confirm")),
        [],
      );
    }
  });

  it("creates a direct conversation that shows up for the other person", async () => {
    alice = await registerInBrowser(await openPage(browser, url), url, "Alice Doe");
    bob = await registerInBrowser(await openPage(browser, url), url, "Bob Roe");

    await alice.page.click("#new-conversation-button");
    await alice.page.fill("#user-search", bob.username);
    await alice.page.getByLabel(`Bob Roe (@${bob.username})`).check();
    await alice.page.screenshot({ path: screenshotPath("new-conversation") });
    await alice.page.click("#create-conversation");
    await alice.page.locator("#conversation-title", { hasText: "Bob Roe" }).waitFor();
    await conversationEntry(bob, "Alice Doe").waitFor();
    // Both are online: the presence dots say so.
    await conversationEntry(alice, "Bob Roe").locator(".dot.online").waitFor();
    await conversationEntry(bob, "Alice Doe").locator(".dot.online").waitFor();
  });

  it("creates a named group found by the other person", async () => {
    await alice.page.click("#new-conversation-button");
    await alice.page.getByLabel("Group", { exact: true }).check();
    await alice.page.fill("#group-name", "Weekend plans");
    await alice.page.fill("#user-search", bob.username);
    await alice.page.getByLabel(`Bob Roe (@${bob.username})`).check();
    await alice.page.click("#create-conversation");
    await alice.page.locator("#conversation-title", { hasText: "Weekend plans" }).waitFor();
    await conversationEntry(bob, "Weekend plans").waitFor();
    await conversationEntry(alice, "Bob Roe").click();
    await alice.page.locator("#conversation-title", { hasText: "Bob Roe" }).waitFor();
  });

  it("exchanges messages both ways, shown at once and reconciled into one", async () => {
    await sendFromComposer(alice, "Hello Bob, how are you?");
    await messageItem(alice, "Hello Bob").and(alice.page.locator(":not(.sending)")).waitFor();
    // Bob has not opened it yet: an unread badge.
    await conversationEntry(bob, "Alice Doe").locator(".badge", { hasText: "1" }).waitFor();
    await conversationEntry(bob, "Alice Doe").click();
    await messageItem(bob, "Hello Bob").waitFor();
    await conversationEntry(bob, "Alice Doe").locator(".badge").waitFor({ state: "detached" });

    await sendFromComposer(bob, "Hi Alice! All good.");
    await messageItem(alice, "Hi Alice!").waitFor();
    assert.equal(await messageItem(alice, "Hello Bob").count(), 1);
    assert.equal(await messageItem(bob, "Hi Alice!").count(), 1);
  });

  it("shows who is typing, and a read receipt under the sender's message", async () => {
    await bob.page.fill("#message-input", "");
    await bob.page.type("#message-input", "thinking");
    await alice.page.locator("#typing-indicator", { hasText: "Bob Roe is typing…" }).waitFor();
    await bob.page.fill("#message-input", "");
    await bob.page.locator("#message-input").blur();
    await alice.page.locator("#typing-indicator", { hasText: /^$/ }).waitFor();

    await sendFromComposer(alice, "Did you read this?");
    await messageItem(bob, "Did you read this?").waitFor();
    await messageItem(alice, "Did you read this?")
      .locator(".receipt", { hasText: "Read by Bob Roe" })
      .waitFor();
  });

  it("shows markup typed into a message as plain text", async () => {
    const markup = "<img src=x onerror=alert(1)>";
    await sendFromComposer(bob, markup);
    const item = messageItem(alice, "onerror");
    await item.waitFor();
    assert.equal(await item.locator(".content").textContent(), markup);
    assert.equal(await alice.page.locator("#message-list img").count(), 0);
    assert.deepEqual(alice.dialogs, []);
  });

  it("adds and removes reactions, seen by both", async () => {
    await messageItem(alice, "Hi Alice!").getByLabel("React with 👍").click();
    const chip = messageItem(bob, "Hi Alice!").locator(".reactions button", { hasText: "👍 1" });
    await chip.waitFor();
    await chip.click();
    await messageItem(alice, "Hi Alice!")
      .locator(".reactions button", { hasText: "👍 2" })
      .waitFor();
    await messageItem(alice, "Hi Alice!").locator('.reactions button[aria-pressed="true"]').click();
    await messageItem(bob, "Hi Alice!").locator(".reactions button", { hasText: "👍 1" }).waitFor();
  });

  it("uploads a file and the other person downloads the same bytes", async () => {
    await alice.page.setInputFiles("#file-input", {
      name: "pixel.png",
      mimeType: "image/png",
      buffer: PIXEL_PNG,
    });
    await alice.page.getByRole("button", { name: "Remove pixel.png" }).waitFor();
    await sendFromComposer(alice, "Here is the picture");
    const item = messageItem(bob, "Here is the picture");
    await item.getByRole("button", { name: "Download pixel.png" }).waitFor();
    await item.locator("img[alt='pixel.png'][src^='blob:']").waitFor();
    const [download] = await Promise.all([
      bob.page.waitForEvent("download"),
      item.getByRole("button", { name: "Download pixel.png" }).click(),
    ]);
    assert.equal(download.suggestedFilename(), "pixel.png");
    assert.deepEqual(fs.readFileSync((await download.path())!), PIXEL_PNG);
    await alice.page.screenshot({ path: screenshotPath("conversation") });
  });

  it("replies in a thread, edits and deletes", async () => {
    await messageItem(bob, "Hello Bob").getByRole("button", { name: "Reply in thread" }).click();
    await bob.page.fill("#thread-input", "A reply in the thread");
    await bob.page.press("#thread-input", "Enter");
    await bob.page
      .locator("#side-panel li.message", { hasText: "A reply in the thread" })
      .waitFor();
    await messageItem(alice, "Hello Bob").getByRole("button", { name: "1 reply" }).click();
    await alice.page
      .locator("#side-panel li.message", { hasText: "A reply in the thread" })
      .waitFor();
    await alice.page.screenshot({ path: screenshotPath("thread") });
    await alice.page.click("#side-panel-close");

    await messageItem(alice, "Did you read this?").getByRole("button", { name: "Edit" }).click();
    await alice.page.getByLabel("Edit message").fill("Did you read this? (edited)");
    await alice.page.getByLabel("Edit message").press("Enter");
    await messageItem(bob, "Did you read this? (edited)")
      .locator(".meta", { hasText: "(edited)" })
      .waitFor();

    await messageItem(alice, "Did you read this?").getByRole("button", { name: "Delete" }).click();
    await bob.page
      .locator("#message-list li.message.deleted", { hasText: "This message was deleted." })
      .waitFor();
    assert.equal(await messageItem(bob, "Did you read this?").count(), 0);
  });

  it("finds messages by search and shows the matches highlighted", async () => {
    await alice.page.fill("#search-input", "picture");
    await alice.page.press("#search-input", "Enter");
    const hit = alice.page.locator("#side-panel .search-results button", {
      hasText: "Here is the",
    });
    await hit.locator("mark", { hasText: /picture/i }).waitFor();
    await alice.page.screenshot({ path: screenshotPath("search") });
    await hit.click();
    await alice.page
      .locator("#message-list li.message.flash", { hasText: "Here is the picture" })
      .waitFor();
  });

  it("pages back through history, and keeps it across a server restart", async () => {
    const conversation = (await alice.api.get("/api/v1/conversations")).body.data.find(
      (c: { type: string }) => c.type === "direct",
    );
    for (let i = 1; i <= 60; i++) {
      const sent = await bob.api.post(`/api/v1/conversations/${conversation.id}/messages`, {
        content: `history line ${i}`,
      });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
    }
    await messageItem(alice, "history line 60").waitFor();

    const port = Number(new URL(url).port);
    await stopTestApp(app);
    await alice.page
      .locator("#connection-banner", { hasText: /Connection lost|Cannot reach/ })
      .waitFor();
    await alice.page.screenshot({ path: screenshotPath("offline-banner") });
    ({ app } = await startTestApp(embedded, { server: { http_port: port } }));
    await alice.page.locator("#connection-banner").waitFor({ state: "hidden" });
    await bob.page.locator("#connection-banner").waitFor({ state: "hidden" });

    // Live again on both sides.
    await sendFromComposer(bob, "Back after the restart");
    await messageItem(alice, "Back after the restart").waitFor();

    // A fresh load shows the newest page; scrolling up walks back to the very first message.
    await alice.page.reload();
    await conversationEntry(alice, "Bob Roe").click();
    await messageItem(alice, "Back after the restart").waitFor();
    const first = messageItem(alice, "Hello Bob");
    const shown = () => alice.page.locator("#message-list li.message").count();
    for (let i = 0; i < 10 && !(await first.count()); i++) {
      const before = await shown();
      await alice.page.locator("#message-list").evaluate((list) => (list.scrollTop = 0));
      await alice.page.waitForFunction(
        (n) => (globalThis as any).document.querySelectorAll("#message-list li.message").length > n,
        before,
      );
    }
    await first.waitFor();
    await alice.page
      .locator("#message-list .history-status", { hasText: "Start of the conversation" })
      .waitFor();
    assert.equal(await messageItem(alice, /^history line 1$/).count(), 1);
  });
});
