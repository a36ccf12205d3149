import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { backends } from "../support/backends";
import { ensureWebBuilt, launchBrowser, openPage, screenshotPath } from "../support/browser";
import { startTestApp } from "../support/test-app";
import {
  BrowserUser,
  conversationEntry,
  messageItem,
  registerInBrowser,
  sendFromComposer,
} from "../support/web-pages";

const embedded = backends().find((b) => b.name === "embedded")!;

// Mentions, badges, ticks, the unread marker and notification settings, as two people see them.
describe("web client in Chromium: mentions, ticks and unread state [embedded]", function () {
  this.timeout(120_000);
  let browser: Browser;
  let url: string;
  let alice: BrowserUser;
  let bob: BrowserUser;

  before(async function () {
    this.timeout(120_000);
    await ensureWebBuilt();
    browser = await launchBrowser();
    ({ url } = await startTestApp(embedded));
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(() => {
    for (const user of [alice, bob]) {
      if (!user) continue;
      assert.deepEqual(user.problems, [], `${user.displayName}: ${user.problems.join("; ")}`);
    }
  });

  it("shows sent, delivered and read ticks in a direct conversation", async () => {
    alice = await registerInBrowser(await openPage(browser, url), url, "Alice Doe");
    bob = await registerInBrowser(await openPage(browser, url), url, "Bob Roe");
    await alice.page.click("#new-conversation-button");
    await alice.page.fill("#user-search", bob.username);
    await alice.page.getByLabel(`Bob Roe (@${bob.username})`).check();
    await alice.page.click("#create-conversation");
    await alice.page.locator("#conversation-title", { hasText: "Bob Roe" }).waitFor();
    await conversationEntry(bob, "Alice Doe").waitFor();

    await sendFromComposer(alice, "Are you there?");
    // Bob's client has it (delivered) but he has not opened the conversation.
    await messageItem(alice, "Are you there?")
      .locator(".receipt", { hasText: "✓✓ Delivered" })
      .waitFor();
    await conversationEntry(bob, "Alice Doe").click();
    await messageItem(alice, "Are you there?")
      .locator(".receipt", { hasText: "✓✓ Read by Bob Roe" })
      .waitFor();
    await alice.page.screenshot({ path: screenshotPath("ticks") });
  });

  it("highlights a mention and counts it in the other person's sidebar", async () => {
    await alice.page.click("#new-conversation-button");
    await alice.page.getByLabel("Group", { exact: true }).check();
    await alice.page.fill("#group-name", "Launch");
    await alice.page.fill("#user-search", bob.username);
    await alice.page.getByLabel(`Bob Roe (@${bob.username})`).check();
    await alice.page.click("#create-conversation");
    await alice.page.locator("#conversation-title", { hasText: "Launch" }).waitFor();
    await sendFromComposer(alice, `@${bob.username} can you review?`);
    await conversationEntry(bob, "Launch").locator(".badge.mention", { hasText: "@1" }).waitFor();
    await conversationEntry(bob, "Launch").click();
    const item = messageItem(bob, "can you review?");
    await item.and(bob.page.locator(".mentioned")).waitFor();
    assert.equal(await item.locator(".mention").textContent(), `@${bob.username}`);
    await conversationEntry(bob, "Launch").locator(".badge").first().waitFor({ state: "detached" });
  });

  it("marks a message unread: the marker line shows and the badge comes back after leaving", async () => {
    await sendFromComposer(alice, "Second point");
    await messageItem(bob, "Second point").waitFor();
    await messageItem(bob, "can you review?").getByRole("button", { name: "Mark unread" }).click();
    await bob.page.locator(".unread-marker").waitFor();
    const order = await bob.page
      .locator("#message-list > li")
      .evaluateAll((items) => items.map((li) => li.className));
    const marker = order.indexOf("unread-marker");
    assert.ok(marker >= 0 && order[marker + 1].includes("mentioned"), order.join(" | "));
    await bob.page.locator("#conversation-list button[aria-label^='Alice Doe']").click();
    await conversationEntry(bob, "Launch").locator(".badge", { hasText: "2" }).waitFor();
    await bob.page.screenshot({ path: screenshotPath("mark-unread") });
  });

  it("sets the level and mutes a conversation from its header", async () => {
    await conversationEntry(bob, "Launch").click();
    await bob.page.locator("#conversation-title", { hasText: "Launch" }).waitFor();
    assert.equal(await bob.page.locator("#notification-level").inputValue(), "mentions");
    await bob.page.selectOption("#notification-level", "all");
    await bob.page.locator("#mute-button").click();
    await bob.page.locator("#mute-button", { hasText: "Unmute" }).waitFor();
    await bob.page.locator("#conversation-list button[aria-label*='muted']").waitFor();
    assert.match(
      (await conversationEntry(bob, "Launch").getAttribute("aria-label")) ?? "",
      /muted/,
    );
  });
});
