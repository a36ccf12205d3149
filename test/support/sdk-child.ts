import fs from "node:fs";
import { keyValueStorage, MessagingClient } from "../../client/src/index";
import { transportOf } from "./sdk-clients";

/**
 * A separate process running the SDK with a file-backed outbox, so a test can kill it
 * with SIGKILL mid-send and start it again on the same file.
 * argv: url token storage-file conversation-id mode(send|resume) contents-json
 * "send": connects, prints "connected", waits for a line on stdin, queues every content,
 * prints "queued", then waits (to be killed).
 * "resume": connects, waits until the outbox is empty, prints the store's messages as JSON.
 */
const [url, token, file, conversationId, mode, contentsJson] = process.argv.slice(2);

/** Writes go to a temporary file, then are renamed over the old one: never half a file. */
const fileStore = {
  getItem: () => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null),
  setItem: (_key: string, value: string) => {
    const fd = fs.openSync(`${file}.tmp`, "w");
    fs.writeSync(fd, value);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(`${file}.tmp`, file);
  },
};

async function main(): Promise<void> {
  const client = new MessagingClient({
    url,
    token,
    transport: transportOf("ws"),
    storage: keyValueStorage(fileStore),
    backoff: { initialDelayMs: 50, maxDelayMs: 500 },
    requestTimeoutMs: 3000,
  });
  await client.connect();
  if (mode === "send") {
    console.log("connected");
    await new Promise((resolve) => process.stdin.once("data", resolve));
    for (const content of JSON.parse(contentsJson) as string[])
      await client.send(conversationId, content);
    console.log("queued");
    return;
  }
  const pending = client.outbox.list();
  console.error(`resuming with ${pending.length} queued`);
  await Promise.all(pending.map((entry) => client.sent(entry.client_msg_id)));
  await client.loadHistory(conversationId);
  console.log(
    JSON.stringify({ queued: pending.length, messages: client.store.messages(conversationId) }),
  );
  client.close();
  process.exit(0);
}

main().catch((error: Error) => {
  console.error(error.stack);
  process.exit(1);
});
