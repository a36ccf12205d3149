import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { backends } from "../support/backends";
import { ensureWebBuilt, launchBrowser, openPage } from "../support/browser";
import { RealtimeSwitch } from "../support/realtime-switch";
import { startTestApp } from "../support/test-app";
import {
  BrowserUser,
  conversationEntry,
  messageItem,
  registerInBrowser,
  sendFromComposer,
} from "../support/web-pages";

const embedded = backends().find((b) => b.name === "embedded")!;

// The SDK's outbox in a real browser: sends are kept in IndexedDB until acknowledged.
describe("web client in Chromium: the outbox across a lost connection, a reload and a refusal [embedded]", function () {
  this.timeout(120_000);
  let browser: Browser;
  let alice: BrowserUser;
  let bob: BrowserUser;
  let realtime: RealtimeSwitch;
  let conversationId: string;

  before(async function () {
    this.timeout(120_000);
    await ensureWebBuilt();
    browser = await launchBrowser();
    const { url } = await startTestApp(embedded);
    const alicePage = await openPage(browser, url, async (context) => {
      realtime = await RealtimeSwitch.install(context);
    });
    alice = await registerInBrowser(alicePage, url, "Alice Doe");
    bob = await registerInBrowser(await openPage(browser, url), url, "Bob Roe");
    const created = await alice.api.post("/api/v1/conversations", {
      type: "direct",
      member_ids: [bob.id],
    });
    conversationId = created.body.id;
    await conversationEntry(alice, "Bob Roe").click();
    await conversationEntry(bob, "Alice Doe").click();
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(() => {
    for (const user of [alice, bob]) assert.deepEqual(user?.problems ?? [], []);
  });

  it("keeps a message written while offline through a reload and delivers it once", async () => {
    const text = "written while the connection was down";
    await realtime.cut();
    await alice.page.locator("#connection-banner", { hasText: "Connection lost" }).waitFor();
    await sendFromComposer(alice, text);
    await pending(alice, text).waitFor();
    assert.deepEqual(await outboxContents(alice), [text]);

    // Reloaded while still cut off: the page comes back with the message pending.
    await alice.page.reload();
    await conversationEntry(alice, "Bob Roe").click();
    await pending(alice, text).waitFor();
    assert.equal(await storedCount(conversationId, text), 0);

    realtime.restore();
    await delivered(alice, text).waitFor();
    await messageItem(bob, text).waitFor();
    await assertOnce(text);
  });

  it("sends again after a reload when the ack was lost, and the message exists once", async () => {
    const text = "stored, but its ack never came back";
    realtime.deaf = true;
    await sendFromComposer(alice, text);
    await pending(alice, text).waitFor();
    await until(async () => (await storedCount(conversationId, text)) > 0);
    assert.equal(await storedCount(conversationId, text), 1, "the service stored it");
    assert.deepEqual(await outboxContents(alice), [text], "still waiting for its ack");

    realtime.restore();
    await alice.page.reload();
    await conversationEntry(alice, "Bob Roe").click();
    await delivered(alice, text).waitFor();
    await messageItem(bob, text).waitFor();
    await assertOnce(text);
  });

  it("shows a send the service refuses as not sent, and discards it", async () => {
    const text = "a bell \u0007 is a control character";
    await sendFromComposer(alice, text);
    const item = messageItem(alice, "a bell");
    await item.locator(".meta", { hasText: "Not sent." }).waitFor();
    await alice.page.locator("#connection-banner", { hasText: "Message not sent" }).waitFor();
    assert.deepEqual(await outboxContents(alice), [text], "kept for a retry");
    await item.getByRole("button", { name: "Discard" }).click();
    await item.waitFor({ state: "detached" });
    assert.deepEqual(await outboxContents(alice), []);
    assert.equal(await storedCount(conversationId, text), 0);
  });

  /** Shown once to both, not pending; stored once; the outbox is empty again. */
  async function assertOnce(text: string): Promise<void> {
    await until(async () => (await outboxContents(alice)).length === 0);
    assert.deepEqual(await outboxContents(alice), [], "the outbox is empty again");
    assert.equal(await messageItem(alice, text).count(), 1);
    assert.equal(await messageItem(bob, text).count(), 1);
    assert.equal(await storedCount(conversationId, text), 1);
  }

  async function storedCount(id: string, text: string): Promise<number> {
    const res = await bob.api.get(`/api/v1/conversations/${id}/messages?limit=100`);
    assert.equal(res.status, 200);
    return res.body.data.filter((m: { content: string }) => m.content === text).length;
  }
});

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
}

function pending(user: BrowserUser, text: string) {
  return messageItem(user, text).and(user.page.locator(".sending"));
}

/** Stored messages carry their seq; pending ones do not. */
function delivered(user: BrowserUser, text: string) {
  return messageItem(user, text).and(user.page.locator("[data-seq]"));
}

/** The contents of the entries in the page's IndexedDB outbox. */
function outboxContents(user: BrowserUser): Promise<string[]> {
  return user.page.evaluate(
    (name) =>
      new Promise<string[]>((resolve, reject) => {
        const request = (globalThis as any).indexedDB.open(name);
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          try {
            const store = request.result.transaction("outbox").objectStore("outbox");
            const all = store.getAll();
            all.onsuccess = () => resolve(all.result.map((e: { content: string }) => e.content));
          } catch (error) {
            reject(error); // no outbox store: the page never opened one
          }
        };
      }),
    `messaging-outbox:${user.id}`,
  );
}
