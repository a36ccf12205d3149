import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { newId } from "../../lib/ids";
import { MemoryPresenceStore } from "../../lib/presence/memory-presence-store";
import type { PresenceStore } from "../../lib/presence/presence-store";
import { RedisPresenceStore } from "../../lib/presence/redis-presence-store";
import { backends, runId } from "../support/backends";

interface Implementation {
  name: string;
  create(): Promise<{ store: PresenceStore; close(): Promise<void> }>;
}

const implementations: Implementation[] = [
  {
    name: "memory",
    create: async () => ({ store: new MemoryPresenceStore(), close: async () => undefined }),
  },
];
const redisUrl = backends().find((backend) => backend.redisUrl)?.redisUrl;
if (redisUrl) {
  implementations.push({
    name: "redis",
    create: async () => {
      const redis = new Redis(redisUrl);
      const prefix = `msgtest:${runId}:${newId()}:`;
      return {
        store: new RedisPresenceStore(redis, prefix),
        close: async () => {
          const keys = await redis.keys(`${prefix}*`);
          if (keys.length > 0) await redis.del(...keys);
          await redis.quit();
        },
      };
    },
  });
}

// One suite, every implementation: the service relies on exactly these rules.
for (const implementation of implementations) {
  describe(`PresenceStore contract [${implementation.name}]`, () => {
    let store: PresenceStore;
    let close: () => Promise<void>;
    const T = 1_000_000;

    beforeEach(async () => ({ store, close } = await implementation.create()));
    afterEach(() => close());

    it("counts a user online while any connection entry lives, with last_seen", async () => {
      const user = newId();
      assert.deepEqual(await store.read([user], T), [
        { userId: user, status: "offline", lastSeenAt: null },
      ]);
      await store.touch([{ userId: user, connectionId: "a" }], T + 100, T);
      await store.touch([{ userId: user, connectionId: "b" }], T + 50, T + 10);
      assert.deepEqual(await store.read([user], T + 20), [
        { userId: user, status: "online", lastSeenAt: T + 10 },
      ]);
      assert.equal((await store.read([user], T + 60))[0].status, "online");
      assert.equal((await store.read([user], T + 100))[0].status, "offline");
    });

    it("announces each change once: reconcile returns a status only when it changed", async () => {
      const user = newId();
      assert.equal(await store.reconcile(user, T), null);
      await store.touch([{ userId: user, connectionId: "a" }], T + 100, T);
      assert.equal(await store.reconcile(user, T), "online");
      assert.equal(await store.reconcile(user, T + 1), null);
      await store.setChosen(user, "busy");
      assert.equal(await store.reconcile(user, T + 2), "busy");
      assert.equal(await store.reconcile(user, T + 200), "offline");
    });

    it("keeps a chosen status across connections until it is cleared", async () => {
      const user = newId();
      await store.setChosen(user, "away");
      await store.touch([{ userId: user, connectionId: "a" }], T + 100, T);
      assert.equal((await store.read([user], T))[0].status, "away");
      await store.touch([{ userId: user, connectionId: "b" }], T + 500, T + 200);
      assert.equal((await store.read([user], T + 300))[0].status, "away");
      await store.setChosen(user, null);
      assert.equal((await store.read([user], T + 300))[0].status, "online");
    });

    it("sweeps expired entries and names each user left without one, once", async () => {
      const [gone, stays] = [newId(), newId()];
      await store.touch(
        [
          { userId: gone, connectionId: "a" },
          { userId: gone, connectionId: "b" },
          { userId: stays, connectionId: "c" },
        ],
        T + 100,
        T,
      );
      await store.touch([{ userId: stays, connectionId: "d" }], T + 500, T);
      assert.deepEqual(await store.sweepExpired(T + 50), []);
      assert.deepEqual(await store.sweepExpired(T + 100), [gone]);
      assert.deepEqual(await store.sweepExpired(T + 100), []);
      assert.equal((await store.read([stays], T + 200))[0].status, "online");
    });

    it("lists users announced online by id, paging after a given id", async () => {
      const users = [newId(), newId(), newId()].sort();
      for (const user of users) {
        await store.touch([{ userId: user, connectionId: "x" }], T + 100, T);
        await store.reconcile(user, T);
      }
      const listed = (await store.listOnline(null, 1000)).filter((id) => users.includes(id));
      assert.deepEqual(listed, users);
      const after = await store.listOnline(users[0], 1000);
      assert.ok(!after.includes(users[0]) && after.includes(users[1]));
      await store.reconcile(users[1], T + 100);
      assert.ok(!(await store.listOnline(null, 1000)).includes(users[1]));
    });
  });
}
