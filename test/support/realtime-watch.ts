import assert from "node:assert/strict";
import { newId } from "../../lib/ids";
import { CLIENT_MESSAGE_CATALOG, SERVER_EVENT_CATALOG } from "../../sockets/protocol-catalog";
import { createGroup } from "./conversation-fixtures";
import type { TestUser } from "./factories";
import { send } from "./message-fixtures";
import { connectBoth, Frame, framesOf, nextEvent, RealtimeClient } from "./realtime-clients";

/** A user followed on both transports at once. */
export interface Watcher {
  user: TestUser;
  io: RealtimeClient;
  ws: RealtimeClient;
  /** A group with this user alone: markers sent there reach nobody else. */
  markerConversationId: string;
}

const MARKER = "marker ";
const markerGroups = new Map<string, Promise<string>>();
const markerGroupIds = new Set<string>();

/** The user's own marker group, created over REST on first use. */
function markerConversation(user: TestUser): Promise<string> {
  let group = markerGroups.get(user.id);
  if (!group) {
    group = createGroup(user, [], { name: "markers" }).then(({ id }: { id: string }) => {
      markerGroupIds.add(id);
      return id;
    });
    markerGroups.set(user.id, group);
  }
  return group;
}

/** Connects `user` on both transports (to `url`, their node) and returns the watcher. */
export async function watch(
  url: string,
  user: TestUser,
  clients: RealtimeClient[],
): Promise<Watcher> {
  const markerConversationId = await markerConversation(user);
  const [io, ws] = await connectBoth(url, user.token, clients);
  return { user, io, ws, markerConversationId };
}

export const bothOf = (watchers: Watcher[]): RealtimeClient[] =>
  watchers.flatMap((watcher) => [watcher.io, watcher.ws]);

/** A frame about a marker group (its creation included: it may arrive after `ready`). */
const isMarker = (frame: Frame): boolean =>
  markerGroupIds.has(frame.data?.conversation_id ?? frame.data?.id ?? frame.conversation_id);

/**
 * Waits until whatever was sent to the watchers before this call has reached them: each
 * sends a marker message into its own group and awaits it on both connections. Events
 * reach a connection in the order they happened, so an earlier one (or a copy of it) is
 * in by then, and "exactly once" or "nothing" can be asserted without sleeping.
 */
export async function settle(watchers: Watcher[]): Promise<void> {
  await Promise.all(
    watchers.map(async ({ user, io, ws, markerConversationId }) => {
      const content = `${MARKER}${newId()}`;
      await send(user, markerConversationId, content);
      const mine = (frame: Frame) => frame.data?.content === content;
      await Promise.all([nextEvent(io, "message.new", mine), nextEvent(ws, "message.new", mine)]);
    }),
  );
}

const isReply = (frame: Frame): boolean =>
  frame.type === "ack" || (frame.type === "error" && frame.request_id !== undefined);

/** What a client received besides `ready`, replies to its requests and marker traffic. */
export const eventsOf = (client: RealtimeClient): Frame[] =>
  client.frames.filter((frame) => frame.type !== "ready" && !isReply(frame) && !isMarker(frame));

/**
 * The event on both connections of every member: awaited, then (after `settle`) checked
 * to have come exactly once, as the same JSON on both transports, in the catalog's shape;
 * `outsiders` must have received nothing at all. Returns the frame.
 */
export async function expectEvent(
  members: Watcher[],
  outsiders: Watcher[],
  type: string,
  match: (frame: Frame) => boolean,
): Promise<Frame> {
  const clients = bothOf(members);
  const [first, ...rest] = await Promise.all(clients.map((c) => nextEvent(c, type, match)));
  await settle([...members, ...outsiders]);
  for (const client of clients) {
    assert.equal(framesOf(client, type, match).length, 1, `${type} once on ${client.kind}`);
  }
  for (const frame of rest) assert.deepEqual(frame, first);
  for (const client of bothOf(outsiders)) {
    assert.deepEqual(eventsOf(client), [], `an outsider's ${client.kind} client got nothing`);
  }
  assertContractShape(first);
  return first;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A frame has the fields of its catalog example (docs/protocol.md), no more and no fewer,
 * with the same JSON types, down through nested objects and the items of lists (empty
 * examples such as `metadata: {}` are free-form, null in either place is not compared).
 */
export function assertContractShape(frame: Frame): void {
  const entry = SERVER_EVENT_CATALOG[frame.type as keyof typeof SERVER_EVENT_CATALOG];
  assert.ok(entry, `${frame.type} is in the protocol catalog`);
  assertSameShape(frame, entry.example, frame.type);
}

function assertSameShape(actual: unknown, example: unknown, path: string): void {
  if (actual === null || example === null) return;
  assert.equal(Array.isArray(actual), Array.isArray(example), `${path} is a list`);
  assert.equal(typeof actual, typeof example, `${path} has the type of the example`);
  if (Array.isArray(actual) && Array.isArray(example) && example.length > 0) {
    actual.forEach((item, index) => assertSameShape(item, example[0], `${path}[${index}]`));
  }
  if (!isObject(actual) || !isObject(example) || Object.keys(example).length === 0) return;
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(example).sort(), `${path} fields`);
  for (const key of Object.keys(example)) {
    assertSameShape(actual[key], example[key], `${path}.${key}`);
  }
}

/**
 * `client.request`, checking the reply as the transport carried it: a Socket.IO ack of
 * exactly `{data}` or `{error: {code, message}}`; on /ws exactly
 * `{type: "ack", request_id, data}` or `{type: "error", request_id, error: {code, message}}`;
 * `data` in the shape docs/protocol.md shows for that request's ack.
 */
export async function ask(
  client: RealtimeClient,
  type: string,
  payload: Record<string, unknown>,
): Promise<{ data?: any; error?: any }> {
  const reply = await client.request(type, payload);
  const outcome = reply.error ? "error" : "data";
  if (client.kind === "socket.io") {
    assert.deepEqual(Object.keys(reply), [outcome], `${type} ack on Socket.IO`);
  } else {
    const frame = client.frames.findLast(isReply)!;
    assert.deepEqual(Object.keys(frame).sort(), [outcome, "request_id", "type"].sort());
    assert.equal(frame.type, reply.error ? "error" : "ack");
  }
  if (reply.error) assert.deepEqual(Object.keys(reply.error).sort(), ["code", "message"]);
  else {
    const entry = CLIENT_MESSAGE_CATALOG[type as keyof typeof CLIENT_MESSAGE_CATALOG];
    assertSameShape(reply.data, entry.ack, `${type} ack data`);
  }
  return reply;
}
