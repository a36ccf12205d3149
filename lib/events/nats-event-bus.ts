import {
  connect,
  DeliverPolicy,
  DiscardPolicy,
  Events,
  headers,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
  nanos,
  NatsConnection,
  RetentionPolicy,
  StorageType,
  StreamConfig,
} from "nats";
import type { StreamErasure } from "./event-bus";
import { eraseFromStream } from "./jetstream-eraser";
import type { Config } from "../../config/load-config";
import type { Logger } from "../logger";
import {
  BusEvent,
  BusSubscription,
  EventBody,
  EventBus,
  POSITION_HEADER,
  PublishError,
  subjectOf,
} from "./event-bus";
import { natsBody, PublishedEvent } from "./event-types";
import { JetStreamPublisher, OutgoingMessage } from "./jetstream-publisher";

export interface NatsEventBusOptions {
  url: string;
  nats: Config["nats"];
  /** Unawaited publishes in flight at once. */
  publishWindow: number;
  /** How long one publish waits for JetStream's acknowledgement. @default 5000 */
  publishTimeoutMs?: number;
  logger: Logger;
}

const STREAM_NOT_FOUND = 10059;

/**
 * JetStream publisher: creates or updates the stream from config at start, publishes each
 * event with `Nats-Msg-Id` = event id (JetStream drops a republish inside the duplicate
 * window) and reconnects forever; while NATS is away publishes fail and the relay retries.
 */
export class NatsEventBus implements EventBus {
  readonly kind = "nats";
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private publisher: JetStreamPublisher | undefined;
  private jsm: JetStreamManager | undefined;
  private connected = false;
  private streamReady = false;

  constructor(private readonly options: NatsEventBusOptions) {}

  async init(): Promise<void> {
    const { url, nats, logger } = this.options;
    this.nc = await connect({
      servers: url,
      name: "messaging-service",
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      timeout: 5000,
      // No stack captured per request (every JetStream publish is one): ~60 µs of CPU per
      // event in a profile, for traces our logs do not use.
      noAsyncTraces: true,
    });
    this.connected = true;
    void this.watchStatus(this.nc);
    this.jsm = await this.nc.jetstreamManager();
    this.js = this.nc.jetstream();
    this.publisher = new JetStreamPublisher(
      this.nc,
      this.options.publishTimeoutMs ?? 5000,
      this.options.publishWindow,
    );
    try {
      await this.ensureStream();
    } catch (error) {
      await this.nc.close().catch(() => undefined);
      throw error;
    }
    logger.info("NATS JetStream connected", { stream: nats.stream, subjects: this.subjects() });
  }

  async publish(events: PublishedEvent[]): Promise<void> {
    if (!this.publisher) throw new PublishError("event bus not initialised", []);
    if (!this.streamReady) await this.ensureStream().catch(() => undefined);
    const { acked, failure } = await this.publisher.publishAll(events.map((e) => this.message(e)));
    if (failure) {
      if (failure.code === "503") this.streamReady = false;
      throw new PublishError(`JetStream publish failed: ${failure.message}`, acked, {
        cause: failure,
      });
    }
  }

  async subscribe(handler: (event: BusEvent) => void): Promise<BusSubscription> {
    if (!this.js || !this.jsm) throw new Error("event bus not initialised");
    const info = await this.jsm.streams.info(this.options.nats.stream);
    const consumer = await this.js.consumers.get(this.options.nats.stream, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: info.state.last_seq + 1,
    });
    const messages = await consumer.consume();
    void (async () => {
      for await (const message of messages) {
        try {
          handler(busEventOf(message));
        } catch {
          // the subscriber's own problem
        }
      }
    })();
    return { close: async () => void (await messages.close()) };
  }

  /** See EventBus.erase; `subjects` are relative to the prefix (e.g. `message.*`). */
  async erase(erasure: StreamErasure): Promise<number> {
    if (!this.js || !this.jsm) throw new Error("event bus not initialised");
    const prefix = this.options.nats.subject_prefix;
    return eraseFromStream(this.jsm, this.js, this.options.nats.stream, {
      ...erasure,
      subjects: erasure.subjects.map((subject) => `${prefix}.${subject}`),
    });
  }

  async ping(): Promise<void> {
    if (!this.nc || this.nc.isClosed()) throw new Error("NATS connection closed");
    if (!this.connected) throw new Error("NATS disconnected, reconnecting");
    await this.nc.flush();
  }

  async close(): Promise<void> {
    const nc = this.nc;
    if (!nc || nc.isClosed()) return;
    await nc.close();
  }

  private subjects(): string[] {
    return [`${this.options.nats.subject_prefix}.>`];
  }

  /** Creates the stream, or updates it to the configured limits. */
  private async ensureStream(): Promise<void> {
    const { nats, logger } = this.options;
    const jsm = this.jsm as JetStreamManager;
    const config: Partial<StreamConfig> = {
      name: nats.stream,
      subjects: this.subjects(),
      storage: nats.storage === "memory" ? StorageType.Memory : StorageType.File,
      num_replicas: nats.replicas,
      max_age: nanos(nats.max_age),
      duplicate_window: nanos(Math.min(nats.duplicate_window, nats.max_age)),
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
    };
    try {
      await jsm.streams.info(nats.stream);
    } catch (error) {
      if (
        (error as { api_error?: { err_code?: number } }).api_error?.err_code !== STREAM_NOT_FOUND
      ) {
        throw error;
      }
      await jsm.streams.add(config);
      this.streamReady = true;
      return;
    }
    try {
      await jsm.streams.update(nats.stream, config);
    } catch (error) {
      // E.g. a storage type change, which JetStream refuses: keep using the stream as it is.
      logger.warn("could not update the JetStream stream; using it as configured on the server", {
        stream: nats.stream,
        error: (error as Error).message,
      });
    }
    this.streamReady = true;
  }

  /** An event as JetStream stores it: `Nats-Msg-Id` de-duplicates a republish. */
  private message(event: PublishedEvent): OutgoingMessage {
    const hdrs = headers();
    hdrs.set("Nats-Msg-Id", event.id);
    hdrs.set("Nats-Expected-Stream", this.options.nats.stream);
    hdrs.set(POSITION_HEADER, String(event.position));
    return {
      id: event.id,
      subject: subjectOf(this.options.nats.subject_prefix, event),
      data: JSON.stringify(natsBody(event)),
      headers: hdrs,
    };
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    const { logger } = this.options;
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect) {
        this.connected = false;
        logger.warn("NATS disconnected; reconnecting", { server: status.data });
      } else if (status.type === Events.Reconnect) {
        this.connected = true;
        // A memory-storage stream does not survive a server restart: recreate it first.
        this.streamReady = false;
        logger.info("NATS reconnected", { server: status.data });
      }
    }
  }
}

/** Reads a JetStream message back into a BusEvent. */
export function busEventOf(message: Pick<JsMsg, "subject" | "headers" | "json">): BusEvent {
  const body = message.json<EventBody>();
  return {
    id: message.headers?.get("Nats-Msg-Id") || body.id,
    subject: message.subject,
    position: Number(message.headers?.get(POSITION_HEADER) ?? 0),
    body,
  };
}
