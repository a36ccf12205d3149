import type { EventBus } from "../../lib/events/event-bus";
import type { PublishedEvent } from "../../lib/events/event-types";

/**
 * An event bus that dies at the worst moment: every publish reaches the broker, then fails
 * as a crash would before the relay marks it published (the lease is left to expire).
 */
export function crashAfterPublish(
  bus: EventBus,
  onPublished: (events: PublishedEvent[]) => void,
): EventBus {
  return {
    kind: bus.kind,
    init: () => bus.init(),
    publish: async (events) => {
      await bus.publish(events);
      onPublished(events);
      throw new Error("simulated crash after publish, before marking");
    },
    subscribe: (handler) => bus.subscribe(handler),
    ping: () => bus.ping(),
    erase: bus.erase && ((erasure) => bus.erase!(erasure)),
    close: () => bus.close(),
  };
}
