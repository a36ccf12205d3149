import type { AppError } from "../errors";
import type { SequencedEvent } from "../events/event-types";

/**
 * One server→client frame, serialised at most once however many connections receive it
 * (raw clients get `json`; Socket.IO encodes `payload` once per broadcast).
 */
export class OutgoingFrame {
  private encoded: string | undefined;
  private utf8: Buffer | undefined;
  private encodings: Map<string, unknown> | undefined;

  constructor(readonly payload: Record<string, unknown>) {}

  get type(): string {
    return String(this.payload.type);
  }

  get json(): string {
    return (this.encoded ??= JSON.stringify(this.payload));
  }

  /** The JSON as UTF-8, encoded once: `ws` would otherwise encode the string per recipient. */
  get bytes(): Buffer {
    return (this.utf8 ??= Buffer.from(this.json));
  }

  /**
   * A transport's own encoding of this frame, made once for all its recipients (`key`
   * names the encoding; `encode` runs the first time it is asked for).
   */
  encodedFor<T>(key: string, encode: (frame: OutgoingFrame) => T): T {
    this.encodings ??= new Map();
    if (!this.encodings.has(key)) this.encodings.set(key, encode(this));
    return this.encodings.get(key) as T;
  }
}

/** How one transport delivers a frame to many of its connections at once. */
export interface FrameChannel {
  readonly name: "socket.io" | "ws";
  sendMany(connections: ClientConnection[], frame: OutgoingFrame): void;
}

/** A live client connection on this node, whichever transport carries it. */
export interface ClientConnection {
  readonly id: string;
  readonly userId: string;
  readonly channel: FrameChannel;
  send(frame: OutgoingFrame): void;
  /** Closes with a hint to reconnect (the node is going away). */
  closeForShutdown(): void;
  /**
   * Closes for good (the user was suspended, the bot's key revoked): 1008 with the error's
   * message on /ws; on Socket.IO an `error` event, then a server disconnect.
   */
  closeForViolation(error: AppError): void;
  /**
   * Closes with a hint to reconnect soon and resume from the same cursor: its resume could
   * not be served now (a backing service is away), and continuing live would leave a gap.
   */
  closeForRetry(): void;
}

/** A connection plus its place in the event log. */
export interface ConnectionEntry {
  readonly connection: ClientConnection;
  /** The newest position sent to it; stored events at or below are never sent again. */
  lastPosition: number;
  /** While resuming: live events held back until the replay has caught up. */
  held: SequencedEvent[] | null;
}

/** userId → this node's connections, for both transports. */
export class ConnectionRegistry {
  private readonly byUser = new Map<string, Set<ConnectionEntry>>();
  private readonly byId = new Map<string, ConnectionEntry>();

  add(connection: ClientConnection, lastPosition: number): ConnectionEntry {
    const entry: ConnectionEntry = { connection, lastPosition, held: null };
    this.byId.set(connection.id, entry);
    let set = this.byUser.get(connection.userId);
    if (!set) this.byUser.set(connection.userId, (set = new Set()));
    set.add(entry);
    return entry;
  }

  remove(connectionId: string): ConnectionEntry | undefined {
    const entry = this.byId.get(connectionId);
    if (!entry) return undefined;
    this.byId.delete(connectionId);
    const set = this.byUser.get(entry.connection.userId);
    set?.delete(entry);
    if (set?.size === 0) this.byUser.delete(entry.connection.userId);
    return entry;
  }

  get(connectionId: string): ConnectionEntry | undefined {
    return this.byId.get(connectionId);
  }

  forUser(userId: string): Iterable<ConnectionEntry> {
    return this.byUser.get(userId) ?? [];
  }

  /** The user's open connections on this node. */
  countFor(userId: string): number {
    return this.byUser.get(userId)?.size ?? 0;
  }

  /** Users with at least one connection on this node. */
  users(): IterableIterator<string> {
    return this.byUser.keys();
  }

  hasUser(userId: string): boolean {
    return this.byUser.has(userId);
  }

  all(): IterableIterator<ConnectionEntry> {
    return this.byId.values();
  }

  /** Open connections per transport (for metrics and health). */
  counts(): { total: number; "socket.io": number; ws: number; users: number } {
    const counts = { total: 0, "socket.io": 0, ws: 0, users: this.byUser.size };
    for (const entry of this.byId.values()) {
      counts.total += 1;
      counts[entry.connection.channel.name] += 1;
    }
    return counts;
  }
}

/** Sends a frame to connections grouped by transport: one call per transport. */
export function sendGrouped(connections: ClientConnection[], frame: OutgoingFrame): void {
  if (connections.length === 0) return;
  const groups = new Map<FrameChannel, ClientConnection[]>();
  for (const connection of connections) {
    const group = groups.get(connection.channel);
    if (group) group.push(connection);
    else groups.set(connection.channel, [connection]);
  }
  for (const [channel, group] of groups) channel.sendMany(group, frame);
}
