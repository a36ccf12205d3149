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
import type { EventLogReader } from "../event-log/event-log";
import type { ClusterBus, EphemeralFrame } from "./cluster-bus";
import {
  ClientConnection,
  ConnectionEntry,
  ConnectionRegistry,
  OutgoingFrame,
  sendGrouped,
} from "./connection-registry";
import { contiguousBatch, OrderedEventStream } from "./ordered-event-stream";

/** What the hub reads from the event log. */
export type HubEventLog = EventLogReader;

export type { EphemeralFrame } from "./cluster-bus";

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
   * How often the node compares its position with how far the log was routed to it (the
   * log's head for a lone node; `events.poll_interval`): heals batches lost between nodes,
   * or sequenced by a node that shares the database but not the bus. 0 turns it off.
   */
  pollIntervalMs: number;
  /** Events read per query when a connection resumes. @default 500 */
  replayPageSize?: number;
  /** Most log positions one resume query reads. @default EVENT_SCAN_WINDOW */
  replayScanWindow?: number;
  metrics?: HubMetrics;
  filter?: DeliveryFilter;
}

/**
 * The one fan-out. Every stored event whose audience has a connection here reaches it once,
 * in position order, whether this node's sequencer numbered it or another node did (routed
 * by the cluster bus, healed from the database when a batch goes missing); it then goes to
 * this node's connections of the event's audience, each at most once. Ephemeral frames
 * (typing, presence) go to the named users' connections on the nodes that hold them. Connections that resume get what they missed
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
      () => options.bus.routedThrough(),
    );
  }

  /** The newest position delivered on this node (what a new connection's `ready` carries). */
  get position(): number {
    return this.stream.position;
  }

  /** No other node on the bus: this node delivers its own batches and routes nothing. */
  get alone(): boolean {
    return this.bus.alone;
  }

  /** Cluster bus messages this node received. */
  get busMessagesReceived(): number {
    return this.bus.received;
  }

  /** Called for every stored event after delivery, in order (rooms, typing). */
  onStoredEvent(observer: (event: SequencedEvent) => void): void {
    this.observers.push(observer);
  }

  async start(): Promise<void> {
    await this.stream.start();
    await this.bus.start({
      batch: (batch) => this.stream.receive(batch),
      ephemeral: ({ userIds, frame }) => this.deliverEphemeralLocally(userIds, frame),
      position: () => this.stream.position,
      localUsers: () => this.registry.users(),
    });
  }

  /** Stops following the log and closes every connection with a reconnect hint. */
  async stop(): Promise<void> {
    await this.stream.stop();
    for (const entry of [...this.registry.all()]) {
      try {
        entry.connection.closeForShutdown();
      } catch (error) {
        this.logger.debug("closing a connection failed", { error: (error as Error).message });
      }
    }
    await this.bus.close();
  }

  /**
   * The sequencer's listener. A lone node delivers the batch itself; in a cluster the bus
   * routes it to the nodes of its audience, this one included, in the order all nodes see.
   */
  publishBatch(batch: SequencedEvent[]): void {
    if (this.bus.alone) this.stream.receive(contiguousBatch(batch));
    else this.bus.publishBatch(batch);
  }

  /** Typing and presence: to these users' connections, here and on the nodes holding them. */
  publishEphemeral(userIds: string[], frame: EphemeralFrame): void {
    const hidden = this.filter?.hiddenFromEphemeral(frame);
    if (hidden) userIds = userIds.filter((userId) => !hidden.has(userId));
    if (userIds.length === 0) return;
    this.deliverEphemeralLocally(userIds, frame);
    this.bus.publishEphemeral({ userIds, frame });
  }

  /**
   * Registers an authenticated connection, sends `ready`, and when `since` is given first
   * replays what the user missed (or an `error` resync_required / validation_error frame),
   * then lets live events through.
   */
  async attach(connection: ClientConnection, since?: string): Promise<void> {
    const entry = this.registry.add(connection, this.stream.position);
    this.metrics?.connectionOpened(connection.channel.name, connection.userId);
    // Live events wait until `ready` (and the replay) have been written.
    entry.held = [];
    try {
      if (!(await this.join(entry))) return;
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
      if (since !== undefined) await this.resume(entry, since);
    } finally {
      const held = entry.held ?? [];
      entry.held = null;
      if (this.registry.get(connection.id) === entry) {
        for (const event of held) this.sendIfNew(entry, event);
      }
    }
  }

  /**
   * Lists this node for the user's events; from the position the bus answers, every event
   * of the user reaches this node, so that is where the connection's live stream starts.
   * False when the connection is gone or was told to reconnect.
   */
  private async join(entry: ConnectionEntry): Promise<boolean> {
    const { connection } = entry;
    try {
      const routedFrom = await this.bus.join(connection.userId);
      if (routedFrom !== undefined) entry.lastPosition = Math.max(entry.lastPosition, routedFrom);
    } catch (error) {
      this.logger.warn("could not route the user's events here; the client is told to reconnect", {
        error: (error as Error).message,
      });
      connection.closeForRetry();
      return false;
    }
    return this.registry.get(connection.id) === entry;
  }

  private async resume(entry: ConnectionEntry, since: string): Promise<void> {
    const { connection } = entry;
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
    if (!entry) return;
    const { userId } = entry.connection;
    this.metrics?.connectionClosed(entry.connection.channel.name, userId);
    if (this.registry.countFor(userId) === 0) this.bus.leave(userId);
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
