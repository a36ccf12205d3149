import type { Logger } from "../logger";
import type { ClientConnection } from "./connection-registry";
import type { RealtimeHub } from "./realtime-hub";

/** The core's side of one open connection, held by the transport that opened it. */
export interface RealtimeSession {
  /** The client answered a heartbeat (presence stays fresh). */
  alive(): void;
  /** The transport closed: the connection leaves fan-out and presence. */
  close(): void;
}

/** Presence as the gate reports connections to it. */
export interface ConnectionPresence {
  connectionOpened(userId: string, connectionId: string): Promise<void>;
  connectionAlive(userId: string, connectionId: string): Promise<void>;
  connectionClosed(userId: string, connectionId: string): Promise<void>;
}

/**
 * How a transport reaches the realtime core: it opens a session per authenticated
 * connection and reports heartbeats and the close through it; fan-out (the hub) and presence
 * stay behind the gate, so Socket.IO and /ws are adapters of the same rules.
 */
export class SessionGate {
  constructor(
    private readonly hub: RealtimeHub,
    private readonly presence: ConnectionPresence,
    private readonly logger: Logger,
  ) {}

  /**
   * Registers the connection for delivery (`ready`, then the replay from `since`, then live
   * events) and marks its user online.
   */
  open(connection: ClientConnection, since: string | undefined): RealtimeSession {
    const { id, userId } = connection;
    void this.hub.attach(connection, since);
    this.report("presence open", this.presence.connectionOpened(userId, id));
    return {
      alive: () => this.report("presence refresh", this.presence.connectionAlive(userId, id)),
      close: () => {
        this.hub.detach(id);
        this.report("presence close", this.presence.connectionClosed(userId, id));
      },
    };
  }

  /** Open connections of a user on this node (the per-user cap). */
  openCount(userId: string): number {
    return this.hub.registry.countFor(userId);
  }

  /** Presence bookkeeping that fails is logged; the socket goes on. */
  private report(what: string, done: Promise<void>): void {
    done.catch((error: Error) => this.logger.warn(`${what} failed`, { error: error.message }));
  }
}
