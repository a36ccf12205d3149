import Joi from "joi";
import { jsonObject, pageQuery, text } from "../../validation";

/** The path every Matrix push gateway serves (Push Gateway API r0 / v1). */
export const GATEWAY_PATH = "/_matrix/push/v1/notify";

const base64url = (bytes: number, what: string) =>
  Joi.string()
    .pattern(/^[A-Za-z0-9_-]+={0,2}$/)
    .custom((value: string, helpers) => {
      const raw = Buffer.from(value, "base64url");
      if (raw.length !== bytes || (bytes === 65 && raw[0] !== 4)) {
        return helpers.message({ custom: `{{#label}} must be ${what}` });
      }
      return value;
    });

const url = (allowHttp: boolean) =>
  Joi.string()
    .uri({ scheme: allowHttp ? ["http", "https"] : ["https"] })
    .max(2000);

export interface WebPushInput {
  kind: "webpush";
  endpoint: string;
  keys: { p256dh: string; auth: string };
  description?: string;
}

export interface GatewayInput {
  kind: "gateway";
  gateway_url: string;
  app_id: string;
  pushkey: string;
  data?: Record<string, unknown>;
  description?: string;
}

export type DeviceInput = WebPushInput | GatewayInput;

/**
 * A device registration: a browser's PushSubscription (`toJSON()` plus `kind`), or a
 * Matrix-style pusher of a mobile app whose gateway (e.g. Sygnal) holds the FCM/APNs keys.
 * @param allowHttp push.allow_http: http:// URLs too (tests, private networks)
 */
export function deviceSchema(allowHttp: boolean): Joi.ObjectSchema<DeviceInput> {
  return Joi.object<DeviceInput>({
    kind: Joi.string().valid("webpush", "gateway").required(),
    description: text(1, 200),
    endpoint: Joi.when("kind", {
      is: "webpush",
      then: url(allowHttp).required(),
      otherwise: Joi.forbidden(),
    }),
    keys: Joi.when("kind", {
      is: "webpush",
      then: Joi.object({
        p256dh: base64url(65, "an uncompressed P-256 public key (65 bytes, base64url)").required(),
        auth: base64url(16, "16 bytes, base64url").required(),
      }).required(),
      otherwise: Joi.forbidden(),
    }),
    // The whole notify URL, as Matrix pushers give it in `data.url`.
    gateway_url: Joi.when("kind", {
      is: "gateway",
      then: url(allowHttp)
        .pattern(/\/_matrix\/push\/v1\/notify$/, "a Matrix push gateway notify URL")
        .required(),
      otherwise: Joi.forbidden(),
    }),
    app_id: Joi.when("kind", {
      is: "gateway",
      then: Joi.string()
        .pattern(/^[A-Za-z0-9._-]{1,64}$/)
        .required(),
      otherwise: Joi.forbidden(),
    }),
    pushkey: Joi.when("kind", {
      is: "gateway",
      then: Joi.string().min(1).max(512).required(),
      otherwise: Joi.forbidden(),
    }),
    // Passed through to the gateway in `devices[].data` (e.g. `format`, `default_payload`).
    data: Joi.when("kind", {
      is: "gateway",
      then: jsonObject(4096),
      otherwise: Joi.forbidden(),
    }),
  }).required();
}

export const deviceListSchema = Joi.object(pageQuery);
