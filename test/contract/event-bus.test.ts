import assert from "node:assert/strict";
import { loadConfig } from "../../config/load-config";
import { BusEvent, EventBus, PublishError } from "../../lib/events/event-bus";
import { createEventBus } from "../../lib/events/event-bus-factory";
import { createLogger } from "../../lib/logger";
import { newId } from "../../lib/ids";
import { backends } from "../support/backends";
import { sequencedEvent } from "../support/event-helpers";
import { deleteStream } from "../support/service-cleanup";
import { freePort } from "../support/nats-server";
import { connect } from "nats";

const logger = createLogger({ level: "silent", format: "json" });

function busConfig(natsUrl: string | null) {
  const suffix = newId().replace(/-/g, "").slice(-10);
  return loadConfig({
    env: {},
    file: null,
    overrides: {
      nats: natsUrl
        ? { url: natsUrl, stream: `MSGTEST_BUS_${suffix}`, subject_prefix: `msgtest_${suffix}` }
        : { subject_prefix: `msgtest_${suffix}` },
    },
  });
}

async function streamInfo(url: string, stream: string) {
  const nc = await connect({ servers: url });
  try {
    return await (await nc.jetstreamManager()).streams.info(stream);
  } finally {
    await nc.close();
  }
}

/** Collects what a subscription receives until `count` events arrived. */
function collect(bus: EventBus, count: number) {
  const received: BusEvent[] = [];
  let resolveDone: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const subscription = bus.subscribe((event) => {
    received.push(event);
    if (received.length >= count) resolveDone();
  });
  return { received, done, subscription };
}

for (const backend of backends()) {
  const driver = backend.natsUrl ? "nats" : "memory";
  describe(`EventBus contract [${driver}]`, () => {
    let bus: EventBus;
    let config: ReturnType<typeof busConfig>;

    beforeEach(async () => {
      config = busConfig(backend.natsUrl);
      bus = createEventBus(driver, config, logger);
      await bus.init();
    });

    afterEach(async () => {
      await bus.close();
      if (backend.natsUrl) await deleteStream(backend.natsUrl, config.nats.stream);
    });

    it("delivers published events in order with subject, id, position and body", async () => {
      const events = [1, 2, 3].map((position) => sequencedEvent(position));
      const { received, done, subscription } = collect(bus, 3);
      await subscription;
      await bus.publish(events);
      await done;
      await (await subscription).close();
      assert.deepEqual(
        received.map((event) => event.id),
        events.map((event) => event.id),
      );
      const [first] = received;
      assert.equal(first.subject, `${config.nats.subject_prefix}.message.created`);
      assert.equal(first.position, 1);
      assert.deepEqual(first.body, {
        id: events[0].id,
        type: "message.new",
        occurred_at: events[0].occurredAt,
        data: events[0].frame.data,
      });
    });

    it("publishes more events than the window holds", async () => {
      const events = Array.from({ length: config.events.publish_window * 2 + 7 }, (_, i) =>
        sequencedEvent(i + 1),
      );
      const { received, done, subscription } = collect(bus, events.length);
      await subscription;
      await bus.publish(events);
      await done;
      await (await subscription).close();
      assert.deepEqual(
        received.map((event) => event.position),
        events.map((event) => event.position),
      );
    });

    it("answers ping while connected and is closed twice without error", async () => {
      await bus.ping();
      await bus.close();
      await bus.close();
      await assert.rejects(bus.ping());
    });

    if (driver === "nats") {
      it("drops a republished event id inside the duplicate window", async () => {
        const [event, other] = [sequencedEvent(1), sequencedEvent(2)];
        const { received, done, subscription } = collect(bus, 2);
        await subscription;
        await bus.publish([event]);
        await bus.publish([event, other]);
        await done;
        await (await subscription).close();
        assert.deepEqual(
          received.map((e) => e.id),
          [event.id, other.id],
        );
      });

      it("fails with what was acknowledged when the stream is gone, and recreates it for the next try", async () => {
        await deleteStream(backend.natsUrl!, config.nats.stream);
        const error = await bus.publish([sequencedEvent(1)]).then(
          () => assert.fail("published with no stream"),
          (e: PublishError) => e,
        );
        assert.ok(error instanceof PublishError);
        assert.deepEqual(error.published, []);
        const events = [sequencedEvent(2), sequencedEvent(3)];
        await bus.publish(events);
        const info = await streamInfo(backend.natsUrl!, config.nats.stream);
        assert.equal(info.state.messages, 2);
      });

      it("init rejects when NATS cannot be reached", async () => {
        const unreachable = busConfig(`nats://127.0.0.1:${await freePort()}`);
        const broken = createEventBus("nats", unreachable, logger);
        await assert.rejects(broken.init());
      });
    }
  });
}

describe("createEventBus", () => {
  it("throws on an unknown driver", () => {
    assert.throws(() => createEventBus("kafka", busConfig(null), logger), /unknown event bus/);
  });

  it("throws for nats without a URL", () => {
    assert.throws(() => createEventBus("nats", busConfig(null), logger), /nats\.url/);
  });
});
