import assert from "node:assert/strict";
import type { Socket } from "socket.io-client";
import type WebSocket from "ws";
import type { App } from "../../lib/app";
import type { BusEvent } from "../../lib/events/event-bus";
import { createGroup } from "./conversation-fixtures";
import type { TestUser } from "./factories";
import { send } from "./message-fixtures";
import { Frame, nextEvent, RealtimeClient } from "./realtime-clients";

/**
 * A group of alice (owner), bob and carol where bob has 3 unread messages from alice (a
 * fourth was deleted) and carol has read everything: unread counts 0, 3 and 0.
 */
export async function groupWithUnread(
  alice: TestUser,
  bob: TestUser,
  carol: TestUser,
): Promise<{ conversationId: string; unread: Map<string, number> }> {
  const conversationId = (await createGroup(alice, [bob, carol])).id as string;
  const sent = [];
  for (let i = 1; i <= 4; i += 1) sent.push(await send(alice, conversationId, `news ${i}`));
  assert.equal((await alice.api.delete(`/api/v1/messages/${sent[1].id}`)).status, 204);
  const read = await carol.api.post(`/api/v1/messages/${sent[3].id}/read`);
  assert.equal(read.status, 200, JSON.stringify(read.body));
  const unread = new Map([alice, bob, carol].map((user, i) => [user.id, [0, 3, 0][i]]));
  for (const user of [alice, bob, carol]) {
    const view = await user.api.get(`/api/v1/conversations/${conversationId}`);
    assert.equal(view.body.unread_count, unread.get(user.id), "REST agrees with the setup");
  }
  return { conversationId, unread };
}

/** Records the raw text of every frame `client` receives from now on, as it came off the wire. */
export function recordRaw(client: RealtimeClient): string[] {
  const raw: string[] = [];
  const { ws, socket } = client as RealtimeClient & { ws?: WebSocket; socket?: Socket };
  if (ws) ws.on("message", (data) => raw.push((data as Buffer).toString()));
  else socket!.io.engine.on("message", (data) => raw.push(String(data)));
  return raw;
}

/**
 * The one raw frame of `type` about `conversationId` carries exactly one unread_count, the
 * expected one, and nothing of the per-viewer map: no other member's value can be in it.
 */
export function assertOwnValueOnly(
  raw: string[],
  type: string,
  conversationId: string,
  expected: number,
): void {
  const texts = raw.filter((text) => text.includes(`"${type}"`) && text.includes(conversationId));
  assert.equal(texts.length, 1, `one raw ${type}`);
  assert.equal(texts[0].match(/"unread_count"/g)?.length, 1, "a single unread_count");
  assert.ok(texts[0].includes(`"unread_count":${expected}`), texts[0]);
  assert.doesNotMatch(texts[0], /viewer/i);
}

/**
 * Each user's frame of `type` about the conversation, from each of their clients: checked
 * to carry that user's own unread_count, to be the same JSON on both transports, and to
 * differ between users in nothing else. Returns one frame per user.
 */
export async function expectOwnCounts(
  clientsOf: Map<string, RealtimeClient[]>,
  type: string,
  conversationId: string,
  unread: Map<string, number>,
): Promise<Frame[]> {
  const about = (frame: Frame) => frame.data?.id === conversationId;
  const perUser: Frame[] = [];
  for (const [userId, clients] of clientsOf) {
    const frames = await Promise.all(clients.map((client) => nextEvent(client, type, about)));
    for (const frame of frames) {
      assert.equal(frame.data.unread_count, unread.get(userId), `${type} for ${userId}`);
      assert.deepEqual(frame, frames[0], "the same frame on every connection of a user");
    }
    perUser.push(frames[0]);
  }
  const shared = ({ data, ...rest }: Frame) => ({ ...rest, data: { ...data, unread_count: 0 } });
  for (const frame of perUser) assert.deepEqual(shared(frame), shared(perUser[0]));
  return perUser;
}

/** Subscribes to the app's bus (NATS or in-process): `event` is the next one of `type` about the conversation. */
export async function nextBusEvent(
  app: App,
  type: string,
  conversationId: string,
): Promise<{ event: Promise<BusEvent>; close: () => Promise<void> }> {
  let resolve!: (event: BusEvent) => void;
  const event = new Promise<BusEvent>((done) => (resolve = done));
  const subscription = await app.events.bus.subscribe((busEvent) => {
    const data = busEvent.body.data as { id?: string };
    if (busEvent.body.type === type && data.id === conversationId) resolve(busEvent);
  });
  return { event, close: () => subscription.close() };
}
