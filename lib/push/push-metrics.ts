import { Counter, Histogram, Registry } from "prom-client";

/** Outcomes of one push try. */
export type PushOutcome = "sent" | "failed" | "dead_lettered" | "expired";

/** Push metrics on the app's one registry: queued, tries by outcome, latency. */
export class PushMetrics {
  private readonly queued: Counter<"kind">;
  private readonly tries: Counter<"kind" | "outcome">;
  private readonly latency: Histogram<"kind">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.queued = new Counter({
      name: "messaging_push_queued_total",
      help: "Notifications queued for devices of offline members, by device kind (webpush, gateway)",
      labelNames: ["kind"],
      registers,
    });
    this.tries = new Counter({
      name: "messaging_push_attempts_total",
      help: "Push tries by device kind and outcome (sent, failed, dead_lettered, expired: the device was gone)",
      labelNames: ["kind", "outcome"],
      registers,
    });
    this.latency = new Histogram({
      name: "messaging_push_latency_seconds",
      help: "From a message's commit to its notification accepted by the push service or gateway (the grace period included)",
      labelNames: ["kind"],
      buckets: [0.5, 1, 2.5, 5, 10, 15, 30, 60, 120, 300, 900],
      registers,
    });
  }

  pushQueued(kind: string, count = 1): void {
    this.queued.inc({ kind }, count);
  }

  pushTry(kind: string, outcome: PushOutcome): void {
    this.tries.inc({ kind, outcome });
  }

  pushSent(kind: string, seconds: number): void {
    this.tries.inc({ kind, outcome: "sent" });
    this.latency.observe({ kind }, seconds);
  }
}
