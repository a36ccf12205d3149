import { Counter, Gauge, Registry } from "prom-client";

/** Backlog numbers read on scrape. */
export type BacklogSource = () => Promise<{ count: number; oldestAgeSeconds: number }>;

/** Metrics of the durable event path (outbox, relay, sync), registered on one registry. */
export interface EventMetrics {
  /** Events the broker acknowledged. */
  eventsPublished: Counter;
  /** Publish attempts (batches) that failed; the relay retries them. */
  publishFailures: Counter;
  /** GET /sync calls, by outcome (`ok`, `resync_required`, `invalid`). */
  syncRequests: Counter<"outcome">;
  /** Events delivered from the log rather than live, by path (`sync`, `ws`, `socketio`). */
  replayedEvents: Counter<"via">;
  /** Call once the outbox exists: the backlog gauges read it on each scrape. */
  setBacklogSource(source: BacklogSource): void;
}

/** Creates the event metrics on `registry` (the app's one registry). */
export function createEventMetrics(registry: Registry): EventMetrics {
  let source: BacklogSource | undefined;
  let last: Promise<{ count: number; oldestAgeSeconds: number }> | undefined;
  // Both gauges come from one query per scrape.
  const read = (): Promise<{ count: number; oldestAgeSeconds: number }> =>
    (last ??= (source?.() ?? Promise.resolve({ count: 0, oldestAgeSeconds: 0 })).finally(() => {
      setImmediate(() => (last = undefined));
    }));
  new Gauge({
    name: "messaging_outbox_backlog",
    help: "Committed events not yet acknowledged by the event bus",
    registers: [registry],
    aggregator: "first", // one event log: workers summed would count it N times
    async collect() {
      this.set((await read().catch(() => ({ count: 0 }))).count);
    },
  });
  new Gauge({
    name: "messaging_outbox_oldest_unpublished_age_seconds",
    help: "Age of the oldest committed event not yet acknowledged by the event bus",
    registers: [registry],
    aggregator: "max",
    async collect() {
      this.set((await read().catch(() => ({ oldestAgeSeconds: 0 }))).oldestAgeSeconds);
    },
  });
  return {
    eventsPublished: new Counter({
      name: "messaging_events_published_total",
      help: "Events acknowledged by the event bus",
      registers: [registry],
    }),
    publishFailures: new Counter({
      name: "messaging_event_publish_failures_total",
      help: "Event publish attempts that failed (retried with backoff)",
      registers: [registry],
    }),
    syncRequests: new Counter({
      name: "messaging_sync_requests_total",
      help: "GET /sync requests by outcome",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    replayedEvents: new Counter({
      name: "messaging_replayed_events_total",
      help: "Events delivered from the event log (sync and resume) rather than live",
      labelNames: ["via"],
      registers: [registry],
    }),
    setBacklogSource(next) {
      source = next;
    },
  };
}
