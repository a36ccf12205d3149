import assert from "node:assert/strict";
import WebSocket from "ws";
import {
  MessagingClient,
  MessagingClientOptions,
  ServerFrame,
  socketIoTransport,
  TransportFactory,
  wsTransport,
  WebSocketConstructor,
} from "../../client/src/index";
import { serverFrameName } from "../../sockets/protocol-schemas";
import type { TestUser } from "./factories";
import { schemaValidator } from "./frame-validator";

export type SdkTransport = "socket.io" | "ws";

/** The SDK's transport of each kind (Node 20 has no global WebSocket: the ws package's). */
export function transportOf(kind: SdkTransport): TransportFactory {
  return kind === "ws"
    ? wsTransport({ WebSocket: WebSocket as unknown as WebSocketConstructor })
    : socketIoTransport();
}

/** Wraps a transport so every frame the client receives is also recorded. */
export function recording(factory: TransportFactory, frames: ServerFrame[]): TransportFactory {
  return (target, events) =>
    factory(target, {
      frame: (frame) => {
        frames.push(frame);
        events.frame(frame);
      },
      close: (reason) => events.close(reason),
    });
}

/** A connected SDK client for a test user, closed by `closeAll`. */
export async function sdkClient(
  url: string | (() => string),
  user: TestUser,
  kind: SdkTransport,
  opened: MessagingClient[],
  options: Partial<MessagingClientOptions> & { frames?: ServerFrame[] } = {},
): Promise<MessagingClient> {
  const transport = recording(transportOf(kind), options.frames ?? []);
  const client = new MessagingClient({
    url,
    token: user.token,
    transport,
    backoff: { initialDelayMs: 50, maxDelayMs: 500 },
    requestTimeoutMs: 3000,
    ...options,
  });
  opened.push(client);
  await client.connect();
  return client;
}

export function closeClients(clients: MessagingClient[]): void {
  for (const client of clients.splice(0)) client.close();
}

/** Every recorded frame conforms to its AsyncAPI schema. */
export function assertFramesMatchSchemas(frames: ServerFrame[]): void {
  const validate = schemaValidator();
  assert.ok(frames.length > 0, "no frames recorded");
  for (const frame of frames) assert.deepEqual(validate(serverFrameName(frame.type), frame), []);
}

/**
 * The end state every scenario must reach: the client's store holds exactly `contents`
 * (each once, by seq, none pending), and so does the service's history.
 */
export async function assertExactlyOnce(
  client: MessagingClient,
  reader: TestUser,
  conversationId: string,
  contents: string[],
): Promise<void> {
  await client.loadHistory(conversationId);
  const shown = client.store.messages(conversationId);
  assert.deepEqual(
    shown.filter((m) => "pending" in m),
    [],
    "nothing left pending",
  );
  const seqs = shown.map((m) => m.seq);
  assert.deepEqual(
    seqs,
    [...seqs].sort((a, b) => a - b),
    "in seq order",
  );
  assert.equal(new Set(seqs).size, seqs.length, "no seq twice");
  const mine = shown.filter((m) => contents.includes(m.content ?? ""));
  assert.deepEqual(
    mine.map((m) => m.content),
    contents,
    "each message once, in send order",
  );

  const res = await reader.api.get(`/api/v1/conversations/${conversationId}/messages?limit=100`);
  assert.equal(res.status, 200);
  const stored = (res.body.data as { content: string; seq: number }[]).reverse();
  assert.deepEqual(
    stored.filter((m) => contents.includes(m.content)).map((m) => m.content),
    contents,
    "the service stored each send once",
  );
  assert.deepEqual(
    stored.map((m) => m.seq),
    stored.map((_, i) => i + 1),
    "gapless seqs",
  );
}

/** Resolves once the service has stored a message with this content (polls its history). */
export async function storedOnServer(reader: TestUser, conversationId: string, content: string) {
  for (let i = 0; i < 200; i++) {
    const res = await reader.api.get(`/api/v1/conversations/${conversationId}/messages?limit=100`);
    if (res.body.data.some((m: { content: string }) => m.content === content)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`"${content}" never stored`);
}

/** Polls a condition of a client's store (events arrive when they arrive). */
export async function waitUntil(check: () => boolean, what = "condition"): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(check(), `${what} never held`);
}
