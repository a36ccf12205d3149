import type { EventLogReader } from "../event-log/event-log";
import type { SequencedEvent } from "../events/event-types";
import { CoalescingRunner } from "../coalescing-runner";
import type { Logger } from "../logger";
import { newId } from "../ids";
import type { SubscriptionRow, WebhookRepository } from "../store/webhook-repository";
import { DeliveryDeps, deliverOnce } from "./webhook-delivery";
import { deliveryBody } from "./webhook-payloads";
import type { Tx } from "../store/handles";

export interface DispatcherSettings {
  timeout: number;
  max_attempts: number;
  retry_base: number;
  retry_max: number;
  disable_after: number;
  poll_interval: number;
  lease: number;
  concurrency: number;
}

export interface WebhookDispatcherOptions extends DeliveryDeps {
  repository: WebhookRepository;
  /** The event log: its head (every position up to it is committed) and its events. */
  log: Pick<EventLogReader, "head" | "scan">;
  /** Runs in the transaction that disables a failing subscription (the audit entry). */
  onDisabled(trx: Tx, sub: SubscriptionRow, reason: string): Promise<void>;
  settings: DispatcherSettings;
  logger: Logger;
  /** Blocks: a subscription that follows one user skips what that user must not receive. */
  hidden?: (event: SequencedEvent) => ReadonlySet<string> | undefined;
}

const READ_BATCH = 100;
/** Log positions one read looks at, at most: a subscription far behind catches up in steps. */
const READ_WINDOW = 5000;
/** Wakes from new events closer together than this are one run (a burst of sends). */
const WAKE_GATHER_MS = 50;

/**
 * Delivers the event log to webhook subscriptions, on every node. Each subscription is
 * leased by one node at a time and read from its own cursor (`webhook_subscriptions.cursor`,
 * a log position), one event after another: ordered per subscription, at least once, and
 * nothing is lost across restarts because nothing waits in memory. A failed try is retried
 * with exponential backoff (the attempt count and due time are stored), then dead-lettered;
 * `disable_after` dead letters in a row disable the endpoint.
 */
export class WebhookDispatcher {
  private readonly nodeId = newId();
  private readonly active = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private wakeTimer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly runner = new CoalescingRunner(
    (poll) => this.claim(poll),
    (error) =>
      this.options.logger.warn("webhook claim failed; retrying on the next poll", {
        error: error.message,
      }),
    () => this.stopped,
  );
  /** Whether any subscription is enabled (checked each poll): no wake-up work without one. */
  private hasSubscriptions = true;

  constructor(private readonly options: WebhookDispatcherOptions) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.tick(true), this.options.settings.poll_interval);
    this.timer.unref();
    this.tick(true);
  }

  /** New events were numbered on this node; a subscription was created or re-enabled. */
  wake(force = false): void {
    if (force) this.hasSubscriptions = true;
    if (this.stopped || !this.hasSubscriptions || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = undefined;
      this.tick();
    }, WAKE_GATHER_MS);
    this.wakeTimer.unref();
  }

  /** Stops claiming, lets deliveries in flight finish (each bounded by the timeout), releases. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.wakeTimer);
    await this.runner.settled();
    await Promise.all(this.active.values());
  }

  /** @param poll a periodic look, which also checks whether any subscription is enabled */
  private tick(poll = false): void {
    this.runner.trigger(poll);
  }

  private async claim(poll: boolean): Promise<void> {
    const { repository, settings } = this.options;
    if (poll) this.hasSubscriptions = await repository.anyEnabled();
    const free = settings.concurrency - this.active.size;
    if (!this.hasSubscriptions || free <= 0) return;
    const head = await this.options.log.head();
    const claimed = await repository.claimDue(this.nodeId, head, settings.lease, free);
    for (const sub of claimed) {
      const run = this.follow(sub, head)
        .catch((error: Error) => {
          this.options.logger.warn("webhook delivery run failed", {
            subscription_id: sub.id,
            error: error.message,
          });
        })
        .finally(async () => {
          await repository.release(sub.id, this.nodeId).catch(() => undefined);
          this.active.delete(sub.id);
        });
      this.active.set(sub.id, run);
    }
  }

  /**
   * The subscription's candidate events in (cursor, windowEnd]: narrowed in SQL by type,
   * conversation, audience (and a command's prefix).
   */
  private async read(
    sub: SubscriptionRow,
    cursor: number,
    windowEnd: number,
  ): Promise<SequencedEvent[]> {
    const command = sub.kind === "command";
    const scanned = await this.options.log.scan({
      after: cursor,
      through: windowEnd,
      limit: READ_BATCH,
      types: command
        ? ["message.new"]
        : sub.event_types.includes("*")
          ? undefined
          : sub.event_types,
      contentPrefix: command ? `/${sub.command}` : undefined,
      conversationIds: sub.conversation_ids ?? undefined,
      audience: sub.user_id ?? undefined,
    });
    return scanned.map((scan) => scan.event);
  }

  /** Delivers the subscription's events after its cursor up to `head`, in order. */
  private async follow(sub: SubscriptionRow, head: number): Promise<void> {
    const { repository, settings } = this.options;
    let cursor = sub.cursor;
    let attempts = sub.attempts;
    while (!this.stopped && cursor < head) {
      const windowEnd = Math.min(head, cursor + READ_WINDOW);
      const events = await this.read(sub, cursor, windowEnd);
      for (const event of events) {
        const body = deliveryBody(sub, event);
        if (body === undefined || (sub.user_id && this.options.hidden?.(event)?.has(sub.user_id)))
          continue;
        const result = await deliverOnce(this.options, sub, event.id, body, event.conversationId);
        if (result.ok) {
          cursor = event.position;
          attempts = 0;
          if (!(await repository.advance(sub.id, this.nodeId, cursor, settings.lease))) return;
          continue;
        }
        attempts += 1;
        if (!result.permanent && attempts < settings.max_attempts) {
          await this.retryLater(sub, attempts, result.error);
          return;
        }
        const disabled = await this.deadLetter(sub, event, body, attempts, result.error);
        if (disabled !== false) return;
        cursor = event.position;
        attempts = 0;
      }
      const reached = events.length < READ_BATCH ? windowEnd : events.at(-1)!.position;
      if (reached > cursor) {
        cursor = reached;
        if (!(await repository.skipTo(sub.id, this.nodeId, cursor))) return;
      }
    }
  }

  private async retryLater(sub: SubscriptionRow, attempts: number, error: string): Promise<void> {
    const { settings } = this.options;
    const delay = Math.min(settings.retry_max, settings.retry_base * 2 ** (attempts - 1));
    await this.options.repository.scheduleRetry(sub.id, this.nodeId, attempts, delay, error);
    // Due then on any node; this one looks again at that moment rather than at its next poll.
    setTimeout(() => this.tick(), delay + 5).unref();
  }

  /** @returns whether the subscription was disabled (undefined: the lease was lost) */
  private async deadLetter(
    sub: SubscriptionRow,
    event: SequencedEvent,
    body: string,
    attempts: number,
    error: string,
  ): Promise<boolean | undefined> {
    const { repository, settings, metrics, logger } = this.options;
    metrics?.webhookTry(sub.kind, "dead_lettered");
    const disabled = await repository.deadLetter(
      {
        id: newId(),
        subscription_id: sub.id,
        event_id: event.id,
        position: event.position,
        event_type: event.type,
        body,
        attempts,
        last_error: error.slice(0, 500),
      },
      this.nodeId,
      settings.disable_after,
      (trx, reason) => this.options.onDisabled(trx, sub, reason),
    );
    if (disabled) {
      metrics?.endpointDisabled();
      logger.warn("webhook endpoint disabled after failing again and again", {
        subscription_id: sub.id,
      });
    }
    return disabled;
  }
}
