import assert from "node:assert/strict";
import type { Browser } from "playwright-core";
import { backends } from "../support/backends";
import { ensureWebBuilt, launchBrowser, openPage, WatchedPage } from "../support/browser";
import { waitUntil } from "../support/event-helpers";
import { registerUser } from "../support/factories";
import { privateDatabase, PrivateDatabase } from "../support/private-database";
import { browserKeys, decryptWebPush, PushPeer } from "../support/push-peers";
import { startTestApp } from "../support/test-app";
import { BrowserUser, registerInBrowser } from "../support/web-pages";

const embedded = backends().find((b) => b.name === "embedded")!;

interface Stub {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/**
 * Runs in the page before the app (plain JS text: a compiled function could carry helpers
 * the page lacks). Chromium's own push service is Google's (unreachable here), so
 * `pushManager.subscribe` answers with a subscription at the test push service whose keys
 * the test holds; `Notification` records what the app shows; the tab can be hidden on
 * demand. Everything else (service worker registration, the REST calls) is real.
 */
function stubBrowser({ endpoint, p256dh, auth }: Stub): string {
  const subscription = JSON.stringify({ endpoint, expirationTime: null, keys: { p256dh, auth } });
  return `(() => {
    window.__shown = [];
    let permission = "default";
    function RecordingNotification(title, options) {
      window.__shown.push({ title, body: options && options.body, tag: options && options.tag });
    }
    Object.defineProperty(RecordingNotification, "permission", { get: () => permission });
    RecordingNotification.requestPermission = async () => (permission = "granted");
    window.Notification = RecordingNotification;
    let hidden = false;
    Object.defineProperty(document, "visibilityState", { get: () => (hidden ? "hidden" : "visible") });
    window.__hide = () => {
      hidden = true;
      document.dispatchEvent(new Event("visibilitychange"));
    };
    const json = ${subscription};
    const subscription = { endpoint: json.endpoint, toJSON: () => json };
    PushManager.prototype.subscribe = async () => subscription;
    PushManager.prototype.getSubscription = async () => null;
  })();`;
}

describe("web client in Chromium: desktop notifications and Web Push [embedded]", function () {
  this.timeout(120_000);
  let browser: Browser;
  let database: PrivateDatabase;
  let pushService: PushPeer;
  let url: string;

  before(async function () {
    this.timeout(120_000);
    await ensureWebBuilt();
    browser = await launchBrowser();
    database = await privateDatabase(embedded);
    pushService = await PushPeer.start(201);
    ({ url } = await startTestApp(embedded, {
      database: { url: database.url },
      push: { allow_http: true, grace: "300ms", poll_interval: "100ms" },
      presence: { offline_grace: "200ms" },
    }));
  });
  after(async () => {
    await browser?.close();
    await pushService?.close();
    await database?.drop();
  });

  it("turns notifications on, notifies while the tab is hidden, and pushes a mention once it is closed that the service worker shows", async () => {
    const keys = browserKeys();
    const stub = {
      endpoint: `${pushService.origin}/push/chromium-1`,
      p256dh: keys.p256dh,
      auth: keys.auth,
    };
    const page: WatchedPage = await openPage(browser, url, async (context) => {
      await context.grantPermissions(["notifications"], { origin: url });
      await context.addInitScript(stubBrowser(stub));
    });
    const bob: BrowserUser = await registerInBrowser(page, url, "Bob Away");
    const alice = await registerUser(url, "alice");
    const group = await alice.api.post("/api/v1/conversations", {
      type: "group",
      name: "Push test",
      member_ids: [bob.id],
    });
    assert.equal(group.status, 201);

    await page.page.click("#notifications-button");
    await page.page.locator("#notifications-button", { hasText: "Notifications on" }).waitFor();
    await waitUntil(
      async () => (await bob.api.get("/api/v1/push/devices")).body.data.length === 1,
      "the browser's subscription is registered",
    );
    const [device] = (await bob.api.get("/api/v1/push/devices")).body.data;
    assert.equal(device.endpoint, stub.endpoint);

    // Open but hidden: the tab got the message live, so it notifies (no push).
    await page.page.evaluate(() => (globalThis as any).__hide());
    const live = `/api/v1/conversations/${group.body.id}/messages`;
    assert.equal((await alice.api.post(live, { content: "are you around?" })).status, 201);
    await page.page.waitForFunction(() => (globalThis as any).__shown.length === 1);
    const [shown] = await page.page.evaluate(() => (globalThis as any).__shown);
    assert.equal(shown.body, "are you around?");
    assert.equal(shown.tag, group.body.id);

    // Closed: nobody saw the mention, so it goes to the push service.
    const blank = await page.context.newPage();
    await page.page.close();
    await waitUntil(
      async () =>
        (await alice.api.get(`/api/v1/users/${bob.id}/presence`)).body.status === "offline",
      "bob is offline",
    );
    const mention = await alice.api.post(live, { content: `@${bob.username} the meeting moved` });
    assert.equal(mention.status, 201);
    await pushService.waitFor((r) => r.length === 1, "a push for bob");
    const decrypted = decryptWebPush(pushService.requests[0].body, keys);
    const payload = JSON.parse(decrypted);
    assert.equal(payload.message_id, mention.body.id);
    assert.equal(payload.content, `@${bob.username} the meeting moved`);
    assert.equal(payload.conversation_name, "Push test");
    assert.equal(payload.sender_id, alice.id);

    // What the push service got, handed to the app's service worker as Chromium's push
    // service would (DevTools protocol): it shows the notification.
    const cdp = await page.context.newCDPSession(blank);
    const registered = new Promise<string>((resolve) =>
      cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
        const found = registrations.find((r) => r.scopeURL.startsWith(url) && !r.isDeleted);
        if (found) resolve(found.registrationId);
      }),
    );
    await cdp.send("ServiceWorker.enable");
    await cdp.send("ServiceWorker.deliverPushMessage", {
      origin: new URL(url).origin,
      registrationId: await registered,
      data: decrypted,
    });
    await blank.goto(`${url}/favicon.svg`);
    const fromWorker = await blank.waitForFunction(async () => {
      const nav = (globalThis as any).navigator;
      const registration = await nav.serviceWorker.getRegistration("/build/");
      const [notification] = registration ? await registration.getNotifications() : [];
      return notification && { title: notification.title, body: notification.body };
    });
    assert.deepEqual(await fromWorker.jsonValue(), {
      title: `${payload.sender_name} in Push test`,
      body: `@${bob.username} the meeting moved`,
    });
    assert.deepEqual(page.problems, []);
  });
});
