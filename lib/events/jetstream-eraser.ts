import { DeliverPolicy, JetStreamClient, JetStreamManager } from "nats";
import type { EventBody, StreamErasure } from "./event-bus";

const FETCH = 256;

/**
 * Deletes (and overwrites on disk: `erase`) the stream's messages that match, reading from
 * `since` with an ordered consumer per subject filter up to the stream's last message at the
 * start. For erasures of an account: bounded by the stream's age (`nats.max_age`) and by
 * when the account was created. @returns how many messages were erased
 */
export async function eraseFromStream(
  jsm: JetStreamManager,
  js: JetStreamClient,
  stream: string,
  erasure: StreamErasure,
): Promise<number> {
  const info = await jsm.streams.info(stream);
  const last = info.state.last_seq;
  if (info.state.messages === 0) return 0;
  let erased = 0;
  for (const subject of erasure.subjects) {
    const consumer = await js.consumers.get(stream, {
      filterSubjects: subject,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: erasure.since.toISOString(),
    });
    for (let done = false; !done;) {
      const batch = await consumer.fetch({ max_messages: FETCH, expires: 1000 });
      let got = 0;
      for await (const message of batch) {
        got += 1;
        if (message.seq >= last) done = true;
        let body: EventBody | undefined;
        try {
          body = message.json<EventBody>();
        } catch {
          continue;
        }
        if (erasure.match(body) && (await jsm.streams.deleteMessage(stream, message.seq, true))) {
          erased += 1;
        }
      }
      if (got === 0) done = true;
    }
  }
  return erased;
}
