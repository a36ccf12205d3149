import { AppError, realtimeErrorBody, toAppError, validationError } from "../errors";
import {
  decodeEventCursor,
  encodeEventCursor,
  frameFor,
  frameWithCursor,
  scanThrough,
  SequencedEvent,
} from "../events/event-types";
import type { Logger } from "../logger";
import type { OutboxRepository } from "../store/outbox-repository";
import type { ClusterBus } from "./cluster-bus";
import {
  ClientConnection,
  ConnectionEntry,
  ConnectionRegistry,
  OutgoingFrame,
  sendGrouped,
} from "./connection-registry";
import { OrderedEventStream } from "./ordered-event-stream";

/** What the hub reads from the event log. */
export type HubEventLog = Pick<OutboxRepository, "head" | "range" | "forUser" | "prunedThrough">;

/** A frame that is not stored (typing, presence): no cursor, no replay. */
export type EphemeralFrame = { type: "typing.indicator" | "presence.changed" } & Record<
  string,
  unknown
>;

interface EphemeralMessage {
  userIds: string[];
  frame: EphemeralFrame;
}

/** The metrics the hub reports (lib/metrics.ts implements them). */
export interface HubMetrics {
  connectionOpened(transport: "socket.io" | "ws", userId?: string): void;
  connectionClosed(transport: "socket.io" | "ws", userId?: string): void;
  messageDelivered(transport: "socket.io" | "ws", createdAt: string, deliveries?: number): void;
}

/**
 * Who must not receive a frame (people who blocked its sender): undefined for nobody, which
 * is what a node without any block answers at once.
 */
export interface DeliveryFilter {
  hiddenFromStored(event: SequencedEvent): ReadonlySet<string> | undefined;
  hiddenFromEphemeral(frame: EphemeralFrame): ReadonlySet<string> | undefined;
}

export interface RealtimeHubOptions {
  log: HubEventLog;
  bus: ClusterBus;
  logger: Logger;
  /**
   * How often the node compares its position with the log's head (`events.poll_interval`):
   * heals batches lost between nodes, or sequenced by a node that shares the database but
   * not the bus. 0 turns it off.
   */
  pollIntervalMs: number;
  /** Events read per query when a connection resumes. @default 500 */
  replayPageSize?: number;
  /** Most log positions one resume query reads. @default EVENT_SCAN_WINDOW */
  replayScanWindow?: number;
  metrics?: HubMetrics;
  filter?: DeliveryFilter;
}

const EVENTS_CHANNEL = "events";
const EPHEMERAL_CHANNEL = "ephemeral";

/**
 * The one fan-out. Every stored event reaches it once per node, in position order, whether
 * this node's sequencer numbered it or another node did (through the cluster bus, healed
 * from the database when a batch goes missing); it then goes to this node's connections of
 * the event's audience, each at most once. Ephemeral frames (typing, presence) go to the
 * named users' connections on every node. Connections that resume get what they missed
 * first, while live events wait, so nothing is doubled or reordered at the seam.
 */
export class RealtimeHub {
  readonly registry = new ConnectionRegistry();
  private readonly stream: OrderedEventStream;
  private readonly observers: ((event: SequencedEvent) => void)[] = [];
  private readonly log: HubEventLog;
  private readonly bus: ClusterBus;
  private readonly logger: Logger;
  private readonly replayPageSize: number;
  private readonly replayScanWindow: number | undefined;
  private readonly metrics: HubMetrics | undefined;
  private readonly filter: DeliveryFilter | undefined;

  constructor(options: RealtimeHubOptions) {
    this.metrics = options.metrics;
    this.filter = options.filter;
    this.log = options.log;
    this.bus = options.bus;
    this.logger = options.logger;
    this.replayPageSize = options.replayPageSize ?? 500;
    this.replayScanWindow = options.replayScanWindow;
    this.stream = new OrderedEventStream(
      options.log,
      (event) => this.deliverStored(event),
      options.logger,
      options.pollIntervalMs,
    );
    this.bus.subscribe(EVENTS_CHANNEL, (batch) => this.stream.receive(batch as SequencedEvent[]));
    this.bus.subscribe(EPHEMERAL_CHANNEL, (message) => {
      const { userIds, frame } = message as EphemeralMessage;
      this.deliverEphemeralLocally(userIds, frame);
    });
  }

  /** The newest position delivered on this node (what a new connection's `ready` carries). */
  get position(): number {
    return this.stream.position;
  }

  /** Called for every stored event after delivery, in order (rooms, typing). */
  onStoredEvent(observer: (event: SequencedEvent) => void): void {
    this.observers.push(observer);
  }

  async start(): Promise<void> {
    await this.stream.start();
  }

  /** Stops following the log and closes every connection with a reconnect hint. */
  async stop(): Promise<void> {
    this.bus.close();
    await this.stream.stop();
    for (const entry of [...this.registry.all()]) {
      try {
        entry.connection.closeForShutdown();
      } catch (error) {
        this.logger.debug("closing a connection failed", { error: (error as Error).message });
      }
    }
  }

  /** The sequencer's listener: deliver here and hand the batch to every other node. */
  publishBatch(batch: SequencedEvent[]): void {
    this.stream.receive(batch);
    this.bus.publish(EVENTS_CHANNEL, batch);
  }

  /** Typing and presence: to these users' connections on every node. */
  publishEphemeral(userIds: string[], frame: EphemeralFrame): void {
    const hidden = this.filter?.hiddenFromEphemeral(frame);
    if (hidden) userIds = userIds.filter((userId) => !hidden.has(userId));
    if (userIds.length === 0) return;
    this.deliverEphemeralLocally(userIds, frame);
    this.bus.publish(EPHEMERAL_CHANNEL, { userIds, frame } satisfies EphemeralMessage);
  }

  /**
   * Registers an authenticated connection, sends `ready`, and when `since` is given first
   * replays what the user missed (or an `error` resync_required / validation_error frame),
   * then lets live events through.
   */
  async attach(connection: ClientConnection, since?: string): Promise<void> {
    const entry = this.registry.add(connection, this.stream.position);
    this.metrics?.connectionOpened(connection.channel.name, connection.userId);
    connection.send(
      new OutgoingFrame({
        type: "ready",
        data: {
          user_id: connection.userId,
          connection_id: connection.id,
          cursor: encodeEventCursor(entry.lastPosition),
        },
      }),
    );
    if (since === undefined) return;
    entry.held = [];
    const livePosition = entry.lastPosition;
    try {
      await this.replay(entry, since);
    } catch (error) {
      const appError = toAppError(error);
      connection.send(new OutgoingFrame({ type: "error", error: realtimeErrorBody(appError) }));
      if (appError.code === "internal" || appError.code === "unavailable") {
        this.logger.warn("resume failed; the client is told to reconnect", {
          error: (appError.cause as Error)?.message ?? appError.message,
        });
        // Going on live would skip what the replay could not read: make it resume again.
        connection.closeForRetry();
      } else entry.lastPosition = Math.max(entry.lastPosition, livePosition);
    } finally {
      const held = entry.held ?? [];
      entry.held = null;
      for (const event of held) this.sendIfNew(entry, event);
    }
  }

  /**
   * Closes this node's connections of a user who lost access, after the current turn (so
   * the event that says why, delivered just before, is written first).
   */
  closeUser(userId: string, error: AppError): void {
    const connections = [...this.registry.forUser(userId)].map((entry) => entry.connection);
    if (connections.length === 0) return;
    setImmediate(() => {
      for (const connection of connections) connection.closeForViolation(error);
    });
  }

  detach(connectionId: string): void {
    const entry = this.registry.remove(connectionId);
    if (entry)
      this.metrics?.connectionClosed(entry.connection.channel.name, entry.connection.userId);
  }

  private async replay(entry: ConnectionEntry, since: string): Promise<void> {
    const from = decodeEventCursor(since);
    if (from === undefined) throw validationError("since", "since is not a valid cursor");
    if (from < (await this.log.prunedThrough())) {
      throw new AppError("resync_required", "the cursor is older than the event log's retention");
    }
    entry.lastPosition = from;
    const { connection } = entry;
    const head = await this.log.head();
    // Bounded steps (a page, or a window of positions), each its own query.
    while (entry.lastPosition < head) {
      const through = scanThrough(entry.lastPosition, head, this.replayScanWindow);
      const page = await this.log.forUser(
        connection.userId,
        entry.lastPosition,
        this.replayPageSize,
        through,
      );
      if (this.registry.get(connection.id) !== entry) return;
      for (const event of page) this.sendIfNew(entry, event);
      // Every event of the user up to `through` was in the page unless it was full.
      if (page.length < this.replayPageSize) entry.lastPosition = through;
    }
  }

  private sendIfNew(entry: ConnectionEntry, event: SequencedEvent): void {
    if (event.position <= entry.lastPosition) return;
    entry.lastPosition = event.position;
    if (this.filter?.hiddenFromStored(event)?.has(entry.connection.userId)) return;
    entry.connection.send(new OutgoingFrame(frameFor(event, entry.connection.userId)));
  }

  private deliverStored(event: SequencedEvent): void {
    const targets: ClientConnection[] = [];
    const hidden = this.filter?.hiddenFromStored(event);
    for (const userId of event.audience) {
      if (hidden?.has(userId)) continue;
      const before = targets.length;
      for (const entry of this.registry.forUser(userId)) {
        if (entry.held) entry.held.push(event);
        else if (event.position > entry.lastPosition) {
          entry.lastPosition = event.position;
          targets.push(entry.connection);
        }
      }
      // Per-viewer frames: one frame per user, shared by that user's connections only.
      if (event.viewerFields?.[userId] && targets.length > before) {
        sendGrouped(targets.splice(before), new OutgoingFrame(frameFor(event, userId)));
      }
    }
    if (targets.length > 0) sendGrouped(targets, new OutgoingFrame(frameWithCursor(event)));
    if (event.type === "message.new" && this.metrics) this.countDeliveries(event, targets);
    for (const observer of this.observers) {
      try {
        observer(event);
      } catch (error) {
        this.logger.error("stored-event observer failed", { error: (error as Error).stack });
      }
    }
  }

  private countDeliveries(event: SequencedEvent, targets: ClientConnection[]): void {
    const createdAt = (event.frame.data as { created_at?: string } | undefined)?.created_at;
    if (!createdAt) return;
    const ws = targets.filter((connection) => connection.channel.name === "ws").length;
    this.metrics?.messageDelivered("ws", createdAt, ws);
    this.metrics?.messageDelivered("socket.io", createdAt, targets.length - ws);
  }

  private deliverEphemeralLocally(userIds: string[], payload: EphemeralFrame): void {
    const targets: ClientConnection[] = [];
    for (const userId of userIds) {
      for (const entry of this.registry.forUser(userId)) targets.push(entry.connection);
    }
    sendGrouped(targets, new OutgoingFrame(payload));
  }
}
