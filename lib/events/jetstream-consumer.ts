import { AckPolicy, connect, DeliverPolicy, nanos, NatsConnection } from "nats";
import type { BusEvent } from "./event-bus";
import { busEventOf } from "./nats-event-bus";

export interface DurableConsumerOptions {
  url: string;
  stream: string;
  /** The durable consumer's name: a restarted consumer with the same name resumes. */
  durable: string;
  /** Only these subjects, e.g. `messaging.message.*`. @default every subject */
  filterSubject?: string;
  /** Handles one event; the message is acked only after it resolves. */
  onEvent(event: BusEvent): void | Promise<void>;
  /** How many recent event ids to remember for deduplicating redeliveries. @default 10000 */
  dedupeWindow?: number;
}

export interface RunningConsumer {
  /** Stops fetching, waits for the event in hand, disconnects. */
  stop(): Promise<void>;
  /** Resolves when the consumer stopped (by stop() or a fatal error). */
  done: Promise<void>;
}

/**
 * A durable JetStream pull consumer for the event stream (what `npm run consume` runs):
 * explicit acks after handling, so an event whose handler failed or whose process died is
 * redelivered; redeliveries of an event already handled are skipped by id (Nats-Msg-Id).
 */
export async function startDurableConsumer(
  options: DurableConsumerOptions,
): Promise<RunningConsumer> {
  const nc: NatsConnection = await connect({
    servers: options.url,
    name: `consumer-${options.durable}`,
    maxReconnectAttempts: -1,
  });
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.consumers.info(options.stream, options.durable);
  } catch {
    await jsm.consumers.add(options.stream, {
      durable_name: options.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(30_000),
      max_ack_pending: 1000,
      ...(options.filterSubject ? { filter_subject: options.filterSubject } : {}),
    });
  }
  const consumer = await nc.jetstream().consumers.get(options.stream, options.durable);
  const messages = await consumer.consume({ max_messages: 100 });
  const recent = new Set<string>();
  const limit = options.dedupeWindow ?? 10_000;

  const done = (async () => {
    for await (const message of messages) {
      const event = busEventOf(message);
      if (!recent.has(event.id)) {
        try {
          await options.onEvent(event);
        } catch {
          message.nak(1000); // redelivered after a second
          continue;
        }
        recent.add(event.id);
        if (recent.size > limit) recent.delete(recent.values().next().value as string);
      }
      message.ack();
    }
  })();

  return {
    done,
    async stop() {
      await messages.close();
      await done.catch(() => undefined);
      await nc.drain();
    },
  };
}
