import { createInbox, Msg, MsgHdrs, NatsConnection, NatsError, Subscription } from "nats";

/** One message for JetStream: its subject, body, headers, and the id it is known by. */
export interface OutgoingMessage {
  id: string;
  subject: string;
  data: string;
  headers: MsgHdrs;
}

/** What a batch came to: the ids JetStream acknowledged, and the first failure if any. */
export interface PublishOutcome {
  acked: string[];
  failure?: Error & { code?: string };
}

interface Waiting {
  id: string;
  done(error: (Error & { code?: string }) | null): void;
}

/**
 * Publishes to JetStream the way its async publish does: every message goes out with a
 * reply subject under one inbox this publisher listens on, and each PubAck is matched back
 * by its token. A request per message (`js.publish`) costs a promise, a timer, a mux entry
 * and an error object each; here a batch costs one timer and one promise.
 */
export class JetStreamPublisher {
  private readonly prefix = `${createInbox()}.`;
  private readonly subscription: Subscription;
  private readonly waiting = new Map<string, Waiting>();
  private nextToken = 0;

  constructor(
    private readonly nc: NatsConnection,
    /** How long a batch waits for its last acknowledgement. */
    private readonly timeoutMs: number,
    /** Messages awaiting acknowledgement at once. */
    private readonly window: number,
  ) {
    this.subscription = nc.subscribe(`${this.prefix}*`, {
      callback: (_error, msg) => this.onReply(msg),
    });
  }

  /** Publishes in order, at most `window` unacknowledged at a time; stops at the first failure. */
  publishAll(messages: OutgoingMessage[]): Promise<PublishOutcome> {
    return new Promise((resolve) => {
      const acked: string[] = [];
      const tokens: string[] = [];
      let sent = 0;
      let answered = 0;
      let finished = false;
      const finish = (failure?: Error & { code?: string }) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        for (const token of tokens) this.waiting.delete(token);
        resolve(failure ? { acked, failure } : { acked });
      };
      const timer = setTimeout(
        () =>
          finish(Object.assign(new Error("timed out waiting for JetStream"), { code: "TIMEOUT" })),
        this.timeoutMs,
      );
      const sendMore = () => {
        while (!finished && sent < messages.length && sent - answered < this.window) {
          const message = messages[sent++];
          const token = (this.nextToken++).toString(36);
          tokens.push(token);
          this.waiting.set(token, {
            id: message.id,
            done: (error) => {
              answered += 1;
              if (error) return finish(error);
              acked.push(message.id);
              if (answered === messages.length) finish();
              else sendMore();
            },
          });
          this.nc.publish(message.subject, message.data, {
            reply: this.prefix + token,
            headers: message.headers,
          });
        }
      };
      if (messages.length === 0) finish();
      else sendMore();
    });
  }

  close(): void {
    this.subscription.unsubscribe();
  }

  private onReply(msg: Msg): void {
    const waiting = this.waiting.get(msg.subject.slice(this.prefix.length));
    if (!waiting) return; // late, after its batch timed out
    this.waiting.delete(msg.subject.slice(this.prefix.length));
    waiting.done(replyError(msg));
  }
}

/** The failure a PubAck reports, or null: no stream listening (503), or a JetStream error. */
function replyError(msg: Msg): (Error & { code?: string }) | null {
  if (msg.headers?.hasError) {
    return Object.assign(new Error(`JetStream: ${msg.headers.description || msg.headers.code}`), {
      code: String(msg.headers.code),
    });
  }
  let ack: { error?: { code?: number; description?: string } };
  try {
    ack = JSON.parse(msg.string()) as typeof ack;
  } catch {
    return new NatsError("unreadable JetStream acknowledgement", "BAD_JSON");
  }
  if (!ack.error) return null;
  return Object.assign(new Error(`JetStream: ${ack.error.description ?? "error"}`), {
    code: String(ack.error.code ?? ""),
  });
}
