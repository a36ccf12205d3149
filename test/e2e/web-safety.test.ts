import assert from "node:assert/strict";
import fs from "node:fs";
import type { Browser } from "playwright-core";
import type { App } from "../../lib/app";
import { backends } from "../support/backends";
import { ensureWebBuilt, launchBrowser, openPage } from "../support/browser";
import { waitUntil } from "../support/event-helpers";
import { startTestApp } from "../support/test-app";
import {
  BrowserUser,
  conversationEntry,
  messageItem,
  PASSWORD,
  registerInBrowser,
} from "../support/web-pages";

const embedded = backends().find((b) => b.name === "embedded")!;

// One story, in order: reporting and blocking someone, exporting one's data, signing out
// everywhere and deleting the account, from the web client.
describe("web client in Chromium: safety and the account [embedded]", function () {
  this.timeout(120_000);
  let browser: Browser;
  let app: App;
  let url: string;
  let alice: BrowserUser;
  let bob: BrowserUser;
  let group: string;

  before(async function () {
    this.timeout(120_000);
    await ensureWebBuilt();
    browser = await launchBrowser();
    ({ app, url } = await startTestApp(embedded, { accounts: { job_poll_interval: "200ms" } }));
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(function () {
    for (const user of [alice, bob]) {
      if (!user) continue;
      assert.deepEqual(user.problems, [], `${user.displayName}: ${user.problems.join("; ")}`);
      assert.deepEqual(
        user.dialogs.filter((d) => !d.startsWith("confirm")),
        [],
      );
    }
  });

  it("reports a message with a reason and a note", async () => {
    alice = await registerInBrowser(await openPage(browser, url), url, "Alice Safe");
    bob = await registerInBrowser(await openPage(browser, url), url, "Bob Rude");
    const created = await bob.api.post("/api/v1/conversations", {
      type: "group",
      name: "Neighbours",
      member_ids: [alice.id],
    });
    group = created.body.id;
    await bob.api.post(`/api/v1/conversations/${group}/messages`, { content: "you again?!" });
    await conversationEntry(alice, "Neighbours").click();
    const item = messageItem(alice, "you again?!");
    await item.waitFor();
    await item.getByRole("button", { name: "Report" }).click();
    await alice.page.selectOption("#report-reason", "harassment");
    await alice.page.fill("#report-note", "every single day");
    await alice.page.click("#report-submit");
    await alice.page.locator("#connection-banner", { hasText: "reported" }).waitFor();
    const reports = await app.database.knex("reports").where({ reporter_id: alice.id });
    assert.equal(reports.length, 1);
    assert.equal(reports[0].reason, "harassment");
    assert.equal(reports[0].note, "every single day");
    assert.equal(reports[0].message.content, "you again?!");
  });

  it("blocks the sender: their messages fold away and new ones never arrive", async () => {
    await messageItem(alice, "you again?!").getByRole("button", { name: "Block" }).click();
    const folded = alice.page.locator("#message-list li.message.blocked");
    await folded.locator(".content", { hasText: "someone you blocked" }).waitFor();
    await bob.api.post(`/api/v1/conversations/${group}/messages`, { content: "hello??" });
    await alice.api.post(`/api/v1/conversations/${group}/messages`, { content: "marker from me" });
    await messageItem(alice, "marker from me").waitFor();
    assert.equal(await alice.page.locator("#message-list", { hasText: "hello??" }).count(), 0);
    // Shown on request.
    await folded.first().getByRole("button", { name: "Show" }).click();
    await messageItem(alice, "you again?!").waitFor();

    await alice.page.click("#account-button");
    await alice.page.locator("#blocked-list li", { hasText: "Bob Rude (block)" }).waitFor();
    await alice.page.click("#account-close");
  });

  it("exports the user's data as a zip through the download link", async () => {
    await alice.page.click("#account-button");
    await alice.page.click("#export-button");
    const link = alice.page.locator("#export-link");
    await link.waitFor({ state: "visible" });
    const [download] = await Promise.all([alice.page.waitForEvent("download"), link.click()]);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    assert.equal(bytes.subarray(0, 2).toString(), "PK", "a zip archive");
    assert.match(download.suggestedFilename(), /^messaging-export-.*\.zip$/);
    await alice.page.click("#account-close");
  });

  it("signs out everywhere: back to the login, every earlier token refused", async () => {
    const secondTab = await bob.context.newPage();
    await secondTab.goto(url);
    await secondTab.locator("#chat-screen").waitFor({ state: "visible" });
    await bob.page.click("#account-button");
    await bob.page.click("#sign-out-everywhere");
    await bob.page
      .locator("#login-error", { hasText: "You signed out everywhere." })
      .waitFor({ state: "visible" });
    assert.equal((await bob.api.get("/api/v1/users/me")).status, 401);
    // The other tab's session ended too: its connection was closed and its token refused.
    await secondTab.locator("#login-screen").waitFor({ state: "visible" });
    await secondTab.close();
  });

  it("deletes the account with the password: signed out, the data erased", async () => {
    await alice.page.click("#account-button");
    await alice.page.fill("#delete-password", "not the password");
    await alice.page.click("#delete-account-button");
    await alice.page.locator("#account-error", { hasText: "wrong" }).waitFor();
    await alice.page.fill("#delete-password", PASSWORD);
    await alice.page.click("#delete-account-button");
    await alice.page
      .locator("#login-error", { hasText: "Your account was deleted." })
      .waitFor({ state: "visible" });
    assert.equal((await alice.api.get("/api/v1/users/me")).status, 401);
    await waitUntil(
      async () =>
        Boolean((await app.database.knex("users").where({ id: alice.id }).first()).erased_at),
      "the erasure is done",
    );
    const messages = await app.database.knex("messages").where({ sender_id: alice.id });
    assert.ok(messages.every((m: { content: unknown }) => m.content === null));
  });
});
