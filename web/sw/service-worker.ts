/**
 * The web client's service worker: shows a Web Push notification while no page of the app
 * is open (a page that is open got the message live), and focuses or opens the app when
 * it is clicked. The payload is the service's JSON (docs/protocol.md, "Push
 * notifications"): with `push.payload: ids` it has no content, so a generic text shows.
 */

/** What this worker uses of the ServiceWorkerGlobalScope (web/ is type-checked with DOM). */
import { notificationOf, PushPayload } from "./notification-text";

interface WorkerScope {
  registration: { showNotification(title: string, options: NotificationOptions): Promise<void> };
  clients: {
    matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<WindowLike[]>;
    openWindow(url: string): Promise<unknown>;
  };
  addEventListener(type: "push", listener: (event: PushLike) => void): void;
  addEventListener(type: "notificationclick", listener: (event: ClickLike) => void): void;
}
interface WindowLike {
  focus(): Promise<unknown>;
}
interface PushLike {
  data: { json(): unknown } | null;
  waitUntil(work: Promise<unknown>): void;
}
interface ClickLike {
  notification: { close(): void };
  waitUntil(work: Promise<unknown>): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.addEventListener("push", (event) => {
  let payload: PushPayload = {};
  try {
    payload = (event.data?.json() ?? {}) as PushPayload;
  } catch {
    // Not JSON: the generic text below.
  }
  const { title, body } = notificationOf(payload);
  event.waitUntil(
    scope.registration.showNotification(title, {
      body,
      tag: payload.conversation_id ?? "message",
      data: payload,
    }),
  );
});

scope.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(
    scope.clients
      .matchAll({ type: "window", includeUncontrolled: true })
      .then((windows) => (windows[0] ? windows[0].focus() : scope.clients.openWindow("/"))),
  );
});
