import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { Redis } from "ioredis";
import { newId } from "../../lib/ids";
import { createLogger } from "../../lib/logger";
import type { PresenceStore } from "../../lib/presence/presence-store";
import {
  PresenceChangedFrame,
  PresenceService,
  PresenceServiceOptions,
} from "../../lib/presence/presence-service";
import { RedisPresenceStore } from "../../lib/presence/redis-presence-store";
import { presenceStoreImplementations } from "../support/presence-stores";
import { PrivateRedis, startPrivateRedis } from "../support/private-redis";

const quiet = createLogger({ level: "silent", format: "json" });
const FAST = { ttlMs: 1500, graceMs: 300 };

/** A node's presence on a shared store, with what it announced. */
interface PresenceNode {
  service: PresenceService;
  announced: PresenceChangedFrame[];
  contactQueries: string[][];
}

function presenceNode(
  store: PresenceStore,
  overrides: Partial<PresenceServiceOptions> = {},
): PresenceNode {
  const node: PresenceNode = { announced: [], contactQueries: [] } as unknown as PresenceNode;
  node.service = new PresenceService({
    store,
    ...FAST,
    contactsOf: async (userIds) => {
      node.contactQueries.push(userIds);
      return new Map(userIds.map((id) => [id, [`contact-of-${id}`]]));
    },
    assertUserExists: async () => undefined,
    announce: (_userIds, frame) => void node.announced.push(frame),
    logger: quiet,
    ...overrides,
  });
  node.service.start();
  return node;
}

/** Resolves once `check` holds (what a background sweep brings about; nothing to await). */
async function eventually(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition never became true");
    await delay(20);
  }
}

const statusesOf = (node: PresenceNode, userId: string) =>
  node.announced.filter((frame) => frame.user_id === userId).map((frame) => frame.status);

for (const implementation of presenceStoreImplementations()) {
  describe(`presence recovery [${implementation.name}]`, function () {
    this.timeout(20_000);
    let store: PresenceStore;
    let close: () => Promise<void>;
    const nodes: PresenceNode[] = [];
    const start = (overrides: Partial<PresenceServiceOptions> = {}) => {
      const node = presenceNode(store, overrides);
      nodes.push(node);
      return node;
    };

    beforeEach(async () => ({ store, close } = await implementation.create()));
    afterEach(async () => {
      for (const node of nodes.splice(0)) node.service.abandon();
      await close();
    });

    it("announces offline from another node when the node that claimed the users dies before announcing", async () => {
      const user = newId();
      const home = start();
      await home.service.connectionOpened(user, "c1");
      assert.deepEqual(statusesOf(home, user), ["online"]);
      home.service.abandon(); // the user's node dies: its entry lapses

      let claimedByDoomed: () => void;
      const claimed = new Promise<void>((resolve) => (claimedByDoomed = resolve));
      const doomed = start({
        contactsOf: () => {
          claimedByDoomed();
          return new Promise(() => undefined); // dies while reading the contacts
        },
      });
      await claimed;
      doomed.service.abandon();

      const survivor = start();
      await eventually(() => statusesOf(survivor, user).length > 0);
      assert.deepEqual(statusesOf(survivor, user), ["offline"]);
      assert.deepEqual(statusesOf(doomed, user), []);
      assert.equal((await store.read([user], Date.now()))[0].status, "offline");
      assert.ok(!(await store.listOnline(null, 100)).includes(user));
    });

    it("announces 2,000 users that drop at once as offline in one sweep, reading contacts in batches, letting other work run meanwhile", async () => {
      // Other work on the node (sends): a turn of the event loop, counted while the burst goes out.
      let turns = 0;
      let spinning = true;
      const spin = () => {
        turns += 1;
        if (spinning) setImmediate(spin);
      };
      const turnsAt: number[] = [];
      const offline = new Set<string>();
      const node = start({
        ttlMs: 60_000,
        graceMs: 5000,
        announce: (_userIds, frame) => {
          if (frame.status !== "offline") return;
          turnsAt.push(turns);
          offline.add(frame.user_id);
        },
      });
      const users = Array.from({ length: 2000 }, () => newId());
      const now = Date.now();
      const connections = users.map((userId) => ({ userId, connectionId: "c" }));
      await store.touch(connections, now + 20, now);
      const online = await store.claimReviews(now, now + 5000, 5000, users);
      assert.equal(online.changes.length, 2000);
      await store.recordAnnounced(online.changes, now);
      await delay(25); // every entry has lapsed now

      spin();
      await node.service.sweep();
      spinning = false;
      assert.deepEqual([turnsAt.length, offline.size], [2000, 2000]);
      assert.ok(node.contactQueries.length <= 4, `${node.contactQueries.length} contact queries`);
      // Within one batch of 500 (one contacts query, no store round trip) the loop still turned.
      assert.ok(turnsAt[499] > turnsAt[0], "the burst held the event loop");
      assert.deepEqual(await store.listOnline(null, 10), []);
      const { changes } = await store.claimReviews(Date.now(), Date.now() + 50, 10, users);
      assert.deepEqual(changes, [], "every user recorded as announced offline");
    });

    it("lists only users who are online now, filling the page past stale ones and reviewing them", async () => {
      const node = start({ ttlMs: 60_000, graceMs: 5000 });
      const [stale1, stale2, live] = [newId(), newId(), newId()].sort();
      const now = Date.now();
      await store.touch(
        [stale1, stale2].map((userId) => ({ userId, connectionId: "dead-node" })),
        now + 10,
        now,
      );
      await store.touch([{ userId: live, connectionId: "c" }], now + 60_000, now);
      const claim = await store.claimReviews(now, now + 50, 10, [stale1, stale2, live]);
      await store.recordAnnounced(claim.changes, now);
      await delay(15); // the dead node's entries lapse; no sweep has run yet

      const first = await node.service.listOnline({ limit: 1 });
      assert.deepEqual(
        first.data.map((presence) => [presence.user_id, presence.status]),
        [[live, "online"]],
      );
      assert.equal(first.next_cursor, null);
      await eventually(async () => (await store.listOnline(null, 10)).length === 1);
      assert.deepEqual(statusesOf(node, stale1), ["offline"]);
      assert.deepEqual(statusesOf(node, stale2), ["offline"]);
    });

    it("announces a user online again when the store lost their entry (a stalled node, a Redis that restarted empty)", async () => {
      const user = newId();
      const home = start({ ttlMs: 60_000, graceMs: 5000 });
      const sweeper = start({ ttlMs: 60_000, graceMs: 5000 });
      await home.service.connectionOpened(user, "c1");
      const now = Date.now();
      await store.touch([{ userId: user, connectionId: "c1" }], now - 1, now); // lapsed
      await sweeper.service.sweep();
      assert.deepEqual(statusesOf(sweeper, user), ["offline"]);

      await home.service.resync();
      assert.deepEqual(statusesOf(home, user), ["online", "online"]);
      assert.deepEqual(await store.listOnline(null, 10), [user]);
      assert.equal((await store.read([user], Date.now()))[0].status, "online");
    });
  });
}

describe("presence across a Redis restart", function () {
  this.timeout(20_000);
  let redis: PrivateRedis | undefined;
  let client: Redis | undefined;
  let node: PresenceNode | undefined;
  afterEach(async () => {
    node?.service.abandon();
    client?.disconnect();
    await redis?.stop();
  });

  it("announces offline a user who left while Redis was away, once it is back empty", async () => {
    redis = await startPrivateRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    client.on("error", () => undefined);
    node = presenceNode(new RedisPresenceStore(client, "fault:", 86_400_000), {
      ttlMs: 60_000,
      graceMs: 300,
    });
    const user = newId();
    await node.service.connectionOpened(user, "c1");
    await redis.stop();
    await assert.rejects(node.service.connectionClosed(user, "c1"));

    redis = await startPrivateRedis(redis.port);
    await eventually(() => client!.status === "ready");
    await node.service.resync();
    await eventually(() => statusesOf(node!, user).length === 2);
    assert.deepEqual(statusesOf(node, user), ["online", "offline"]);
  });
});
