import type { Redis } from "ioredis";
import type { SequencedEvent } from "../events/event-types";
import type { Logger } from "../logger";
import { redisReady } from "../redis/redis-client";
import { isNodeWide } from "./node-wide-events";
import type { ClusterBus, ClusterBusHandlers, EphemeralMessage } from "./cluster-bus";
import type { GapReader, RoutedBatch } from "./ordered-event-stream";
import {
  EPHEMERAL_SCRIPT,
  FORGET_NODE_SCRIPT,
  JOIN_SCRIPT,
  LEAVE_SCRIPT,
  ROUTE_SCRIPT,
} from "./route-scripts";

export interface RedisClusterBusOptions {
  /** Commands and publishes. */
  redis: Redis;
  /** A connection of its own for this node's channels. */
  subscriber: Redis;
  /** Key and channel prefix shared by the nodes of one cluster (the log's id follows it). */
  prefix: string;
  nodeId: string;
  /** The database side of healing: routing that stalled is resumed from the log. */
  log: GapReader & { logId(): Promise<string> };
  logger: Logger;
  /** How often to count peers and check that routing keeps up with the log. */
  checkIntervalMs: number;
  /** Log positions read per healing step. @default 1000 */
  healPageSize?: number;
  /**
   * `realtime.node_sweep_interval`: how often one node looks for nodes that died without
   * leaving the directory (a node is taken out when two looks in a row find it gone).
   */
  sweepIntervalMs: number;
}

type Scripted = Redis & Record<string, (...args: (string | number)[]) => Promise<unknown>>;

/**
 * Targeted routing over Redis (see route-scripts.ts): a node hears a stored event or a
 * typing/presence frame only when one of its connected users is in its audience. While no
 * other node listens, the node routes nothing and delivers its own batches itself (a lone
 * node's bus costs nothing per message).
 */
export class RedisClusterBus implements ClusterBus {
  alone = true;
  received = 0;
  private handlers: ClusterBusHandlers | undefined;
  private timer: NodeJS.Timeout | undefined;
  private helloAt = 0;
  private throughLastTick = -1;
  private healing = false;
  private sweptAt = 0;
  /** Nodes the last sweep found without a subscriber (the next one that does forgets them). */
  private suspects = new Set<string>();
  private readonly redis: Scripted;
  private warnedAt = 0;
  /** Keys and channels of this event log's nodes: `<prefix><log id>:`. */
  private prefix = "";

  constructor(private readonly options: RedisClusterBusOptions) {
    this.redis = options.redis as Scripted;
    for (const [name, lua] of Object.entries({
      msgRoute: ROUTE_SCRIPT,
      msgEphemeral: EPHEMERAL_SCRIPT,
      msgJoin: JOIN_SCRIPT,
      msgLeave: LEAVE_SCRIPT,
      msgForgetNode: FORGET_NODE_SCRIPT,
    })) {
      if (!(name in options.redis)) options.redis.defineCommand(name, { numberOfKeys: 0, lua });
    }
  }

  private get channels() {
    const { nodeId } = this.options;
    const { prefix } = this;
    return {
      events: `${prefix}n:${nodeId}`,
      ephemeral: `${prefix}e:${nodeId}`,
      hello: `${prefix}hello`,
    };
  }

  async start(handlers: ClusterBusHandlers): Promise<void> {
    // Positions mean something only within one log: nodes of another share nothing here.
    this.prefix = `${this.options.prefix}${await this.options.log.logId()}:`;
    this.handlers = handlers;
    const { subscriber } = this.options;
    const channels = this.channels;
    subscriber.on("message", (channel: string, message: string) =>
      this.onMessage(channel, message),
    );
    // Subscribing before the connection is ready can be lost to its ready check.
    await redisReady(subscriber);
    await subscriber.subscribe(channels.events, channels.ephemeral, channels.hello);
    await this.listNode();
    // Redis back after an outage may have lost the directory: list this node's users again.
    this.options.redis.on("ready", () => void this.relist());
    await this.redis.publish(channels.hello, this.options.nodeId);
    // Joining a cluster is not leaving `alone`: this node has delivered nothing of its own.
    this.alone = (await this.peerCount().catch(() => 2)) <= 1;
    this.timer = setInterval(() => void this.tick(), this.options.checkIntervalMs);
    this.timer.unref();
  }

  private async listNode(): Promise<void> {
    const head = await this.options.log.head();
    await this.redis.msgRoute(this.prefix, "start", head, this.options.nodeId);
  }

  private async relist(): Promise<void> {
    if (!this.handlers) return;
    try {
      const { nodeId } = this.options;
      const { prefix } = this;
      // Users first, then the node's routing mark: a batch routed to these users meanwhile
      // sets the mark itself, and one routed before they were listed lies at or below the
      // mark 'start' then sets, so the next copy's prev shows it as a gap. (Listing the node
      // first set the mark before batches this node never got, hiding them.)
      await Promise.all(
        [...this.handlers.localUsers()].map((user) => this.redis.msgJoin(prefix, nodeId, user)),
      );
      await this.listNode();
    } catch (error) {
      this.warn(error as Error);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.handlers = undefined;
    const { nodeId, subscriber } = this.options;
    const { prefix } = this;
    await subscriber.unsubscribe().catch(() => undefined);
    await this.redis.msgForgetNode(prefix, nodeId).catch(() => undefined);
  }

  publishBatch(batch: SequencedEvent[]): void {
    void this.route(batch[0].position, batch[batch.length - 1].position, batch);
  }

  publishEphemeral(message: EphemeralMessage): void {
    if (this.alone) return;
    const { nodeId } = this.options;
    const { prefix } = this;
    const payload = JSON.stringify(message);
    this.redis
      .msgEphemeral(prefix, nodeId, message.userIds.join(","), payload)
      .catch((error: Error) => this.warn(error));
  }

  async join(userId: string): Promise<number | undefined> {
    const through = await this.redis.msgJoin(this.prefix, this.options.nodeId, userId);
    return through === null || through === undefined ? undefined : Number(through);
  }

  leave(userId: string): void {
    const { nodeId } = this.options;
    const { prefix } = this;
    this.redis.msgLeave(prefix, nodeId, userId).catch((error: Error) => this.warn(error));
  }

  async routedThrough(): Promise<number> {
    if (this.alone) return this.options.log.head();
    const last = await this.redis.hget(`${this.prefix}last`, this.options.nodeId);
    return Number(last ?? 0);
  }

  private route(p: number, q: number, events: SequencedEvent[]): Promise<unknown> {
    const items: string[] = [];
    for (const event of events) {
      items.push(isNodeWide(event) ? "*" : event.audience.join(","), JSON.stringify(event));
    }
    return this.redis
      .msgRoute(this.prefix, "batch", p, q, events.length, ...items)
      .catch((error: Error) => this.warn(error));
  }

  private advance(to: number): Promise<unknown> {
    return this.redis.msgRoute(this.prefix, "advance", to, this.options.nodeId);
  }

  private onMessage(channel: string, message: string): void {
    const channels = this.channels;
    if (channel === channels.hello) {
      if (message === this.options.nodeId) return;
      this.helloAt = Date.now();
      this.setAlone(false);
      return;
    }
    this.received += 1;
    try {
      if (channel === channels.ephemeral) {
        this.handlers?.ephemeral(JSON.parse(message) as EphemeralMessage);
        return;
      }
      const batch = JSON.parse(message) as Omit<RoutedBatch, "prev"> & { prev: number | null };
      // A routing state Redis lost: account for everything before the batch.
      const prev = batch.prev ?? batch.events[0].position - 1;
      this.handlers?.batch({ ...batch, prev });
    } catch (error) {
      this.options.logger.error("bad cluster bus message", { error: (error as Error).message });
    }
  }

  /**
   * Leaving `alone`: routing takes over from where this node's own delivery got to (it
   * numbered everything since routing last moved). Only the node that was alone does this:
   * moving `through` past positions other nodes still have to route would lose them.
   */
  private setAlone(alone: boolean): void {
    if (this.alone === alone) return;
    this.alone = alone;
    if (!alone && this.handlers) {
      this.advance(this.handlers.position()).catch((error: Error) => this.warn(error));
    }
  }

  private async tick(): Promise<void> {
    await this.countPeers();
    if (!this.alone) await this.heal();
    if (Date.now() - this.sweptAt >= this.options.sweepIntervalMs) {
      this.sweptAt = Date.now();
      await this.sweep().catch((error: Error) => this.warn(error));
    }
  }

  /**
   * A node that died without stopping leaves its directory entries behind, each costing a
   * publish nobody reads. A node is alive while its subscriber listens on `n:<node>` (Redis
   * drops a dead process's connection): one node at a time forgets nodes that two sweeps in
   * a row found without one. A live node taken out by mistake (its subscriber was away for a
   * whole sweep interval) finds itself missing and lists itself again; what was routed while
   * it was out comes to it from the log, since its next copy's `prev` is ahead of it.
   */
  private async sweep(): Promise<void> {
    const { nodeId } = this.options;
    const { prefix } = this;
    if (!(await this.redis.sismember(`${prefix}nodes`, nodeId))) await this.relist();
    const lease = await this.holdLease("sweeper", this.options.sweepIntervalMs * 3);
    if (!lease) return;
    const nodes = (await this.redis.smembers(`${prefix}nodes`)).filter((node) => node !== nodeId);
    if (nodes.length === 0) return;
    // One command for every node: [channel, count, channel, count, …].
    const counts = (await this.redis.pubsub(
      "NUMSUB",
      ...nodes.map((node) => `${prefix}n:${node}`),
    )) as (string | number)[];
    const listening = nodes.map((_, index) => Number(counts[index * 2 + 1]) > 0);
    const gone = nodes.filter((_, index) => !listening[index]);
    for (const node of gone.filter((candidate) => this.suspects.has(candidate))) {
      const users = await this.redis.msgForgetNode(prefix, node);
      this.options.logger.info("cluster bus: forgot a node that stopped listening", {
        node,
        users,
      });
    }
    this.suspects = new Set(gone.filter((candidate) => !this.suspects.has(candidate)));
  }

  private async peerCount(): Promise<number> {
    const [, nodes] = (await this.redis.pubsub("NUMSUB", this.channels.hello)) as [string, number];
    return Number(nodes);
  }

  private async countPeers(): Promise<void> {
    const askedAt = Date.now();
    try {
      const nodes = await this.peerCount();
      // A count taken before a hello may predate the node that said it.
      if (askedAt >= this.helloAt) this.setAlone(Number(nodes) <= 1);
    } catch {
      this.setAlone(false);
    }
  }

  /**
   * Routing that has not moved for a whole interval while the log has moved past it (a
   * batch whose node died before routing it, or a publish Redis refused): the rest is read
   * from the database and routed from here, by the node holding the healer lease (a
   * repeat from another would be dropped by Redis anyway).
   */
  private async heal(): Promise<void> {
    if (this.healing) return;
    this.healing = true;
    try {
      const { log } = this.options;
      const { prefix } = this;
      const through = Number((await this.redis.get(`${prefix}through`)) ?? 0);
      const stalled = through === this.throughLastTick;
      this.throughLastTick = through;
      if (!stalled || !(await this.holdLease("healer", this.options.checkIntervalMs * 3))) {
        return;
      }
      const head = await log.head();
      if (head <= through) return;
      const upTo = Math.min(head, through + (this.options.healPageSize ?? 1000));
      const events = await log.range(through, upTo);
      this.options.logger.info("routing resumed from the event log", { from: through, to: upTo });
      await this.route(through + 1, upTo, events);
    } catch (error) {
      this.warn(error as Error);
    } finally {
      this.healing = false;
    }
  }

  /**
   * One node heals (the others' reads would only be dropped as repeats) and one sweeps at a
   * time: whoever holds the lease renews it while it keeps doing the work.
   */
  private async holdLease(name: "healer" | "sweeper", ttl: number): Promise<boolean> {
    const key = `${this.prefix}${name}`;
    const { nodeId } = this.options;
    if ((await this.redis.set(key, nodeId, "PX", ttl, "NX")) === "OK") return true;
    if ((await this.redis.get(key)) !== nodeId) return false;
    await this.redis.pexpire(key, ttl);
    return true;
  }

  private warn(error: Error): void {
    if (Date.now() - this.warnedAt < 10_000) return;
    this.warnedAt = Date.now();
    this.options.logger.warn("cluster bus: Redis command failed; nodes heal from the event log", {
      error: error.message,
    });
  }
}
