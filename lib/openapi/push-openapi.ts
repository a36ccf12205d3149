import { nullable, object, pageOf, time, uuid, withOptional } from "./components";
import { Operation, errors, ok, page, ref } from "./operation-helpers";

const OWNER = "A device is its owner's alone: anyone else gets 404.";
const base64url = (description: string) => ({
  type: "string",
  pattern: "^[A-Za-z0-9_-]+={0,2}$",
  description,
});

const WEB_PUSH_BODY = {
  type: "object",
  required: ["kind", "endpoint", "keys"],
  description: "A browser's PushSubscription (its toJSON()) plus kind",
  properties: {
    kind: { const: "webpush" },
    endpoint: {
      type: "string",
      format: "uri",
      maxLength: 2000,
      description: "https (http too with push.allow_http)",
    },
    keys: {
      type: "object",
      required: ["p256dh", "auth"],
      properties: {
        p256dh: base64url("The subscription's P-256 public key, uncompressed (65 bytes)"),
        auth: base64url("The subscription's auth secret (16 bytes)"),
      },
    },
    description: { type: "string", maxLength: 200 },
  },
};

const GATEWAY_BODY = {
  type: "object",
  required: ["kind", "gateway_url", "app_id", "pushkey"],
  description: "A Matrix-style pusher: the gateway (e.g. Sygnal) holds the FCM/APNs keys",
  properties: {
    kind: { const: "gateway" },
    gateway_url: {
      type: "string",
      format: "uri",
      pattern: "/_matrix/push/v1/notify$",
      description: "The gateway's notify URL",
    },
    app_id: { type: "string", pattern: "^[A-Za-z0-9._-]{1,64}$" },
    pushkey: { type: "string", minLength: 1, maxLength: 512 },
    data: { type: "object", description: "Sent to the gateway as devices[].data (≤ 4 KiB)" },
    description: { type: "string", maxLength: 200 },
  },
};

/** Component schemas of push devices. */
export const PUSH_SCHEMAS = {
  PushDevice: withOptional(
    object({
      id: uuid,
      kind: { enum: ["webpush", "gateway"] },
      description: nullable({ type: "string" }),
      created_at: time,
      updated_at: time,
    }),
    {
      endpoint: { type: "string", description: "webpush only" },
      gateway_url: { type: "string", description: "gateway only" },
      app_id: { type: "string", description: "gateway only" },
      pushkey: { type: "string", description: "gateway only" },
      data: { type: "object", description: "gateway only" },
    },
  ),
  PushDevicePage: pageOf("PushDevice"),
};

/** The push device routes (docs/protocol.md, "Push notifications"). */
export const PUSH_OPERATIONS: Record<string, Record<string, Operation>> = {
  "/api/v1/push/devices": {
    post: {
      summary: "Register a device for push notifications",
      description:
        "The same endpoint (or app_id and pushkey) registered again is the same device: 200, taken over by the caller when another user had it. At most 50 devices per user (409).",
      body: { oneOf: [WEB_PUSH_BODY, GATEWAY_BODY] },
      responses: {
        ...ok(201, "Registered", ref("PushDevice")),
        ...ok(200, "Registered before", ref("PushDevice")),
        ...errors(400, 409),
      },
    },
    get: {
      summary: "The caller's push devices",
      parameters: page,
      responses: { ...ok(200, "Devices", ref("PushDevicePage")), ...errors(400) },
    },
  },
  "/api/v1/push/devices/{id}": {
    delete: {
      summary: "Remove a push device",
      description: OWNER,
      responses: { ...ok(204, "Removed"), ...errors(400, 404) },
    },
  },
  "/api/v1/push/vapid-public-key": {
    get: {
      summary: "The VAPID public key browsers subscribe with (applicationServerKey)",
      responses: ok(
        200,
        "Key",
        object({ vapid_public_key: base64url("Uncompressed P-256 public key (65 bytes)") }),
      ),
    },
  },
};
