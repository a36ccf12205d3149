import type { RestApi } from "../rest/rest-api.js";
import type { Message } from "../types.js";
import { Coalescer } from "../util/coalescer.js";
import type { ChatStore } from "./chat-store.js";

const PAGE = 50;

/** Pages a conversation's history into the store: newest page, catch-up, older pages. */
export class HistoryLoader {
  private readonly loading = new Map<string, Promise<unknown>>();
  private readonly refreshes = new Coalescer();

  constructor(
    private readonly rest: RestApi,
    private readonly store: ChatStore,
    private readonly put: (message: Message) => void,
  ) {}

  /** The newest page once, then (and on every later call) everything after the newest held. */
  load(conversationId: string): Promise<void> {
    return this.once(`load:${conversationId}`, async () => {
      const timeline = this.store.timeline(conversationId);
      let after = timeline.newestSeq;
      if (!timeline.loaded) {
        const page = await this.rest.listMessages(conversationId, { limit: PAGE });
        page.data.forEach(this.put);
        timeline.olderCursor = page.next_cursor;
        timeline.loaded = true;
        after = page.data[0]?.seq ?? 0;
      }
      // Anything newer than that page (or than what was held): oldest first, no gap left.
      for (;;) {
        const page = await this.rest.listMessages(conversationId, { after_seq: after, limit: 100 });
        page.data.forEach(this.put);
        if (page.data.length < 100) break;
        after = page.data[page.data.length - 1].seq;
      }
      this.store.emit({ type: "messages", conversationId });
    });
  }

  /** The next older page; false when there is none. */
  older(conversationId: string): Promise<boolean> {
    return this.once(`older:${conversationId}`, async () => {
      const timeline = this.store.timeline(conversationId);
      if (!timeline.loaded || !timeline.olderCursor) return false;
      const page = await this.rest.listMessages(conversationId, {
        limit: PAGE,
        cursor: timeline.olderCursor,
      });
      page.data.forEach(this.put);
      timeline.olderCursor = page.next_cursor;
      this.store.emit({ type: "messages", conversationId });
      return timeline.olderCursor !== null;
    });
  }

  /** A thread: the message itself and every reply under it. */
  thread(parentId: string): Promise<void> {
    return this.once(`thread:${parentId}`, async () => {
      const replies = async () => {
        let cursor: string | null = null;
        do {
          const query = { limit: 100, ...(cursor ? { cursor } : {}) };
          const page = await this.rest.replies(parentId, query);
          page.data.forEach(this.put);
          cursor = page.next_cursor;
        } while (cursor);
      };
      await Promise.all([this.rest.message(parentId).then(this.put), replies()]);
    });
  }

  /** Fetches one held message again (a parent whose reply_count moved). */
  refresh(id: string): Promise<void> {
    return this.refreshes.run(id, async () => this.put(await this.rest.message(id)));
  }

  private once<T>(key: string, task: () => Promise<T>): Promise<T> {
    const running = this.loading.get(key) as Promise<T> | undefined;
    if (running) return running;
    const promise = task().finally(() => this.loading.delete(key));
    this.loading.set(key, promise);
    return promise;
  }
}
