import { Counter, Histogram, Registry } from "prom-client";

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Outcomes of one webhook try. */
export type DeliveryOutcome = "delivered" | "failed" | "dead_lettered";
/** What moderation decided (`error`: the hook failed or timed out; the policy then applied). */
export type ModerationVerdict = "allow" | "reject" | "replace" | "error";

/** Metrics of API keys, webhooks and moderation, on the app's one registry. */
export class IntegrationMetrics {
  private readonly keyRequests: Counter<"api_key" | "api_key_name" | "status">;
  private readonly deliveries: Counter<"kind" | "outcome">;
  private readonly deliverySeconds: Histogram<"kind">;
  private readonly disabled: Counter;
  private readonly moderation: Histogram<"moderator" | "verdict">;

  constructor(registry: Registry) {
    const registers = [registry];
    this.keyRequests = new Counter({
      name: "messaging_api_key_requests_total",
      help: "REST requests made with an API key, by key id, key name and status",
      labelNames: ["api_key", "api_key_name", "status"],
      registers,
    });
    this.deliveries = new Counter({
      name: "messaging_webhook_deliveries_total",
      help: "Webhook tries by subscription kind (events, command) and outcome",
      labelNames: ["kind", "outcome"],
      registers,
    });
    this.deliverySeconds = new Histogram({
      name: "messaging_webhook_delivery_seconds",
      help: "Duration of one webhook try (request and answer)",
      labelNames: ["kind"],
      buckets: BUCKETS,
      registers,
    });
    this.disabled = new Counter({
      name: "messaging_webhook_endpoints_disabled_total",
      help: "Subscriptions disabled for failing webhooks.disable_after times in a row",
      registers,
    });
    this.moderation = new Histogram({
      name: "messaging_moderation_seconds",
      help: "Time moderation took per message, by moderator (http, word_list) and verdict",
      labelNames: ["moderator", "verdict"],
      buckets: [0.0005, 0.001, 0.0025, ...BUCKETS],
      registers,
    });
  }

  apiKeyRequest(keyId: string, keyName: string, status: number): void {
    this.keyRequests.inc({ api_key: keyId, api_key_name: keyName, status: String(status) });
  }

  webhookTry(kind: string, outcome: DeliveryOutcome, seconds?: number): void {
    this.deliveries.inc({ kind, outcome });
    if (seconds !== undefined) this.deliverySeconds.observe({ kind }, seconds);
  }

  endpointDisabled(): void {
    this.disabled.inc();
  }

  moderated(moderator: string, verdict: ModerationVerdict, seconds: number): void {
    this.moderation.observe({ moderator, verdict }, seconds);
  }
}
