import Joi from "joi";
import { AppError, validationError } from "../../errors";
import type { EventMetrics } from "../../events/event-metrics";
import {
  decodeEventCursor,
  encodeEventCursor,
  frameFor,
  scanThrough,
  SequencedEvent,
} from "../../events/event-types";
import type { EventLogReader } from "../../event-log/event-log";
import { validate } from "../../validation";
import type { SyncPage, SyncService } from "../contracts";

const syncQuery = Joi.object({
  since: Joi.string().max(64).required(),
  limit: Joi.number().integer().min(1).max(100).default(50),
});

const resyncRequired = (): AppError =>
  new AppError(
    "resync_required",
    "the cursor is older than the event log keeps (or unknown here); reload and take a new cursor",
  );

/**
 * GET /sync: the caller's events after a cursor, from the event log, in the
 * order they became visible. Each event's audience was fixed when it happened, so a user
 * sees exactly the events of conversations they belonged to at the time.
 */
export class EventSyncService implements SyncService {
  constructor(
    private readonly log: Pick<EventLogReader, "head" | "forUser" | "prunedThrough">,
    private readonly metrics?: EventMetrics,
    /** Most positions one page reads (EVENT_SCAN_WINDOW); tests make it small. */
    private readonly scanWindow?: number,
    /** Blocks: users who must not receive an event (its cursor still moves past it). */
    private readonly hidden?: (event: SequencedEvent) => ReadonlySet<string> | undefined,
    /** The caller's badges with the position they hold at (on a page that catches up). */
    private readonly badges?: (userId: string) => Promise<SyncPage["badges"]>,
  ) {}

  async sync(callerId: string, query: unknown): Promise<SyncPage> {
    let since: number;
    let limit: number;
    try {
      const parsed = validate(syncQuery, query);
      const position = decodeEventCursor(parsed.since);
      if (position === undefined) throw validationError("since", "since is not a valid cursor");
      since = position;
      limit = parsed.limit;
    } catch (error) {
      this.metrics?.syncRequests.inc({ outcome: "invalid" });
      throw error;
    }
    // Head BEFORE the query: every event up to it is visible to the query, so when the
    // caller has nothing after `since` the next page may start at head without a gap.
    const head = await this.log.head();
    const through = scanThrough(since, head, this.scanWindow);
    const events = since > head ? [] : await this.log.forUser(callerId, since, limit + 1, through);
    // Pruned-through AFTER the query: if it is still below `since`, nothing the query
    // should have seen had been deleted when it ran.
    if (since > head || since < (await this.log.prunedThrough())) {
      this.metrics?.syncRequests.inc({ outcome: "resync_required" });
      throw resyncRequired();
    }
    const page = events.slice(0, limit);
    const pageFull = events.length > limit;
    const hasMore = pageFull || through < head;
    const last = page.at(-1)?.position ?? since;
    // A page cut short by the scan window resumes after the positions it read.
    const next = pageFull ? last : hasMore ? through : Math.max(since, head, last);
    this.metrics?.syncRequests.inc({ outcome: "ok" });
    this.metrics?.replayedEvents.inc({ via: "sync" }, page.length);
    return {
      data: page
        .filter((event) => !this.hidden?.(event)?.has(callerId))
        .map((event) => frameFor(event, callerId)),
      next_cursor: encodeEventCursor(next),
      has_more: hasMore,
      ...(!hasMore && this.badges ? { badges: await this.badges(callerId) } : {}),
    };
  }

  async currentCursor(): Promise<string> {
    return encodeEventCursor(await this.log.head());
  }
}
