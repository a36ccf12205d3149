import assert from "node:assert/strict";
import { MAX_CONTENT_LENGTH } from "../../lib/domain/messages/message-schemas";
import { backends } from "../support/backends";
import { TestUser, registerUser } from "../support/factories";
import { useSearchFixture } from "../support/search-fixtures";
import { seedConversation, seedDelete } from "../support/seed";

/** Over the 500 bytes that the covering index holds, so found through the other half. */
const long = (text: string) => `${text} ${"filler ".repeat(80)}`;

/** `bytes` of distinct two-letter words: about the largest tsvector that much text makes. */
function denseWords(bytes: number, lead: string): string {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let text = lead;
  for (let i = 0; text.length + 3 <= bytes; i += 1) {
    text += ` ${letters[i % 26]}${letters[Math.floor(i / 26) % 26]}`;
  }
  return text.padEnd(bytes, "x");
}

/** Unique words up to `length` characters. */
const uniqueWords = (length: number, lead: string) =>
  Array.from({ length }, (_, i) => `w${i.toString(36)}`)
    .reduce((text, word) => (text.length + word.length < length ? `${text} ${word}` : text), lead)
    .padEnd(length, "y");

for (const backend of backends()) {
  describe(`GET /api/v1/search/messages: scope, deletion, length and paging [${backend.name}]`, () => {
    const f = useSearchFixture(backend);
    const ids = (body: { data: { id: string }[] }) => body.data.map((hit) => hit.id);

    /** Every page of `q` with `limit`, concatenated; fails on a repeated hit. */
    async function allPages(user: TestUser, q: string, limit: string): Promise<string[]> {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string> = { q, limit };
        if (cursor) query.cursor = cursor;
        const res = await f.search(user, query);
        assert.equal(res.status, 200);
        seen.push(...ids(res.body));
        cursor = res.body.next_cursor;
      } while (cursor);
      assert.equal(new Set(seen).size, seen.length, "a hit came back twice");
      return seen;
    }

    it("pages through short and long hits in rank, then recency order, each exactly once", async () => {
      const other = await seedConversation(f.knex, { memberIds: [f.alice.id] });
      const expected: string[] = [];
      for (let i = 0; i < 12; i += 1) {
        const text = `orbit ${"orbit ".repeat(i % 3)}item ${i}`;
        expected.push(
          await f.say(i % 2 ? long(text) : text, f.alice, i % 4 ? f.conversationId : other),
        );
      }
      const onePage = ids((await f.search(f.alice, { q: "orbit", limit: "100" })).body);
      assert.deepEqual([...onePage].sort(), [...expected].sort());
      // Three occurrences rank first, newest first among equals (short and long alike).
      assert.deepEqual(onePage.slice(0, 4), [expected[11], expected[8], expected[5], expected[2]]);
      for (const limit of ["1", "3", "5"])
        assert.deepEqual(await allPages(f.alice, "orbit", limit), onePage);
    });

    it("never matches deleted messages or conversations the caller is not a member of", async () => {
      const carol = await registerUser(f.url, "carol");
      const theirs = await seedConversation(f.knex, { memberIds: [f.bob.id, carol.id] });
      const kept = [await f.say("nebula short"), await f.say(long("nebula long"))];
      for (const content of ["nebula gone", long("nebula gone long")]) {
        await seedDelete(f.knex, await f.say(content));
      }
      await f.say("nebula theirs", f.bob, theirs);
      await f.say(long("nebula theirs long"), carol, theirs);
      assert.deepEqual([...(await allPages(f.alice, "nebula", "1"))].sort(), [...kept].sort());
      assert.equal((await allPages(f.bob, "nebula", "2")).length, 4);

      // Leaving a conversation takes its messages out of the caller's results.
      await f
        .knex("conversation_members")
        .where({ conversation_id: f.conversationId, user_id: f.bob.id })
        .delete();
      assert.equal((await allPages(f.bob, "nebula", "2")).length, 2);
    });

    it("stores and finds messages at the covering index's limit and at the maximum length", async () => {
      const send = (content: string) =>
        f.alice.api.post(`/api/v1/conversations/${f.conversationId}/messages`, { content });
      const dense = denseWords(500, "quasar");
      assert.equal(Buffer.byteLength(dense), 500);
      const longest = uniqueWords(MAX_CONTENT_LENGTH, "quasar");
      assert.equal(longest.length, MAX_CONTENT_LENGTH);
      const sent = [];
      for (const content of [dense, `${dense}z`, longest]) {
        const res = await send(content);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        sent.push(res.body.id);
      }
      const found = ids((await f.search(f.alice, { q: "quasar" })).body);
      assert.deepEqual([...found].sort(), [...sent].sort());
      assert.deepEqual(ids((await f.search(f.alice, { q: "w10" })).body), [sent[2]]);
    });

    it("matches a substring with letters case-insensitively, a caseless one as written", async () => {
      const mixed = await f.say("Deploy部署 done");
      const plain = await f.say("今天部署了");
      assert.deepEqual(ids((await f.search(f.alice, { q: "deploy部署" })).body), [mixed]);
      assert.deepEqual(
        [...ids((await f.search(f.alice, { q: "部署" })).body)].sort(),
        [mixed, plain].sort(),
      );
    });
  });
}
