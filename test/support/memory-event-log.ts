import type { EventLog, EventScan, ScannedEvent } from "../../lib/event-log/event-log";
import {
  EventDraft,
  SequencedEvent,
  STORED_EVENT_SUBJECTS,
  StoredEventType,
} from "../../lib/events/event-types";
import type { MessageDraft, StoredBatch } from "../../lib/store/message-batch-store";
import type { Tx } from "../../lib/store/handles";

/**
 * The event log in memory, for unit tests of what sits around it: appended drafts wait
 * unnumbered until numberPending (the sequencer) or claimPositions (what the send
 * statement does in SQL, see positionsCte) gives them positions, strictly in order.
 */
export class MemoryEventLog implements EventLog {
  readonly numbered: SequencedEvent[] = [];
  private readonly pending: EventDraft[] = [];
  private lastPosition = 0;
  private pruned = 0;
  private nextId = 0;

  subjectOf(type: StoredEventType): string {
    return `test.${STORED_EVENT_SUBJECTS[type]}`;
  }

  append(_tx: Tx, drafts: EventDraft[]): Promise<void> {
    this.pending.push(...drafts);
    return Promise.resolve();
  }

  numberPending(limit: number): Promise<SequencedEvent[]> {
    return Promise.resolve(this.claimPositions(this.pending.splice(0, limit)));
  }

  /** Numbers drafts as the next positions (the one place positions are given out). */
  claimPositions(drafts: EventDraft[]): SequencedEvent[] {
    const events = drafts.map((draft) => ({
      id: `event-${(this.nextId += 1)}`,
      position: (this.lastPosition += 1),
      type: draft.type,
      conversationId: draft.conversationId,
      audience: draft.audience,
      frame: draft.frame,
      viewerFields: draft.viewerFields ?? null,
      occurredAt: new Date(0).toISOString(),
    }));
    this.numbered.push(...events);
    return events;
  }

  logId(): Promise<string> {
    return Promise.resolve("memory");
  }

  head(): Promise<number> {
    return Promise.resolve(this.lastPosition);
  }

  range(from: number, to: number): Promise<SequencedEvent[]> {
    return Promise.resolve(this.numbered.filter((e) => e.position > from && e.position <= to));
  }

  async forUser(
    userId: string,
    since: number,
    limit: number,
    through: number,
  ): Promise<SequencedEvent[]> {
    const events = await this.range(since, through);
    return events.filter((e) => e.audience.includes(userId)).slice(0, limit);
  }

  /** The filter as PostgresEventLog applies it; every event is due (no clock here). */
  async scan(filter: EventScan): Promise<ScannedEvent[]> {
    const events = await this.range(filter.after, filter.through);
    return events
      .filter(
        (e) =>
          (!filter.types || filter.types.includes(e.type)) &&
          (!filter.conversationIds || filter.conversationIds.includes(e.conversationId ?? "")) &&
          (!filter.audience || e.audience.includes(filter.audience)) &&
          (filter.contentPrefix === undefined ||
            String((e.frame.data as { content?: string }).content).startsWith(
              filter.contentPrefix,
            )),
      )
      .slice(0, filter.limit)
      .map((event) => ({ event, due: true }));
  }

  prunedThrough(): Promise<number> {
    return Promise.resolve(this.pruned);
  }

  backlog(): Promise<{ count: number; oldestAgeSeconds: number }> {
    return Promise.resolve({ count: this.pending.length, oldestAgeSeconds: 0 });
  }

  prune(_cutoff: Date, keepAfter = this.lastPosition): Promise<number> {
    const through = Math.min(keepAfter, this.lastPosition);
    const before = this.numbered.length;
    this.numbered.splice(0, this.numbered.filter((e) => e.position <= through).length);
    this.pruned = Math.max(this.pruned, through);
    return Promise.resolve(before - this.numbered.length);
  }
}

/**
 * The send statement against a MemoryEventLog: a draft whose sender is in `members` of its
 * conversation is stored with the conversation's next seq and its `message.new` numbered
 * at once, ordered by (conversation, seq) as the statement orders them; others are refused.
 * `fail` decides, per statement, to throw instead (a deadlock, a bad draft).
 */
export class MemorySendStore {
  readonly statements: MessageDraft[][] = [];
  private readonly seqs = new Map<string, number>();

  constructor(
    private readonly log: MemoryEventLog,
    private readonly members: (conversationId: string, senderId: string) => boolean,
    private readonly fail: (drafts: MessageDraft[], attempt: number) => Error | undefined = () =>
      undefined,
  ) {}

  async insertBatch(drafts: MessageDraft[]): Promise<StoredBatch> {
    this.statements.push(drafts);
    await new Promise((resolve) => setImmediate(resolve));
    const failure = this.fail(drafts, this.statements.length);
    if (failure) throw failure;
    const accepted = drafts.filter((d) => this.members(d.conversationId, d.senderId));
    const stored = accepted.map((draft) => {
      const seq = (this.seqs.get(draft.conversationId) ?? 0) + 1;
      this.seqs.set(draft.conversationId, seq);
      return { draft, seq };
    });
    stored.sort(
      (a, b) => a.draft.conversationId.localeCompare(b.draft.conversationId) || a.seq - b.seq,
    );
    const events = this.log.claimPositions(
      stored.map(({ draft, seq }) => ({
        type: "message.new",
        conversationId: draft.conversationId,
        audience: [draft.senderId],
        frame: { ...draft.frame, data: { id: draft.id, seq } },
      })),
    );
    const messages = new Map(
      stored.map(({ draft, seq }) => [
        draft.id,
        { id: draft.id, seq, created_at: "", parent_id: null, mentions: [] },
      ]),
    );
    return { messages, events };
  }
}
