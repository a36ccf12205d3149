import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { newId } from "../../lib/ids";
import type { PresenceStore } from "../../lib/presence/presence-store";
import { presenceStoreImplementations } from "../support/presence-stores";

// One suite, every implementation: the service relies on exactly these rules.
for (const implementation of presenceStoreImplementations()) {
  describe(`PresenceStore contract [${implementation.name}]`, () => {
    let store: PresenceStore;
    let close: () => Promise<void>;
    const T = 1_000_000;
    const LEASE = T + 50;

    beforeEach(async () => ({ store, close } = await implementation.create()));
    afterEach(() => close());

    /** Claims the user, announces nothing, records the change: what a node does. */
    async function announce(user: string, now: number): Promise<string | undefined> {
      const { changes } = await store.claimReviews(now, now + 50, 10, [user]);
      await store.recordAnnounced(changes, now);
      return changes[0]?.status;
    }

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

    it("names the users whose connection entry was missing when touched", async () => {
      const [user, other] = [newId(), newId()];
      const both = [
        { userId: user, connectionId: "a" },
        { userId: other, connectionId: "b" },
      ];
      assert.deepEqual((await store.touch(both, T + 100, T)).sort(), [user, other].sort());
      assert.deepEqual(await store.touch(both, T + 200, T + 50), []);
      await store.touch([{ userId: user, connectionId: "a" }], T + 300, T + 250);
      assert.equal(await store.sweepExpired(T + 250, 100), 1);
      assert.deepEqual(await store.touch(both, T + 400, T + 260), [other]);
    });

    it("hands each change to one claimer, and the user leaves the queue once it is announced", async () => {
      const user = newId();
      assert.deepEqual(await store.claimReviews(T, LEASE, 10, [user]), { claimed: 1, changes: [] });
      await store.touch([{ userId: user, connectionId: "a" }], T + 100, T);
      const claim = await store.claimReviews(T, LEASE, 10, [user]);
      assert.deepEqual(claim, { claimed: 1, changes: [{ userId: user, status: "online" }] });
      assert.deepEqual(await store.claimReviews(T + 1, LEASE + 1, 10, [user]), {
        claimed: 0,
        changes: [],
      });
      await store.recordAnnounced(claim.changes, T + 2);
      assert.deepEqual(await store.claimReviews(T + 3, LEASE + 3, 10), { claimed: 0, changes: [] });
      await store.setChosen(user, "busy");
      assert.equal(await announce(user, T + 4), "busy");
      assert.equal(await announce(user, T + 5), undefined);
    });

    it("gives a claim to the next claimer once its lease ends (its node died before recording)", async () => {
      const user = newId();
      await store.touch([{ userId: user, connectionId: "a" }], T + 1000, T);
      const first = await store.claimReviews(T, LEASE, 10, [user]);
      assert.equal(first.changes.length, 1);
      assert.deepEqual(await store.claimReviews(LEASE - 1, LEASE + 49, 10), {
        claimed: 0,
        changes: [],
      });
      const second = await store.claimReviews(LEASE, LEASE + 50, 10);
      assert.deepEqual(second, { claimed: 1, changes: [{ userId: user, status: "online" }] });
    });

    it("queues a user again at once when the status moved between the claim and the record", async () => {
      const user = newId();
      await store.touch([{ userId: user, connectionId: "a" }], T + 1000, T);
      const claim = await store.claimReviews(T, T + 500, 10, [user]);
      await store.setChosen(user, "away");
      await store.recordAnnounced(claim.changes, T + 10);
      const again = await store.claimReviews(T + 10, T + 60, 10);
      assert.deepEqual(again.changes, [{ userId: user, status: "away" }]);
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

    it("sweeps expired entries and queues each user left without one in the same step", async () => {
      const [gone, stays] = [newId(), newId()];
      const entries = [
        { userId: gone, connectionId: "a" },
        { userId: gone, connectionId: "b" },
        { userId: stays, connectionId: "c" },
      ];
      await store.touch(entries, T + 100, T);
      await store.touch([{ userId: stays, connectionId: "d" }], T + 500, T);
      for (const user of [gone, stays]) assert.equal(await announce(user, T), "online");
      assert.equal(await store.sweepExpired(T + 50, 100), 0);
      assert.equal(await store.sweepExpired(T + 100, 100), 3);
      assert.equal(await store.sweepExpired(T + 100, 100), 0);
      const claim = await store.claimReviews(T + 100, T + 150, 10);
      assert.deepEqual(claim, { claimed: 1, changes: [{ userId: gone, status: "offline" }] });
      assert.equal((await store.read([stays], T + 200))[0].status, "online");
    });

    it("removes at most `limit` entries per sweep and claims at most `limit` users", async () => {
      const users = Array.from({ length: 5 }, () => newId());
      const entries = users.map((userId) => ({ userId, connectionId: "x" }));
      await store.touch(entries, T + 10, T);
      for (const user of users) await announce(user, T);
      const removed = [];
      for (let i = 0; i < 4; i += 1) removed.push(await store.sweepExpired(T + 10, 2));
      assert.deepEqual(removed, [2, 2, 1, 0]);
      const first = await store.claimReviews(T + 10, T + 60, 3);
      const second = await store.claimReviews(T + 10, T + 60, 3);
      assert.deepEqual([first.claimed, second.claimed], [3, 2]);
      const offline = [...first.changes, ...second.changes].map((change) => change.userId);
      assert.deepEqual(offline.sort(), [...users].sort());
    });

    it("lists users announced online by id, paging after a given id", async () => {
      const users = [newId(), newId(), newId()].sort();
      for (const user of users) {
        await store.touch([{ userId: user, connectionId: "x" }], T + 100, T);
        await announce(user, T);
      }
      const listed = (await store.listOnline(null, 1000)).filter((id) => users.includes(id));
      assert.deepEqual(listed, users);
      const after = await store.listOnline(users[0], 1000);
      assert.ok(!after.includes(users[0]) && after.includes(users[1]));
      await store.sweepExpired(T + 100, 100);
      assert.equal(await announce(users[1], T + 100), "offline");
      assert.ok(!(await store.listOnline(null, 1000)).includes(users[1]));
    });

    it("forgets a user's record after the retention, keeping a chosen status", async () => {
      await close();
      ({ store, close } = await implementation.create(100));
      const user = newId();
      await store.setChosen(user, "away");
      await store.touch([{ userId: user, connectionId: "a" }], T + 10, T);
      assert.equal(await announce(user, T), "away");
      await store.sweepExpired(T + 10, 100);
      assert.equal(await announce(user, T + 10), "offline");
      for (let attempt = 0; ; attempt += 1) {
        await store.sweepExpired(T + 10_000, 100);
        if ((await store.read([user], T + 10_000))[0].lastSeenAt === null) break;
        assert.ok(attempt < 40, "the record outlived its retention");
        await delay(50);
      }
      await store.touch([{ userId: user, connectionId: "b" }], T + 20_100, T + 20_000);
      assert.equal((await store.read([user], T + 20_000))[0].status, "away");
    });
  });
}
