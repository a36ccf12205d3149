import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Where a message entered or left the service. */
export type Transport = "rest" | "socket.io" | "ws";
/** The two realtime transports. */
export type RealtimeTransport = Exclude<Transport, "rest">;

/** A number the gauge asks for at scrape time (e.g. a cheap count in the database). */
export type GaugeSource = () => Promise<number>;

export interface MetricsOptions {
  /** Process metrics and event-loop lag (`collectDefaultMetrics`). @default true */
  defaultMetrics?: boolean;
  /** How long a sourced gauge value is reused between scrapes, in ms. @default 15000 */
  sourceCacheMs?: number;
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The stages of a send before its ack (messaging_send_stage_seconds). */
export type SendStage = "admission" | "queue" | "store";

/**
 * The one Prometheus registry of a node, with the seed's six metric names exactly, HTTP
 * request duration by route, and process / event-loop metrics. Every module records through
 * the verbs below and never touches prom-client itself, so names and labels stay in one place.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly connections: Gauge<"transport">;
  private readonly sent: Counter<"transport">;
  private readonly received: Counter<"transport">;
  private readonly latency: Histogram<"transport">;
  private readonly http: Histogram<"method" | "route" | "status">;
  private readonly sendStages: Histogram<"stage">;
  /** Users with at least one connection on this node (used when no global source is set). */
  private readonly localUsers = new Map<string, number>();
  private conversationsSource?: GaugeSource;
  private usersOnlineSource?: GaugeSource;
  private busReceivedSource?: () => number;
  private readonly cache = new Map<GaugeSource, { value: number; at: number }>();
  private readonly sourceCacheMs: number;

  constructor(options: MetricsOptions = {}) {
    this.sourceCacheMs = options.sourceCacheMs ?? 15_000;
    const registers = [this.registry];
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.connections = new Gauge({
      name: "messaging_websocket_connections",
      help: "Open realtime connections on this node",
      labelNames: ["transport"],
      registers,
    });
    for (const transport of ["socket.io", "ws"]) this.connections.set({ transport }, 0);
    this.sent = new Counter({
      name: "messaging_messages_sent_total",
      help: "Messages persisted, by the transport they arrived on",
      labelNames: ["transport"],
      registers,
    });
    this.received = new Counter({
      name: "messaging_messages_received_total",
      help: "message.new deliveries to connected clients, by transport",
      labelNames: ["transport"],
      registers,
    });
    this.latency = new Histogram({
      name: "messaging_message_latency_seconds",
      help: "Time from a message being stored to its fan-out to connected clients",
      labelNames: ["transport"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.sendStages = new Histogram({
      name: "messaging_send_stage_seconds",
      help: "Where a send's time goes before its ack: admission (validation), queue (waiting for a store statement and its rate-limit counts), store (the statement and its commit)",
      labelNames: ["stage"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.http = new Histogram({
      name: "http_request_duration_seconds",
      help: "REST request duration by method, matched route pattern and status",
      labelNames: ["method", "route", "status"],
      buckets: HTTP_BUCKETS,
      registers,
    });
    const busReceived = () => this.busReceivedSource?.() ?? 0;
    new Counter({
      name: "messaging_cluster_bus_messages_received_total",
      help: "Cluster bus messages (routed event batches, typing and presence frames) this node received",
      registers,
      collect() {
        this.reset();
        this.inc(busReceived());
      },
    });
    this.sourcedGauge(
      "messaging_conversations_total",
      "Conversations that exist",
      () => (this.conversationsSource ? this.cached(this.conversationsSource) : undefined),
      "first", // one database: every worker reads the same count
    );
    this.sourcedGauge("messaging_users_online", "Users online", () =>
      this.usersOnlineSource ? this.cached(this.usersOnlineSource) : this.localUsers.size,
    );
  }

  private sourcedGauge(
    name: string,
    help: string,
    read: () => Promise<number | undefined> | number | undefined,
    aggregator: "sum" | "first" = "sum",
  ): void {
    new Gauge({
      name,
      help,
      aggregator,
      registers: [this.registry],
      async collect() {
        const value = await read();
        if (value !== undefined) this.set(value);
      },
    });
  }

  /** Reads a source at most once per `sourceCacheMs`; a failing source keeps the last value. */
  private async cached(source: GaugeSource): Promise<number | undefined> {
    const hit = this.cache.get(source);
    if (hit && Date.now() - hit.at < this.sourceCacheMs) return hit.value;
    try {
      const value = await source();
      this.cache.set(source, { value, at: Date.now() });
      return value;
    } catch {
      return hit?.value;
    }
  }

  /** `messaging_conversations_total` is read from this at scrape time (cached). */
  setConversationsSource(source: GaugeSource): void {
    this.conversationsSource = source;
  }

  /**
   * `messaging_users_online` is read from this at scrape time (cached), e.g. the presence
   * store's cluster-wide count. Without one it counts the users connected to this node.
   */
  setUsersOnlineSource(source: GaugeSource): void {
    this.usersOnlineSource = source;
  }

  /** `messaging_cluster_bus_messages_received_total` is read from this at scrape time. */
  setBusReceivedSource(source: () => number): void {
    this.busReceivedSource = source;
  }

  /** A message was persisted (a retried client_msg_id is not a new message). */
  messageSent(transport: Transport): void {
    this.sent.inc({ transport });
  }

  /**
   * A stored message was fanned out: `deliveries` client connections of `transport` got it.
   * The latency is measured from the message's `created_at`.
   */
  messageDelivered(transport: RealtimeTransport, createdAt: string | Date, deliveries = 1): void {
    if (deliveries <= 0) return;
    this.received.inc({ transport }, deliveries);
    const seconds = (Date.now() - new Date(createdAt).getTime()) / 1000;
    if (Number.isFinite(seconds)) this.latency.observe({ transport }, Math.max(0, seconds));
  }

  /** Time a send spent in one stage of its way to the ack (see SendStage). */
  sendStage(stage: SendStage, seconds: number): void {
    this.sendStages.observe({ stage }, Math.max(0, seconds));
  }

  /** A realtime connection was authenticated and opened on this node. */
  connectionOpened(transport: RealtimeTransport, userId?: string): void {
    this.connections.inc({ transport });
    if (userId) this.localUsers.set(userId, (this.localUsers.get(userId) ?? 0) + 1);
  }

  /** The matching close of `connectionOpened`. */
  connectionClosed(transport: RealtimeTransport, userId?: string): void {
    this.connections.dec({ transport });
    if (!userId) return;
    const left = (this.localUsers.get(userId) ?? 1) - 1;
    if (left > 0) this.localUsers.set(userId, left);
    else this.localUsers.delete(userId);
  }

  /** One finished REST request; `route` is the matched pattern, never the raw URL. */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }

  private renderer = () => this.registry.metrics();

  /** The Prometheus text exposition. */
  render(): Promise<string> {
    return this.renderer();
  }

  /** Renders through `render` instead (a worker: the sum over every worker of the machine). */
  renderWith(render: () => Promise<string>): void {
    this.renderer = render;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
