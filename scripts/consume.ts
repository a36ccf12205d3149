import { loadConfig } from "../config/load-config";
import { startDurableConsumer } from "../lib/events/jetstream-consumer";

/**
 * `npm run consume [-- <durable-name> [<subject filter>]]`: an example consumer of the event
 * stream. Prints each event as one JSON line and acks it after printing. The consumer is
 * durable: stop it (Ctrl-C) and start it again with the same name and it continues where
 * it left off. Reads NATS_URL, NATS_STREAM and the rest like the service (config.yaml too).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.nats.url) {
    console.error("NATS_URL is not set: the service keeps its events in-process without NATS");
    process.exit(2);
  }
  const [durable = "example-consumer", filterSubject] = process.argv.slice(2);
  const consumer = await startDurableConsumer({
    url: config.nats.url,
    stream: config.nats.stream,
    durable,
    filterSubject,
    onEvent(event) {
      process.stdout.write(
        `${JSON.stringify({ subject: event.subject, position: event.position, ...event.body })}\n`,
      );
    },
  });
  console.error(`consuming ${config.nats.stream} as durable "${durable}" (Ctrl-C stops)`);
  const stop = () => void consumer.stop().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await consumer.done;
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
