import webpush from "web-push";
import type { PushDeviceRow } from "../store/push-device-repository";
import { isPermanentStatus, PushNotification, Pusher, PushResult } from "./pusher";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

export interface WebPusherOptions {
  vapid: () => Promise<VapidKeys>;
  timeoutMs: number;
  /** push.ttl: how long the push service keeps the message for a device that is off. */
  ttlMs: number;
}

/** What the service worker receives (JSON, encrypted per RFC 8291 by `web-push`). */
export function webPushBody(notification: PushNotification): string {
  return JSON.stringify({ type: "message.new", ...notification });
}

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291):
 * the `web-push` library encrypts and signs, fetch sends. The Topic header is the conversation: a push service
 * that still holds an undelivered notification of it replaces it with the newer one.
 */
export class WebPusher implements Pusher {
  constructor(private readonly options: WebPusherOptions) {}

  async send(device: PushDeviceRow, notification: PushNotification): Promise<PushResult> {
    const vapid = await this.options.vapid();
    let request: webpush.RequestDetails & { body: Buffer };
    try {
      request = webpush.generateRequestDetails(
        { endpoint: device.endpoint!, keys: { p256dh: device.p256dh!, auth: device.auth! } },
        webPushBody(notification),
        {
          vapidDetails: vapid,
          TTL: Math.floor(this.options.ttlMs / 1000),
          urgency: "high",
          topic: notification.conversation_id.replace(/-/g, ""),
          contentEncoding: "aes128gcm",
        },
      );
    } catch (error) {
      // Keys the library cannot use: no try will ever succeed.
      return { ok: false, permanent: true, error: `web push: ${(error as Error).message}` };
    }
    return this.post(request);
  }

  /** The library encrypts and signs; the request goes out by fetch (http:// too, when allowed). */
  private async post(request: webpush.RequestDetails & { body: Buffer }): Promise<PushResult> {
    let response: Response;
    try {
      response = await fetch(request.endpoint, {
        method: "POST",
        headers: headersOf(request.headers),
        body: request.body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: "error",
      });
    } catch (error) {
      return { ok: false, error: `push service unreachable: ${(error as Error).message}` };
    }
    await response.arrayBuffer().catch(() => undefined);
    const { status } = response;
    if (response.ok) return { ok: true };
    if (status === 404 || status === 410) {
      return { ok: false, gone: true, error: `push service: ${status} (subscription expired)` };
    }
    return { ok: false, permanent: isPermanentStatus(status), error: `push service: ${status}` };
  }
}

/** The library's headers as fetch takes them (fetch sets Content-Length itself). */
function headersOf(headers: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => name.toLowerCase() !== "content-length")
      .map(([name, value]) => [name, String(value)]),
  );
}
