// An app's webhook endpoint, for docs/integrations.md: verifies each delivery's Standard
// Webhooks signature with node:crypto, prints the event, and answers `command.invoked`
// with a message the bot posts. Usage:
//   WEBHOOK_SECRETS=whsec_…,whsec_… PORT=4000 node scripts/example-webhook-receiver.mjs
import crypto from "node:crypto";
import http from "node:http";

const keys = (process.env.WEBHOOK_SECRETS ?? "")
  .split(",")
  .filter(Boolean)
  .map((secret) => Buffer.from(secret.replace(/^whsec_/, ""), "base64"));
const TOLERANCE_SECONDS = 5 * 60;

/** True when one of the `v1,<base64>` signatures is HMAC-SHA256(key, "id.timestamp.body"). */
function verify(headers, body) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = String(headers["webhook-signature"] ?? "").split(" ");
  if (!id || Math.abs(Date.now() / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
  return keys.some((key) => {
    const expected = crypto.createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
    return signatures.some((signature) => {
      const [version, value] = signature.split(",");
      const given = Buffer.from(value ?? "", "base64");
      return (
        version === "v1" &&
        given.length === expected.length &&
        crypto.timingSafeEqual(given, expected)
      );
    });
  });
}

http
  .createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (!verify(req.headers, body)) {
        console.log("refused: bad signature");
        res.writeHead(401).end();
        return;
      }
      const event = JSON.parse(body);
      console.log(req.headers["webhook-id"], event.type, JSON.stringify(event.data));
      res.writeHead(200, { "content-type": "application/json" });
      // A slash command's answer is posted in the conversation by the bot.
      const answer =
        event.type === "command.invoked" ? { content: `echo: ${event.data.args}` } : {};
      res.end(JSON.stringify(answer));
    });
  })
  .listen(Number(process.env.PORT ?? 4000), "127.0.0.1", () =>
    console.log(`listening on http://127.0.0.1:${process.env.PORT ?? 4000}/`),
  );
