import type { PushDeviceRow } from "../store/push-device-repository";
import { isPermanentStatus, PushNotification, Pusher, PushResult } from "./pusher";

/**
 * The body of `POST /_matrix/push/v1/notify` (Matrix Push Gateway API): one notification
 * for one device. Without content (`push.payload: ids`) it is the spec's `event_id_only`
 * shape: ids and counts, the app fetches the message itself.
 */
export function gatewayBody(device: PushDeviceRow, notification: PushNotification): unknown {
  const full = notification.content !== undefined;
  return {
    notification: {
      event_id: notification.message_id,
      room_id: notification.conversation_id,
      ...(full
        ? {
            type: "m.room.message",
            sender: notification.sender_id,
            sender_display_name: notification.sender_name ?? undefined,
            room_name: notification.conversation_name ?? undefined,
            content: { msgtype: "m.text", body: notification.content ?? "" },
          }
        : {}),
      prio: "high",
      // The spec's count is over all of the user's rooms: the app icon's badge.
      counts: { unread: notification.total_unread_count },
      devices: [
        {
          app_id: device.app_id,
          pushkey: device.pushkey,
          pushkey_ts: Math.floor(new Date(device.updated_at).getTime() / 1000),
          data: device.data,
        },
      ],
    },
  };
}

/**
 * A Matrix push gateway (e.g. Sygnal) carries the notification to FCM or APNs; this
 * service never holds those keys. A pushkey the gateway lists in `rejected` is gone.
 */
export class GatewayPusher implements Pusher {
  constructor(private readonly options: { timeoutMs: number }) {}

  async send(device: PushDeviceRow, notification: PushNotification): Promise<PushResult> {
    let response: Response;
    try {
      response = await fetch(device.gateway_url!, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(gatewayBody(device, notification)),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: "error",
      });
    } catch (error) {
      return { ok: false, error: `gateway unreachable: ${(error as Error).message}` };
    }
    const text = await response.text().catch(() => "");
    if (!response.ok) {
      return {
        ok: false,
        permanent: isPermanentStatus(response.status),
        error: `gateway: ${response.status}`,
      };
    }
    if (rejectedPushkeys(text).includes(device.pushkey!)) {
      return { ok: false, gone: true, error: "gateway rejected the pushkey" };
    }
    return { ok: true };
  }
}

function rejectedPushkeys(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { rejected?: unknown };
    return Array.isArray(parsed.rejected) ? parsed.rejected.map(String) : [];
  } catch {
    return [];
  }
}
