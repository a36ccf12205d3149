import { connect } from "nats";

/**
 * Reads a whole JetStream stream once (an ordered consumer from its first message) and
 * counts the messages per `Nats-Msg-Id`: what the faults scenario compares with the outbox
 * (every committed event exactly once, nothing else).
 */
export async function countStreamMessageIds(
  url: string,
  stream: string,
  timeoutMs = 60_000,
): Promise<Map<string, number>> {
  const nc = await connect({ servers: url, timeout: 5000 });
  const counts = new Map<string, number>();
  try {
    const jsm = await nc.jetstreamManager();
    const { state } = await jsm.streams.info(stream);
    if (state.messages === 0) return counts;
    const consumer = await nc.jetstream().consumers.get(stream);
    const messages = await consumer.consume();
    const timer = setTimeout(() => void messages.close(), timeoutMs);
    try {
      for await (const message of messages) {
        const id = message.headers?.get("Nats-Msg-Id") ?? "";
        counts.set(id, (counts.get(id) ?? 0) + 1);
        if (message.seq >= state.last_seq) break;
      }
    } finally {
      clearTimeout(timer);
      await messages.close();
    }
    return counts;
  } finally {
    await nc.close();
  }
}
