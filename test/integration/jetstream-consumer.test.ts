import assert from "node:assert/strict";
import { loadConfig } from "../../config/load-config";
import type { BusEvent } from "../../lib/events/event-bus";
import { createEventBus } from "../../lib/events/event-bus-factory";
import { startDurableConsumer } from "../../lib/events/jetstream-consumer";
import { newId } from "../../lib/ids";
import { createLogger } from "../../lib/logger";
import { backends } from "../support/backends";
import { sequencedEvent, waitUntil } from "../support/event-helpers";
import { deleteStream } from "../support/service-cleanup";

for (const backend of backends().filter((b) => b.natsUrl)) {
  const url = backend.natsUrl as string;

  describe(`durable example consumer (npm run consume) [${backend.name}]`, () => {
    const suffix = newId().replace(/-/g, "").slice(-10);
    const config = loadConfig({
      env: {},
      file: null,
      overrides: {
        nats: { url, stream: `CONSUME_${suffix}`, subject_prefix: `consume_${suffix}` },
      },
    });
    const bus = createEventBus("nats", config, createLogger({ level: "silent", format: "json" }));

    before(async () => {
      await bus.init();
    });

    after(async () => {
      await bus.close();
      await deleteStream(url, config.nats.stream);
    });

    it("resumes after its own restart with the events it had not acked, each once", async () => {
      const durable = `example_${suffix}`;
      const first = [1, 2, 3].map((position) => sequencedEvent(position));
      await bus.publish(first);

      const seen: BusEvent[] = [];
      let consumer = await startDurableConsumer({
        url,
        stream: config.nats.stream,
        durable,
        onEvent: (event) => void seen.push(event),
      });
      await waitUntil(async () => seen.length === 3, "the first three events arrived");
      await consumer.stop();

      const later = [4, 5].map((position) => sequencedEvent(position));
      await bus.publish([first[0], ...later]); // a republish of an old id is dropped by JetStream
      consumer = await startDurableConsumer({
        url,
        stream: config.nats.stream,
        durable,
        onEvent: (event) => void seen.push(event),
      });
      await waitUntil(async () => seen.length >= 5, "the later events arrived");
      await consumer.stop();
      assert.deepEqual(
        seen.map((event) => event.id),
        [...first, ...later].map((event) => event.id),
      );
      assert.deepEqual(
        seen.map((event) => event.position),
        [1, 2, 3, 4, 5],
      );
    });
  });
}
