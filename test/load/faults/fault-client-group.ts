import type { LoadMessage } from "../clients";
import { encodeHistogram, newHistogram, recordMs } from "../histogram";
import { nowMs, pick, seededRandom, sleep } from "../random";
import type { ConnectResult, GroupPlan, IntervalSnapshot, Totals } from "../types";
import { CONVERSATION_KINDS } from "../types";
import { ClientListener, ReconnectingClient, Reconnection } from "./reconnecting-client";
import { SendBook, SendRecord } from "./send-book";
import { PhaseDeliveries, Receipts, SeqLedger } from "./seq-ledger";

/** A `presence.changed` a client heard: [observer index, user id, status, epoch ms]. */
export type PresenceSighting = [number, string, string, number];

/** Everything a fault group hands back at the end of a run. */
export interface FaultGroupFinal {
  sends: SendRecord[];
  receipts: Receipts[];
  deliveries: PhaseDeliveries[];
  ackHistograms: [number, string][];
  reconnections: Reconnection[];
  presence: PresenceSighting[];
  dropped: number;
  errorCodes: Record<string, number>;
}

/**
 * The clients of one worker in the faults scenario: reconnecting clients that resume from
 * their cursor, an outbox of sends resent until acknowledged, and a ledger of deliveries
 * per member by seq. Sending is open loop at a rate until stopped; the scenario labels each
 * send with the fault window it was intended in (`setPhase`).
 */
export class FaultClientGroup implements ClientListener {
  private readonly clients: ReconnectingClient[];
  private readonly byIndex = new Map<number, ReconnectingClient>();
  private readonly book: SendBook;
  private readonly ledger: SeqLedger;
  private readonly random: () => number;
  /** Conversations weighted by the mix, each with this group's members of it. */
  private readonly choices: { id: string; senders: number[] }[] = [];
  private readonly reconnections: Reconnection[] = [];
  private readonly presence: PresenceSighting[] = [];
  private readonly timer: NodeJS.Timeout;
  private phase = 0;
  private nextNumber = 0;
  private dropped = 0;
  private maxLagMs = 0;
  private sending: { stop(): void } | undefined;
  private closing = false;

  constructor(private readonly plan: GroupPlan) {
    const faults = plan.faults!;
    this.random = seededRandom(plan.seed);
    this.ledger = new SeqLedger(plan.runTag);
    this.book = new SendBook(
      plan.runTag,
      (index) => this.byIndex.get(index)?.connection,
      faults.ackBoundMs,
      (index) => !this.byIndex.get(index)?.probe,
    );
    this.clients = plan.clients.map((spec) => {
      const client = new ReconnectingClient(spec, faults.urls, this, 30_000);
      this.byIndex.set(spec.index, client);
      return client;
    });
    this.buildChoices();
    this.timer = setInterval(() => this.book.sweep(), 500);
  }

  private buildChoices(): void {
    for (const kind of CONVERSATION_KINDS) {
      const local = this.plan.conversations
        .filter((conversation) => conversation.kind === kind)
        .map((conversation) => ({
          id: conversation.id,
          senders: conversation.members.filter((member) => this.byIndex.has(member)),
        }))
        .filter((choice) => choice.senders.length > 0);
      const weight = Math.round(this.plan.mix[kind] * 100);
      for (let i = 0; i < weight && local.length > 0; i += 1) this.choices.push(...local);
    }
  }

  /** Opens every connection, `ratePerSecond` new ones per second, 64 in flight at most. */
  async connect(ratePerSecond: number): Promise<ConnectResult> {
    const histogram = newHistogram();
    const failures: Record<string, number> = {};
    const start = nowMs();
    let next = 0;
    let failed = 0;
    const lane = async () => {
      while (next < this.clients.length) {
        const index = next++;
        const due = start + (index * 1000) / ratePerSecond;
        if (due > nowMs()) await sleep(due - nowMs());
        const began = nowMs();
        try {
          await this.clients[index].open();
          recordMs(histogram, nowMs() - began);
        } catch (error) {
          failed += 1;
          const reason = (error as Error).message.slice(0, 60);
          failures[reason] = (failures[reason] ?? 0) + 1;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(64, this.clients.length) }, lane));
    const connected = this.clients.length - failed;
    return { connected, failed, histogram: encodeHistogram(histogram), failures };
  }

  setPhase(phase: number): void {
    this.phase = phase;
  }

  /** Sends `rate` messages per second until `stopSending`, each at its intended instant. */
  startSending(rate: number): void {
    if (rate <= 0 || this.choices.length === 0) return;
    const gap = 1000 / rate;
    let intended = nowMs();
    const timer = setInterval(() => {
      const now = nowMs();
      while (intended <= now) {
        this.maxLagMs = Math.max(this.maxLagMs, now - intended);
        this.sendOne(intended);
        intended += gap;
      }
    }, 1);
    this.sending = { stop: () => clearInterval(timer) };
  }

  stopSending(): void {
    this.sending?.stop();
    this.sending = undefined;
  }

  /** A conversation and a sender of it who is not held away (a probe sends nothing meanwhile). */
  private chooseSender(): { id: string; sender: number } | undefined {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const choice = pick(this.random, this.choices);
      const sender = pick(this.random, choice.senders);
      if (!this.byIndex.get(sender)!.held) return { id: choice.id, sender };
    }
    return undefined;
  }

  private sendOne(intended: number): void {
    const choice = this.chooseSender();
    if (!choice) return;
    const number = this.plan.groupId * 1_000_000_000 + ++this.nextNumber;
    this.book.add({
      number,
      client: choice.sender,
      conversationId: choice.id,
      clientMsgId: `${this.plan.runTag}-${number}`,
      content: this.plan.contents[number % this.plan.contents.length],
      intended,
      phase: this.phase,
      attempts: 0,
      inFlight: 0,
      sentAt: 0,
      errors: {},
      hung: 0,
    });
  }

  /** Makes every `every`-th client now on `url` a presence probe; returns their user ids. */
  hold(url: string, every: number): string[] {
    // By position among the node's clients (indices alternate between nodes).
    const held = this.clients
      .filter((client) => client.url === url)
      .filter((_, position) => position % every === 0);
    for (const client of held) client.held = client.probe = true;
    return held.map((client) => client.spec.userId);
  }

  release(): void {
    for (const client of this.clients) if (client.held) client.release();
  }

  /** Probes (clients ever held) without a connection now. */
  probesAway(): number {
    return this.clients.filter((client) => client.probe && !client.connection).length;
  }

  /** For each user, when a client first heard it announced with `status` at or after `since`. */
  sightings(userIds: string[], status: string, since: number): Record<string, number | null> {
    const result: Record<string, number | null> = Object.fromEntries(
      userIds.map((id) => [id, null]),
    );
    for (const [, userId, seen, at] of this.presence) {
      if (seen !== status || at < since || !(userId in result)) continue;
      if (result[userId] === null || at < result[userId]!) result[userId] = at;
    }
    return result;
  }

  /** Members (client, conversation) whose newest seq is below the conversation's last. */
  behind(lastSeq: Record<string, number>): number {
    let count = 0;
    for (const client of this.clients) {
      for (const c of client.spec.conversations) {
        const id = this.plan.conversations[c].id;
        if (this.ledger.newest(client.index, id) < (lastSeq[id] ?? 0)) count += 1;
      }
    }
    return count;
  }

  onMessage(client: ReconnectingClient, message: LoadMessage, resumeLagMs: number | null): void {
    this.ledger.record(client.index, message, resumeLagMs, !client.probe);
  }

  onPresence(client: ReconnectingClient, userId: string, status: string): void {
    this.presence.push([client.index, userId, status, nowMs()]);
  }

  onConnected(client: ReconnectingClient, reconnection: Reconnection | null): void {
    if (reconnection) this.reconnections.push(reconnection);
    this.book.onConnected(client.index);
  }

  onDropped(client: ReconnectingClient): void {
    if (!this.closing) this.dropped += 1;
    this.book.onDropped(client.index);
  }

  snapshot(): IntervalSnapshot {
    const { delivered, receiveHistogram } = this.ledger.takeInterval();
    const { ackHistogram, ...counts } = this.book.takeInterval();
    const snapshot = {
      ...this.totals(),
      at: Date.now(),
      connecting: this.clients.filter((client) => !client.connection && !client.held).length,
      ...counts,
      delivered,
      maxLagMs: this.maxLagMs,
      ackHistogram,
      receiveHistogram,
      errorCodes: { ...this.book.errorCodes },
    };
    this.maxLagMs = 0;
    return snapshot;
  }

  totals(): Totals {
    return {
      open: this.clients.filter((client) => client.connection).length,
      dropped: this.dropped,
      totalExpected: 0,
      totalDelivered: this.ledger.totalDelivered,
      pending: this.book.pending,
    };
  }

  final(): FaultGroupFinal {
    const { receipts, phases } = this.ledger.export();
    return {
      sends: [...this.book.records.values()],
      receipts,
      deliveries: phases,
      ackHistograms: [...this.book.ackByPhase].map(([phase, h]) => [phase, encodeHistogram(h)]),
      reconnections: this.reconnections,
      presence: this.presence,
      dropped: this.dropped,
      errorCodes: { ...this.book.errorCodes },
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    this.stopSending();
    clearInterval(this.timer);
    this.book.close();
    for (const client of this.clients) client.close();
    await sleep(50);
  }
}
