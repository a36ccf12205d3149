import type { Knex } from "knex";
import type { EventLogReader } from "../event-log/event-log";
import type { Config } from "../../config/load-config";
import { PushDeviceService } from "../domain/push/push-device-service";
import type { SequencedEvent } from "../events/event-types";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import { PushDeviceRepository } from "../store/push-device-repository";
import { PushQueueRepository } from "../store/push-queue-repository";
import { GatewayPusher } from "./gateway-pusher";
import { PushMetrics } from "./push-metrics";
import { PushPlanner } from "./push-planner";
import type { NotifySettingsSource } from "./push-recipients";
import { BadgeRepository } from "../store/badge-repository";
import { PushSender } from "./push-sender";
import { PushWorker } from "./push-worker";
import { VapidKeyStore } from "./vapid-keys";
import { WebPusher } from "./web-pusher";
import { dbOf } from "../store/handles";

export interface PushDeps {
  config: Config;
  knex: Knex;
  logger: Logger;
  metrics: Metrics;
  /** The event log: its head and the new messages the planner turns into pushes. */
  log: Pick<EventLogReader, "head" | "scan">;
  connectedSince(userIds: string[], sinceMs: number): Promise<Set<string>>;
  hidden(event: SequencedEvent): ReadonlySet<string> | undefined;
  /** Members' levels and mutes (default: their conversation_members columns). */
  settings?: NotifySettingsSource;
}

export interface Push {
  devices: PushDeviceService;
  /** Planner and sender of this node (absent with push.enabled false). */
  worker: PushWorker | undefined;
  queue: PushQueueRepository;
  vapid: VapidKeyStore;
  /** The event log is kept after this position for the planner (undefined: nothing owed). */
  keepAfter(): Promise<number | undefined>;
}

/** Device registration, and the planner and sender that follow the event log. */
export function createPush(deps: PushDeps): Push {
  const { config, knex, logger } = deps;
  const push = config.push;
  if (Boolean(push.vapid.public_key) !== Boolean(push.vapid.private_key)) {
    throw new Error(
      "invalid configuration push.vapid: set both public_key and private_key, or neither",
    );
  }
  const log = logger.child({ module: "push" });
  const devices = new PushDeviceRepository(knex);
  const queue = new PushQueueRepository(knex);
  const vapid = new VapidKeyStore(knex, push, log);
  const late: { planner?: PushPlanner } = {};
  const service = new PushDeviceService(devices, {
    allowHttp: push.allow_http,
    vapidPublicKey: async () => (await vapid.get()).publicKey,
    onRegistered: () => late.planner?.deviceRegistered(),
  });
  // The planner needs the log only while some device may be owed a notification.
  const keepAfter = async () =>
    push.enabled && (await devices.anyDevice()) ? queue.plannerCursor() : undefined;
  if (!push.enabled) return { devices: service, worker: undefined, queue, vapid, keepAfter };
  const metrics = new PushMetrics(deps.metrics.registry);
  const badges = new BadgeRepository();
  const defaults = {
    direct: config.notifications.direct_level,
    group: config.notifications.group_level,
  };
  const wake: { worker?: PushWorker } = {};
  const planner = (late.planner = new PushPlanner({
    queue,
    devices,
    log: deps.log,
    connectedSince: deps.connectedSince,
    hidden: deps.hidden,
    settings: deps.settings ?? ((id, users) => queue.memberSettings(id, users)),
    defaults,
    badges: async (conversationId, userIds) => {
      const entries = await Promise.all(
        userIds.map(async (userId) => {
          const [own, all] = await Promise.all([
            badges.forMember(conversationId, userId, dbOf(knex)),
            badges.totals(userId, defaults, dbOf(knex)),
          ]);
          return [userId, { ...own, total_unread_count: all.total.unread_count }] as const;
        }),
      );
      return new Map(entries);
    },
    payload: push.payload,
    graceMs: push.grace,
    leaseMs: push.lease,
    metrics,
    logger: log,
    onQueued: () => wake.worker?.wake(),
  }));
  const sender = new PushSender({
    queue,
    devices,
    pushers: {
      webpush: new WebPusher({
        vapid: () => vapid.get(),
        timeoutMs: push.timeout,
        ttlMs: push.ttl,
      }),
      gateway: new GatewayPusher({ timeoutMs: push.timeout }),
    },
    settings: push,
    metrics,
    logger: log,
  });
  wake.worker = new PushWorker({
    planner,
    sender,
    queue,
    pollIntervalMs: push.poll_interval,
    retentionMs: push.retention,
    logger: log,
  });
  return { devices: service, worker: wake.worker, queue, vapid, keepAfter };
}
