import { LoadConnection, LoadMessage, openConnection } from "../clients";
import { nowMs, sleep } from "../random";
import type { ClientSpec } from "../types";

/** One successful (re)connection of a client. */
export interface Reconnection {
  client: number;
  /** When the previous connection dropped (epoch ms). */
  droppedAt: number;
  /** When the new one said `ready`. */
  readyAt: number;
  /** The node it landed on. */
  url: string;
  /** Whether it resumed from a cursor (always, once it had one). */
  resumed: boolean;
  /** Connection attempts it took (refused or failed ones included). */
  attempts: number;
}

/** What a client tells its group. */
export interface ClientListener {
  /** `resumeLagMs`: for a message the resume replayed, ms since the connection was ready; else null. */
  onMessage(client: ReconnectingClient, message: LoadMessage, resumeLagMs: number | null): void;
  onPresence(client: ReconnectingClient, userId: string, status: string): void;
  onConnected(client: ReconnectingClient, reconnection: Reconnection | null): void;
  onDropped(client: ReconnectingClient): void;
}

/**
 * The wait before reconnect attempt `attempt` (0 = the first), as the SDK's client does:
 * a random point in the upper half of min(10 s, 250 ms × 2^attempt), so clients dropped
 * together do not come back in step.
 */
const backoffMs = (attempt: number) => {
  const ceiling = Math.min(10_000, 250 * 2 ** Math.min(attempt, 10));
  return ceiling / 2 + (Math.random() * ceiling) / 2;
};

/**
 * A client that behaves like a real app: when its connection drops it reconnects, to the
 * next node in the list first (the other one, with two), with backoff and jitter, and resumes from the cursor of the last event it received (`/ws?since=`,
 * Socket.IO `auth.since`), so nothing it missed is lost. An `error` frame that answers no
 * request (a resume the server could not serve) makes it drop that connection and resume
 * again from the same cursor. A held client (a presence probe) stays away once dropped
 * until released.
 */
export class ReconnectingClient {
  connection: LoadConnection | undefined;
  /** The resume point: `ready`'s cursor at first, then each received event's. */
  cursor: string | undefined;
  held = false;
  /** Held once as a presence probe: its deliveries' latencies include the time held away. */
  probe = false;
  /** The node of the current (or last) connection. */
  url: string;
  private urlIndex: number;
  private generation = 0;
  private reconnecting = false;
  private closed = false;
  private droppedAt = 0;
  /** When the current connection resumed (said `ready` after a drop); 0 for the first one. */
  private resumedAt = 0;

  constructor(
    readonly spec: ClientSpec,
    private readonly urls: string[],
    private readonly listener: ClientListener,
    private readonly timeoutMs: number,
  ) {
    this.url = spec.url;
    this.urlIndex = Math.max(0, urls.indexOf(spec.url));
  }

  get index(): number {
    return this.spec.index;
  }

  /** The first connection, to the client's own node. */
  async open(): Promise<void> {
    this.connection = await this.connect(this.spec.url);
    this.listener.onConnected(this, null);
  }

  /** A held client dropped meanwhile reconnects now. */
  release(): void {
    this.held = false;
    if (!this.connection && !this.closed) void this.reconnect();
  }

  close(): void {
    this.closed = true;
    this.generation += 1;
    this.connection?.close();
    this.connection = undefined;
  }

  private connect(url: string): Promise<LoadConnection> {
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.closed;
    const resuming = this.cursor !== undefined;
    return openConnection(
      { ...this.spec, url, since: this.cursor },
      {
        onReady: (cursor) => {
          if (!resuming) this.cursor = cursor;
          this.resumedAt = resuming ? nowMs() : 0;
        },
        onMessage: (message, cursor) => {
          if (!current()) return;
          if (cursor) this.cursor = cursor;
          // Stored before this connection was ready: it came with the resume's replay.
          const replayed = this.resumedAt > 0 && Date.parse(message.created_at) < this.resumedAt;
          this.listener.onMessage(this, message, replayed ? nowMs() - this.resumedAt : null);
        },
        onPresence: (userId, status) => {
          if (current()) this.listener.onPresence(this, userId, status);
        },
        onError: () => {
          if (current()) this.drop();
        },
        onClose: () => {
          if (current()) this.drop();
        },
      },
      this.timeoutMs,
    );
  }

  /** The connection is gone (or no longer trusted): forget it, tell the group, come back. */
  private drop(): void {
    const connection = this.connection;
    this.generation += 1;
    this.connection = undefined;
    connection?.close();
    this.droppedAt = nowMs();
    this.listener.onDropped(this);
    if (!this.held && !this.closed) void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    if (this.reconnecting) return;
    this.reconnecting = true;
    try {
      for (let attempt = 1; !this.closed && !this.held; attempt += 1) {
        await sleep(backoffMs(attempt - 1));
        if (this.closed || this.held) return;
        this.urlIndex = (this.urlIndex + 1) % this.urls.length;
        const url = this.urls[this.urlIndex];
        const resumed = this.cursor !== undefined;
        try {
          this.connection = await this.connect(url);
          this.url = url;
          const readyAt = nowMs();
          this.listener.onConnected(this, {
            client: this.index,
            droppedAt: this.droppedAt,
            readyAt,
            url,
            resumed,
            attempts: attempt,
          });
          return;
        } catch {
          // refused or unreachable: the next node, after the next backoff
        }
      }
    } finally {
      this.reconnecting = false;
    }
  }
}
