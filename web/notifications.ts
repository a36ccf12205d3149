import type { Message, RestApi } from "../client/src/index";
import { byId } from "./dom";

/** Where the bundle puts the service worker (scripts/build-web.ts). */
const WORKER_URL = "/build/sw.js";

const supported = () =>
  "Notification" in globalThis && "serviceWorker" in navigator && "PushManager" in globalThis;

/**
 * Desktop notifications: while this tab is open but hidden, a message from someone else
 * shows a notification (Notification API); once no tab is open, the service delivers Web
 * Push to this browser's subscription, registered here after the user turns them on.
 */
export class DesktopNotifications {
  private readonly button = byId<HTMLButtonElement>("notifications-button");

  constructor(
    private readonly rest: RestApi,
    private readonly meId: string,
    private readonly senderName: (id: string) => string,
  ) {
    this.button.hidden = !supported();
    this.button.addEventListener("click", () => void this.enable());
  }

  /** Renews the subscription of a browser that allowed notifications before. */
  start(): void {
    if (supported() && Notification.permission === "granted") void this.subscribe();
    this.render();
  }

  /** A message arrived live: notify when the tab is hidden and it is someone else's. */
  arrived(message: Message): void {
    if (!supported() || Notification.permission !== "granted") return;
    if (document.visibilityState !== "hidden" || message.sender_id === this.meId) return;
    new Notification(this.senderName(message.sender_id), {
      body: message.content ?? "",
      tag: message.conversation_id,
    });
  }

  private async enable(): Promise<void> {
    if ((await Notification.requestPermission()) === "granted") await this.subscribe();
    this.render();
  }

  private async subscribe(): Promise<void> {
    try {
      const registration = await navigator.serviceWorker.register(WORKER_URL);
      const { vapid_public_key } = await this.rest.webPushKey();
      const subscription =
        (await registration.pushManager.getSubscription()) ??
        (await registration.pushManager.subscribe({
          userVisibleOnly: true,
          // The spec takes the key as base64url text as well as bytes.
          applicationServerKey: vapid_public_key,
        }));
      const { endpoint, keys } = subscription.toJSON();
      if (!endpoint || !keys?.p256dh || !keys.auth) return;
      await this.rest.registerPushDevice({
        kind: "webpush",
        endpoint,
        keys: { p256dh: keys.p256dh, auth: keys.auth },
        description: navigator.userAgent.slice(0, 200),
      });
    } catch {
      // No push service here (or it refused): notifications still show while a tab is open.
    }
  }

  private render(): void {
    const granted = supported() && Notification.permission === "granted";
    this.button.textContent = granted ? "Notifications on" : "Notifications";
    this.button.disabled = granted || (supported() && Notification.permission === "denied");
  }
}
