import { createHmac, randomBytes } from "node:crypto";

const SECRET_PREFIX = "whsec_";

/** A new signing secret in the Standard Webhooks format: `whsec_` + base64 of 24 random bytes. */
export function newSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString("base64");
}

/** The HMAC key of a secret: `whsec_…` is base64 (Standard Webhooks), anything else its UTF-8. */
function keyOf(secret: string): Buffer {
  return secret.startsWith(SECRET_PREFIX)
    ? Buffer.from(secret.slice(SECRET_PREFIX.length), "base64")
    : Buffer.from(secret, "utf8");
}

/**
 * The Standard Webhooks headers of one request: `webhook-id` (the event id, the same on
 * every retry), `webhook-timestamp` (Unix seconds of this try) and `webhook-signature`
 * (`v1,` + base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`). Any Standard Webhooks library
 * verifies them; docs/integrations.md shows the check in a few lines of Node.
 */
export function signatureHeaders(
  secret: string,
  id: string,
  body: string,
  now = new Date(),
): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const signature = createHmac("sha256", keyOf(secret))
    .update(`${id}.${timestamp}.${body}`)
    .digest("base64");
  return {
    "webhook-id": id,
    "webhook-timestamp": timestamp,
    "webhook-signature": `v1,${signature}`,
  };
}
