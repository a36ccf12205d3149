import type http from "node:http";
import type { Redis } from "ioredis";
import type { Server } from "socket.io";
import type { Config } from "../config/load-config";
import { createSocketIoServer, serveSocketIo } from "../sockets/io";
import { createDispatcher } from "../sockets/protocol";
import { attachWsServer, WsTransport } from "../sockets/ws";
import type { SequencedEvent } from "./events/event-types";
import type { Logger } from "./logger";
import { MemoryPresenceStore } from "./presence/memory-presence-store";
import { PresenceService } from "./presence/presence-service";
import { RedisPresenceStore } from "./presence/redis-presence-store";
import type { Services } from "./services";
import type { MemberRepository } from "./store/member-repository";
import { newId } from "./ids";
import { ClusterBus, inProcessClusterBus } from "./realtime/cluster-bus";
import { RedisClusterBus } from "./realtime/redis-cluster-bus";
import { createRedisClient, redisConfigured, redisReady } from "./redis/redis-client";
import { DeliveryFilter, HubEventLog, HubMetrics, RealtimeHub } from "./realtime/realtime-hub";
import { SessionGate } from "./realtime/session-gate";
import { TypingRelay } from "./realtime/typing-relay";

export interface RealtimeDeps {
  config: Config;
  logger: Logger;
  metrics?: HubMetrics;
  log: HubEventLog;
  members: Pick<MemberRepository, "contactsOf">;
  assertUserExists(userId: string): Promise<void>;
  /** Blocks: who must not receive a frame. */
  filter?: DeliveryFilter;
}

/**
 * Everything realtime on one node, composed: Redis (when configured), presence, the hub,
 * typing, and the two transports. It lives beside the composition root, not in
 * lib/realtime: the realtime core never imports a transport. Created before the HTTP server (services need presence), attached to
 * it once it exists.
 */
export class Realtime {
  readonly presence: PresenceService;
  /** This node on the cluster bus (its channels and directory entries). */
  hub: RealtimeHub | undefined;
  io: Server | undefined;
  private typing: TypingRelay | undefined;
  private ws: WsTransport | undefined;
  private subscriber: Redis | undefined;

  private constructor(
    private readonly deps: RealtimeDeps,
    private readonly redis: Redis | undefined,
    /** This node on the cluster bus (its channels, directory entries, Redis client names). */
    readonly nodeId: string,
  ) {
    const { config } = deps;
    this.presence = new PresenceService({
      store: redis
        ? new RedisPresenceStore(redis, config.redis.key_prefix, config.presence.record_retention)
        : new MemoryPresenceStore(config.presence.record_retention),
      ttlMs: config.presence.ttl,
      graceMs: config.presence.offline_grace,
      contactsOf: (userIds) => deps.members.contactsOf(userIds),
      assertUserExists: deps.assertUserExists,
      announce: (userIds, frame) => this.hub?.publishEphemeral(userIds, frame),
      logger: deps.logger.child({ module: "presence" }),
    });
    // Redis back after an outage may have lost every entry (a restart without persistence):
    // register this node's connections again at once rather than at the next refresh.
    redis?.on("ready", () => void this.presence.resync());
  }

  /** Connects Redis when configured (rejects when it cannot). */
  static async create(deps: RealtimeDeps): Promise<Realtime> {
    const nodeId = newId();
    if (!redisConfigured(deps.config)) return new Realtime(deps, undefined, nodeId);
    const redis = createRedisClient(deps.config, deps.logger, "realtime", {
      connectionName: `realtime-${nodeId}`,
      maxRetriesPerRequest: 3,
    });
    await redisReady(redis).catch((error: Error) => {
      redis.disconnect();
      throw error;
    });
    return new Realtime(deps, redis, nodeId);
  }

  /** Creates Socket.IO, /ws and the hub on the HTTP server. */
  async attach(server: http.Server, services: Services): Promise<void> {
    const { config, logger } = this.deps;
    const hubLogger = logger.child({ module: "realtime" });
    const hub = new RealtimeHub({
      log: this.deps.log,
      bus: this.createBus(hubLogger),
      logger: hubLogger,
      pollIntervalMs: config.events.poll_interval,
      replayScanWindow: config.events.scan_window,
      metrics: this.deps.metrics,
      filter: this.deps.filter,
    });
    const typing = new TypingRelay({
      otherMemberIds: (userId, conversationId) =>
        services.conversations.otherMemberIds(userId, conversationId),
      publish: (userIds, frame) => hub.publishEphemeral(userIds, frame),
      throttleMs: config.realtime.typing_throttle,
      timeoutMs: config.realtime.typing_timeout,
    });
    hub.onStoredEvent((event) => typing.observe(event));
    const sessions = new SessionGate(hub, this.presence, hubLogger);
    const openConnections = {
      count: (userId: string) => sessions.openCount(userId),
      max: config.realtime.max_connections_per_user,
    };
    // Socket.IO stays on its in-memory adapter: cross-node delivery is the cluster bus's.
    const io = createSocketIoServer(server, { config, services }, openConnections);
    const transportDeps = {
      config,
      services,
      sessions,
      logger: hubLogger,
      dispatch: createDispatcher(services, typing),
    };
    serveSocketIo(io, transportDeps);
    this.ws = attachWsServer(server, transportDeps);
    Object.assign(this, { hub, io, typing });
  }

  /** Targeted routing through Redis when configured, else this node alone. */
  private createBus(logger: Logger): ClusterBus {
    const { config, log } = this.deps;
    if (!this.redis) return inProcessClusterBus(log);
    this.subscriber = this.redis.duplicate({ connectionName: `realtime-bus-${this.nodeId}` });
    this.subscriber.on("error", () => undefined);
    return new RedisClusterBus({
      redis: this.redis,
      subscriber: this.subscriber,
      prefix: `${config.redis.key_prefix}bus:`,
      nodeId: this.nodeId,
      log,
      logger,
      checkIntervalMs: config.events.poll_interval,
      sweepIntervalMs: config.realtime.node_sweep_interval,
    });
  }

  /** True while this node knows of no other on the cluster bus (it then routes nothing). */
  get alone(): boolean {
    return this.hub?.alone ?? true;
  }

  /** Cluster bus messages this node received (the cross-node work it pays). */
  busMessagesReceived(): number {
    return this.hub?.busMessagesReceived ?? 0;
  }

  async start(): Promise<void> {
    await this.hub?.start();
    this.presence.start();
  }

  /** The sequencer's listener. */
  publishBatch(batch: SequencedEvent[]): void {
    this.hub?.publishBatch(batch);
  }

  /** Open connections on this node, per transport. */
  connectionCounts() {
    return this.hub?.registry.counts() ?? { total: 0, "socket.io": 0, ws: 0, users: 0 };
  }

  /** Presence entries lapse after the grace period; sockets closed with a reconnect hint. */
  async stop(): Promise<void> {
    await this.presence.stop().catch((error: Error) => {
      this.deps.logger.warn("presence cleanup failed", { error: error.message });
    });
    this.typing?.stopAll();
    await this.hub?.stop();
    await this.ws?.close();
    // Closing engine.io drops every transport: clients see "transport close" and reconnect.
    this.io?.engine.close();
    this.subscriber?.disconnect();
    await this.redis?.quit().catch(() => undefined);
  }
}
