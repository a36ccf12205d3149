import type { Config } from "../../config/load-config";
import type { Logger } from "../logger";
import type { EventBus } from "./event-bus";
import { MemoryEventBus } from "./memory-event-bus";
import { NatsEventBus } from "./nats-event-bus";

export type EventBusDriver = "nats" | "memory";

/** The driver config implies: NATS when `nats.url` is set, else in-process. */
export function eventBusDriver(config: Config): EventBusDriver {
  return config.nats.url ? "nats" : "memory";
}

/**
 * Builds the event bus for a driver (not yet connected: call `init()`).
 * @throws on an unknown driver, or "nats" without `nats.url`
 */
export function createEventBus(driver: string, config: Config, logger: Logger): EventBus {
  switch (driver) {
    case "memory":
      return new MemoryEventBus(config.nats.subject_prefix);
    case "nats":
      if (!config.nats.url) throw new Error("event bus driver nats needs nats.url (NATS_URL)");
      return new NatsEventBus({
        url: config.nats.url,
        nats: config.nats,
        publishWindow: config.events.publish_window,
        logger: logger.child({ module: "nats-event-bus" }),
      });
    default:
      throw new Error(`unknown event bus driver "${driver}" (expected nats or memory)`);
  }
}
