import assert from "node:assert/strict";
import fc from "fast-check";
import { backends } from "../support/backends";
import { DeviceBadges, countsOf, recount } from "../support/badge-model";
import { TestUser, registerUser } from "../support/factories";
import { openConversation, send } from "../support/message-fixtures";
import { Frame, RealtimeClient, closeAll, connectBoth } from "../support/realtime-clients";
import { Watcher, settle, watch } from "../support/realtime-watch";
import { startTestApp, TestApp } from "../support/test-app";

/** One random step; indexes are taken modulo what exists when it runs. */
type Step =
  | {
      kind: "send";
      user: number;
      conv: number;
      mentions: number[];
      all: boolean;
      reply: number | null;
    }
  | { kind: "read" | "unread" | "thread" | "delete"; user: number; conv: number; pick: number }
  | { kind: "level"; user: number; conv: number; level: "all" | "mentions" | "none" | null }
  | { kind: "mute"; user: number; conv: number; on: boolean }
  | { kind: "join" | "leave"; user: number };

const index = fc.nat({ max: 50 });
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("send" as const),
      user: index,
      conv: index,
      mentions: fc.array(fc.nat({ max: 3 }), { maxLength: 2 }),
      all: fc.boolean(),
      reply: fc.option(index, { freq: 2 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        "read" as const,
        "unread" as const,
        "thread" as const,
        "delete" as const,
      ),
      user: index,
      conv: index,
      pick: index,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("level" as const),
      user: index,
      conv: index,
      level: fc.constantFrom("all" as const, "mentions" as const, "none" as const, null),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("mute" as const),
      user: index,
      conv: index,
      on: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom("join" as const, "leave" as const), user: index }),
  },
);

const DEFAULTS = { direct: "all", group: "mentions" };

// After a random mix of sends (mentions, @all, replies), reads, unreads, thread reads,
// deletions, levels, mutes and membership changes, every device of every user (one
// Socket.IO and one /ws connection each, fed only by events, and two more that resume from
// the first cursor at the end) holds the counts a recount of the database gives, per
// conversation and in total; and GET /users/me/badges agrees.
for (const backend of backends()) {
  describe(`badges after random activity [${backend.name}]`, () => {
    let node: TestApp;
    let clients: RealtimeClient[] = [];

    before(async function () {
      this.timeout(60_000);
      node = await startTestApp(backend, { rate_limits: { mention_all_per_hour: 1000 } });
    });
    afterEach(() => closeAll(clients));

    it("keeps every device's counts equal to a recount from the database", async function () {
      this.timeout(180_000);
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 20, maxLength: 35 }), async (steps) => {
          closeAll(clients);
          clients = [];
          await run(node, steps, clients);
        }),
        { numRuns: 3, endOnFailure: true },
      );
    });
  });
}

async function run(node: TestApp, steps: Step[], clients: RealtimeClient[]): Promise<void> {
  const users = await Promise.all(
    ["ann", "ben", "cat", "dot"].map((n) => registerUser(node.url, n)),
  );
  const [ann, ben, cat, dot] = users;
  const conversations = [
    await openConversation([ann, ben, cat]),
    await openConversation([ann, ben], { type: "direct" }),
    await openConversation([ben, cat, dot]),
  ];
  const tracked = new Set(conversations);
  const devices: { badges: DeviceBadges; client: RealtimeClient }[] = [];
  const watchers: Watcher[] = [];
  const startViews: Record<string, any>[][] = [];
  for (const user of users) {
    const watcher = await watch(node.url, user, clients);
    watchers.push(watcher);
    const views = (await user.api.get("/api/v1/conversations?limit=100")).body.data;
    startViews.push(views);
    for (const client of [watcher.io, watcher.ws]) {
      const badges = new DeviceBadges(user.id, tracked);
      badges.load(views);
      devices.push({ badges, client });
    }
  }
  const seen = new Map<RealtimeClient, number>();
  const drain = () => {
    for (const { badges, client } of devices) {
      const from = seen.get(client) ?? 0;
      for (const frame of client.frames.slice(from) as Frame[]) badges.apply(frame);
      seen.set(client, client.frames.length);
    }
  };
  // Frames that arrived before the snapshot above are already in it.
  for (const { client } of devices) seen.set(client, client.frames.length);

  for (const s of steps) {
    await perform(s, users, conversations);
    await settle(watchers);
    drain();
  }
  // Devices that were away the whole time resume from the first cursor: the replay alone
  // brings them to the same counts.
  for (const [i, user] of users.entries()) {
    const since = watchers[i].ws.frames.find((f) => f.type === "ready")!.data.cursor as string;
    const [io, ws] = await connectBoth(node.url, user.token, clients, { since });
    await settle([{ ...watchers[i], io, ws }]);
    for (const client of [io, ws]) {
      const badges = new DeviceBadges(user.id, tracked);
      badges.load(startViews[i]);
      for (const frame of client.frames) badges.apply(frame);
      devices.push({ badges, client });
    }
  }

  const now = new Date();
  for (const user of users) {
    const expected = countsOf(
      await recount(node.app.database.knex, user.id, conversations, DEFAULTS),
      now,
    );
    for (const { badges } of devices.filter((d) => d.badges.userId === user.id)) {
      assert.deepEqual(badges.snapshot(now), expected, `a device of ${user.username}`);
    }
    const server = (await user.api.get("/api/v1/users/me/badges")).body;
    const ours = server.conversations.filter((c: { conversation_id: string }) =>
      tracked.has(c.conversation_id),
    );
    for (const entry of ours) {
      assert.deepEqual(
        [entry.unread_count, entry.mention_count],
        expected.perConversation[entry.conversation_id],
      );
    }
    assert.deepEqual(
      [server.unread_count, server.mention_count],
      expected.total,
      `badges of ${user.username}`,
    );
  }
  void ann;
  void ben;
  void cat;
  void dot;
}

/** Does one step over REST when it makes sense (a non-member's step is skipped). */
async function perform(s: Step, users: TestUser[], conversations: string[]): Promise<void> {
  const user = users[s.user % users.length];
  if (!("conv" in s)) {
    const owner = users[0];
    const group = conversations[0];
    const target = users[2 + (s.user % 2)];
    if (s.kind === "join")
      await owner.api.post(`/api/v1/conversations/${group}/members`, { user_id: target.id });
    else await owner.api.delete(`/api/v1/conversations/${group}/members/${target.id}`);
    return;
  }
  return performIn(s, user, users, conversations[s.conv % conversations.length]);
}

/** A step inside one conversation, as `user` (skipped when they are not a member). */
async function performIn(
  s: Exclude<Step, { kind: "join" | "leave" }>,
  user: TestUser,
  users: TestUser[],
  conv: string,
): Promise<void> {
  const history = await user.api.get(`/api/v1/conversations/${conv}/messages?limit=100`);
  if (history.status === 404) return;
  const messages: {
    id: string;
    sender_id: string;
    parent_id: string | null;
    deleted_at: string | null;
  }[] = history.body.data;
  const pick = <T>(list: T[], n: number): T | undefined =>
    list.length ? list[n % list.length] : undefined;
  switch (s.kind) {
    case "send": {
      const names = s.mentions.map((i) => `@${users[i].username}`).join(" ");
      const roots = messages.filter((m) => !m.parent_id && !m.deleted_at);
      const parent = s.reply === null ? undefined : pick(roots, s.reply);
      await send(user, conv, {
        content: `hello ${names}${s.all ? " @all" : ""}`,
        ...(parent ? { parent_id: parent.id } : {}),
      });
      return;
    }
    case "read":
    case "unread":
    case "thread": {
      const message = pick(messages, s.pick);
      if (!message) return;
      if (s.kind === "read") await user.api.post(`/api/v1/messages/${message.id}/read`);
      if (s.kind === "unread")
        await user.api.post(`/api/v1/conversations/${conv}/unread`, { message_id: message.id });
      if (s.kind === "thread") await user.api.post(`/api/v1/messages/${message.id}/thread-read`);
      return;
    }
    case "delete": {
      const own = messages.filter((m) => m.sender_id === user.id && !m.deleted_at);
      const message = pick(own, s.pick);
      if (message) await user.api.delete(`/api/v1/messages/${message.id}`);
      return;
    }
    case "level":
      await user.api.put(`/api/v1/conversations/${conv}/notifications`, { level: s.level });
      return;
    case "mute":
      await user.api.put(`/api/v1/conversations/${conv}/notifications`, {
        muted_until: s.on ? "2999-01-01T00:00:00.000Z" : null,
      });
      return;
  }
}
