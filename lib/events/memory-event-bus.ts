import { EventEmitter } from "node:events";
import { BusEvent, BusSubscription, EventBus, subjectOf } from "./event-bus";
import { natsBody, PublishedEvent } from "./event-types";

/**
 * The in-process bus used without `NATS_URL`: events reach this process's subscribers
 * only, synchronously, so "acknowledged" means "handed to every subscriber".
 */
export class MemoryEventBus implements EventBus {
  readonly kind = "memory";
  private readonly emitter = new EventEmitter();
  private closed = false;

  constructor(private readonly subjectPrefix: string) {
    this.emitter.setMaxListeners(0);
  }

  async init(): Promise<void> {
    this.closed = false;
  }

  async publish(events: PublishedEvent[]): Promise<void> {
    if (this.closed) throw new Error("event bus is closed");
    for (const event of events) {
      const busEvent: BusEvent = {
        id: event.id,
        subject: subjectOf(this.subjectPrefix, event),
        position: event.position,
        body: natsBody(event),
      };
      this.emitter.emit("event", busEvent);
    }
  }

  async subscribe(handler: (event: BusEvent) => void): Promise<BusSubscription> {
    // A throwing subscriber must not fail the publisher (it would republish forever).
    const listener = (event: BusEvent): void => {
      try {
        handler(event);
      } catch {
        // the subscriber's own problem
      }
    };
    this.emitter.on("event", listener);
    return {
      close: async () => {
        this.emitter.off("event", listener);
      },
    };
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error("event bus is closed");
  }

  async close(): Promise<void> {
    this.closed = true;
    this.emitter.removeAllListeners();
  }
}
