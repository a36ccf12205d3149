import type { Knex } from "knex";
import type { Backend } from "./backends";
import type { ApiResponse } from "./http-client";
import { TestUser, registerUser } from "./factories";
import { seedConversation, seedMessage } from "./seed";
import { startTestApp } from "./test-app";

/** What a message-search suite works with; fresh users and conversation per test. */
export interface SearchFixture {
  url: string;
  knex: Knex;
  alice: TestUser;
  bob: TestUser;
  /** A group of alice and bob. */
  conversationId: string;
  search(user: TestUser, query: Record<string, string>): Promise<ApiResponse>;
  /** Stores a message directly (alice in the group unless told otherwise); its id. */
  say(content: string, sender?: TestUser, conversation?: string): Promise<string>;
}

/** Registers the suite's hooks: one app per suite, alice, bob and their group per test. */
export function useSearchFixture(backend: Backend): SearchFixture {
  const fixture = {
    search: (user: TestUser, query: Record<string, string>) =>
      user.api.get(`/api/v1/search/messages?${new URLSearchParams(query)}`),
    say: (content: string, sender = fixture.alice, conversation = fixture.conversationId) =>
      seedMessage(fixture.knex, { conversationId: conversation, senderId: sender.id, content }),
  } as SearchFixture;

  before(async function () {
    this.timeout(60_000); // the first embedded database of the process starts here
    const started = await startTestApp(backend);
    fixture.url = started.url;
    fixture.knex = started.app.database.knex;
  });

  beforeEach(async () => {
    // One after the other: concurrent connections to embedded PGlite can interleave.
    fixture.alice = await registerUser(fixture.url, "alice");
    fixture.bob = await registerUser(fixture.url, "bob");
    fixture.conversationId = await seedConversation(fixture.knex, {
      memberIds: [fixture.alice.id, fixture.bob.id],
    });
  });
  return fixture;
}
