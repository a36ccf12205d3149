import type { OperationKey } from "./rest-base.js";
import { Body, Ok, Query } from "./rest-base.js";
import { NotificationRestApi } from "./notification-api.js";

/**
 * Push notifications for offline members (docs/protocol.md, "Push notifications"): a
 * browser registers its PushSubscription (subscribed with `webPushKey()`), a mobile app a
 * pusher at its Matrix push gateway.
 */
export class PushRestApi extends NotificationRestApi {
  /** The VAPID public key to pass as `applicationServerKey` to `pushManager.subscribe`. */
  webPushKey(): Promise<Ok<"/api/v1/push/vapid-public-key", "get">> {
    return this.call((baseUrl) => this.raw.GET("/api/v1/push/vapid-public-key", { baseUrl }));
  }
  /** Registers a device (201), or finds it registered before (200). */
  registerPushDevice(
    body: Body<"/api/v1/push/devices", "post">,
  ): Promise<Ok<"/api/v1/push/devices", "post">> {
    return this.call((baseUrl) => this.raw.POST("/api/v1/push/devices", { baseUrl, body }));
  }
  pushDevices(
    query: Query<"/api/v1/push/devices", "get"> = {},
  ): Promise<Ok<"/api/v1/push/devices", "get">> {
    const params = { query };
    return this.call((baseUrl) => this.raw.GET("/api/v1/push/devices", { baseUrl, params }));
  }
  removePushDevice(id: string): Promise<void> {
    const params = { path: { id } };
    return this.call((baseUrl) =>
      this.raw.DELETE("/api/v1/push/devices/{id}", { baseUrl, params }),
    );
  }
}

/** The methods behind issue #17's push operations (spread into REST_OPERATIONS). */
export const PUSH_REST_OPERATIONS = {
  "GET /api/v1/push/vapid-public-key": "webPushKey",
  "POST /api/v1/push/devices": "registerPushDevice",
  "GET /api/v1/push/devices": "pushDevices",
  "DELETE /api/v1/push/devices/{id}": "removePushDevice",
} as const satisfies Partial<Record<OperationKey, keyof PushRestApi>>;
