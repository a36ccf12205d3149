import assert from "node:assert/strict";
import type { App } from "../../lib/app";
import { MAX_SEARCH_TERMS } from "../../lib/search/search-query";
import { backends } from "../support/backends";
import { commitEvents, messageDraft } from "../support/event-helpers";
import { registerUser, TestUser } from "../support/factories";
import { openConversation, send } from "../support/message-fixtures";
import {
  closeAll,
  connectBoth,
  framesOf,
  nextEvent,
  RealtimeClient,
} from "../support/realtime-clients";
import { startTestApp } from "../support/test-app";

/** How long a request takes, in milliseconds. */
async function timed(request: () => Promise<{ status: number }>): Promise<number> {
  const started = performance.now();
  const res = await request();
  assert.equal(res.status, 200);
  return performance.now() - started;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const backend of backends()) {
  describe(`bounded work per request [${backend.name}]`, () => {
    let app: App;
    let url: string;

    before(async () => {
      ({ app, url } = await startTestApp(backend, {
        rate_limits: { messages_per_10s: 10_000 },
        events: { scan_window: 20 },
      }));
    });

    it("a search of 128 repeated words over long messages does not stall another user's requests", async function () {
      this.timeout(120_000);
      const attacker = await registerUser(url, "attacker");
      const other = await registerUser(url, "bystander");
      const own = await openConversation([attacker]);
      const theirs = await openConversation([other]);
      const content = Array(2000).fill("a").join(" ");
      for (let i = 0; i < 100; i += 10) {
        await Promise.all(Array.from({ length: 10 }, () => send(attacker, own, content)));
      }
      const bystander = () => other.api.get(`/api/v1/conversations/${theirs}`);
      const baseline = median(await sequence(5, () => timed(bystander)));

      const q = encodeURIComponent(Array(128).fill("a").join(" "));
      const attack = () => attacker.api.get(`/api/v1/search/messages?q=${q}&limit=100`);
      const searches = Promise.all([attack(), attack()]);
      const during = await sequence(3, () => timed(bystander));
      for (const res of await searches) {
        assert.equal(res.status, 200);
        assert.equal(res.body.data.length, 100);
        assert.match(res.body.data[0].highlight, /^\u0002a\u0003 \u0002a\u0003/);
      }
      // Generous: before, each of these waited for the whole attack (seconds).
      const bound = baseline * 20 + 1000;
      assert.ok(
        Math.max(...during) < bound,
        `bystander took ${during.map(Math.round).join(", ")} ms during the attack, baseline ${Math.round(baseline)} ms`,
      );
    });

    it(`refuses a search with more than ${MAX_SEARCH_TERMS} different terms`, async () => {
      const user = await registerUser(url, "terms");
      const words = Array.from({ length: MAX_SEARCH_TERMS + 1 }, (_, i) => `w${i}`).join(" ");
      const res = await user.api.get(`/api/v1/search/messages?q=${encodeURIComponent(words)}`);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, "validation_error");
      assert.equal(res.body.error.details[0].field, "q");
      const repeated = Array(128).fill("w").join(" ");
      const ok = await user.api.get(`/api/v1/search/messages?q=${encodeURIComponent(repeated)}`);
      assert.equal(ok.status, 200);
    });

    describe("reading a user's events reads at most events.scan_window positions at a time", () => {
      let alice: TestUser;
      let start: string;
      let mine: { id: string }[];
      const clients: RealtimeClient[] = [];
      afterEach(() => closeAll(clients));

      before(async () => {
        alice = await registerUser(url, "sparse");
        start = await app.services.sync.currentCursor();
        // Alice's three events sit among 100 of other users: 5 windows of 20 positions.
        const others = await registerUser(url, "busy");
        const drafts = Array.from({ length: 103 }, (_, i) =>
          messageDraft(i % 40 === 39 ? [alice.id] : [others.id]),
        );
        for (let i = 0; i < drafts.length; i += 25) {
          await commitEvents(app, drafts.slice(i, i + 25));
        }
        await app.events.sequencer.flush();
        mine = drafts.filter((d) => d.audience[0] === alice.id).map((d) => d.frame.data as any);
      });

      it("GET /sync pages through the windows with has_more until it reaches the head", async () => {
        const seen: string[] = [];
        let cursor = start;
        let pages = 0;
        for (;;) {
          const res = await alice.api.get(`/api/v1/sync?since=${cursor}&limit=50`);
          assert.equal(res.status, 200);
          pages += 1;
          seen.push(...res.body.data.map((frame: any) => frame.data.id));
          assert.ok(res.body.data.length <= 1, "at most one of alice's events per window");
          cursor = res.body.next_cursor;
          if (!res.body.has_more) break;
        }
        assert.deepEqual(
          seen,
          mine.map((m) => m.id),
        );
        assert.ok(pages >= 5, `${pages} pages`);
        assert.equal(cursor, await app.services.sync.currentCursor());
      });

      it("a resume over both transports replays every event of the user, window by window", async () => {
        const [io, ws] = await connectBoth(url, alice.token, clients, { since: start });
        for (const client of [io, ws]) {
          const replayed = await sequence(mine.length, () => nextEvent(client, "message.new"));
          assert.deepEqual(
            replayed.map((frame) => frame.data.id),
            mine.map((m) => m.id),
          );
          assert.equal(framesOf(client, "message.new").length, mine.length);
        }
      });
    });
  });
}

async function sequence<T>(count: number, run: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < count; i += 1) results.push(await run());
  return results;
}
