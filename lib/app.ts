import type { AddressInfo } from "node:net";
import type { Express } from "express";
import type { Config } from "../config/load-config";
import { createHttpApp } from "../routes";
import { resolveJwtSecret } from "./auth/jwt-secret";
import { TokenService } from "./auth/tokens";
import { HashQueue } from "./auth/hash-queue";
import { DefaultConversationService } from "./domain/conversations/conversation-service";
import { SessionIssuer, UserService } from "./domain/users/user-service";
import { HealthRegistry } from "./health";
import { Shutdown } from "./shutdown";
import { createHttpServer, HttpServer, serverScheme } from "./http-server";
import { createLogger, Logger } from "./logger";
import type { Services } from "./services";
import { Database, openDatabase } from "./store/database";
import { dbOf } from "./store/handles";
import { UserRepository } from "./store/user-repository";
import { ConversationRepository } from "./store/conversation-repository";
import { PostgresEventLog } from "./event-log/postgres-event-log";
import { eventLogMode } from "./event-log/event-log";
import { EventRedactionRepository } from "./store/event-redaction-repository";
import { Sequencer } from "./event-log/sequencer";
import { TransactionRunner } from "./event-log/transaction-runner";
import { Realtime } from "./realtime-runtime";
import { DefaultSearchService } from "./domain/search/search-service";
import { SearchRepository } from "./store/search-repository";
import { ConversationViews } from "./domain/conversations/conversation-views";
import { DefaultFileService } from "./domain/files/file-service";
import { createFileStorage } from "./files/create-file-storage";
import { FileRepository } from "./store/file-repository";
import { DefaultMessageService } from "./domain/messages/message-service";
import { NotificationService } from "./domain/notifications/notification-service";
import { MemberRepository } from "./store/member-repository";
import { MessageRepository } from "./store/message-repository";
import { MessageBatchStore } from "./store/message-batch-store";
import { SendBatcher } from "./domain/messages/send-batcher";
import { ReactionRepository } from "./store/reaction-repository";
import { ReadStateRepository } from "./store/read-state-repository";
import type { EventBus } from "./events/event-bus";
import { createEventBus, eventBusDriver } from "./events/event-bus-factory";
import { createEventMetrics, EventMetrics } from "./events/event-metrics";
import { EventLogPruner } from "./event-log/event-log-pruner";
import { OutboxRelay, OutboxRelayOptions } from "./event-log/outbox-relay";
import { RelayCursorRepository } from "./event-log/relay-cursor-repository";
import { EventSyncService } from "./domain/sync/sync-service";
import { newId } from "./ids";
import { Metrics } from "./metrics";
import { createRateLimits } from "./rate-limit/rate-limits";
import { StatsRepository } from "./store/stats-repository";
import { createIntegrations, createIntegrationsCore, revokedUserOf } from "./integrations";
import { AppError, forbidden } from "./errors";
import { createAccounts, createAccountsCore, observeAccountEvents } from "./accounts";
import type { AccountJobRunner } from "./domain/accounts/account-job-runner";
import type { RetentionPurger } from "./domain/retention/retention-purger";
import { createPush, Push } from "./push/create-push";

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly services: Services;
  readonly database: Database;
  /** HTTPS when server.tls is configured; Socket.IO and /ws attach to it. */
  readonly server: HttpServer;
  /** The durable event path (tests and tools reach in here; routes never do). */
  readonly events: AppEvents;
  /** The Express app (REST); exposed for route listing. */
  readonly http: Express;
  /** Socket.IO, /ws, the fan-out hub and presence of this node (connection counts, tests). */
  readonly realtime: Realtime;
  /** Background work of accounts: erasure and export jobs, retention (tests reach in here). */
  readonly maintenance: { jobs: AccountJobRunner; retention: RetentionPurger };
  /** Push devices, queue and worker of this node (tests reach in here). */
  readonly push: Push;
  /** Listens on config.server.http_port (0 picks a free port); resolves with the base URL. */
  start(): Promise<string>;
  /**
   * Drains and closes everything in order (see Shutdown); safe to call twice, every call
   * resolves when the one shutdown is done. `skipDrain` ends the readiness drain at once
   * (also when the shutdown is already waiting in it).
   */
  stop(options?: { skipDrain?: boolean }): Promise<void>;
}

/** The event machinery of one node. */
export interface AppEvents {
  log: PostgresEventLog;
  /** How far the relay has published (NATS). */
  relayCursor: RelayCursorRepository;
  sequencer: Sequencer;
  transactions: TransactionRunner;
  bus: EventBus;
  relay: OutboxRelay;
  pruner: EventLogPruner;
  metrics: EventMetrics;
}

export interface AppOptions {
  logger?: Logger;
  /** Relay test hooks (crash simulation). */
  relay?: Pick<OutboxRelayOptions, "afterPublish">;
}

/** Wires the whole service from config. Nothing listens until start(). */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logging);
  // Created first: a TLS file that cannot be read stops the start before anything opens.
  const server = createHttpServer(config);
  const limits = await createRateLimits(config, logger);
  const database = await openDatabase(config, logger).catch((error: Error) => {
    limits.close();
    throw error;
  });
  const health = new HealthRegistry();
  health.register("database", () => database.ping());
  if (limits.redis) {
    const redis = limits.redis;
    health.register("redis", async () => {
      await redis.ping();
    });
  }
  const metrics = new Metrics();
  const stats = new StatsRepository(database.knex);
  metrics.setConversationsSource(() => stats.countConversations());
  const integrationsCore = createIntegrationsCore(config, database.knex, metrics, logger);

  const accountsCore = createAccountsCore(config, database.knex);
  const tokens = new TokenService(resolveJwtSecret(config, logger), config.auth.token_expiry);
  const hashes = new HashQueue({
    concurrency: config.auth.hash_concurrency,
    maxQueued: config.auth.hash_queue,
    perAddress: config.auth.hash_per_address,
  });
  // Logins issue through the session service, created once the transaction runner exists.
  const late: { issue?: SessionIssuer } = {};
  const users = new UserService(
    new UserRepository(database.knex),
    tokens,
    config.auth.password_cost,
    hashes,
    integrationsCore.suspended,
    {
      issue: (userId, username, withRefresh) => late.issue!(userId, username, withRefresh),
      revocations: accountsCore.revocations,
    },
  );

  const bus = createEventBus(eventBusDriver(config), config, logger);
  try {
    await bus.init();
  } catch (error) {
    limits.close();
    await database.close().catch(() => undefined);
    throw error;
  }
  // Events: appended with each change, numbered by the sequencer after commit.
  const logMode = eventLogMode(database, bus);
  const log = new PostgresEventLog(database.knex, config.nats.subject_prefix, logMode);
  const sequencer = new Sequencer(log, logger, config.events.poll_interval);

  const transactions = new TransactionRunner(database.knex, log, () => sequencer.wake());
  const members = new MemberRepository(database.knex);
  const redactions = new EventRedactionRepository();
  const messages = new DefaultMessageService({
    db: dbOf(database.knex),
    transactions,
    members,
    messages: new MessageRepository(database.knex),
    redactions,
    reactions: new ReactionRepository(database.knex),
    readState: new ReadStateRepository(database.knex),
    sends: new SendBatcher(
      new MessageBatchStore(database.knex, log.subjectOf("message.new"), logMode),
      (numbered) => sequencer.announce(numbered),
      {
        lanes: config.database.send_lanes,
        gatherMs: config.database.send_gather,
        gatherRate: config.database.send_gather_rate,
        gatherBatch: config.database.send_gather_batch,
        admit: (senderId) => limits.rateLimits.consumeMessage(senderId),
        logger: logger.child({ module: "send-batcher" }),
        timings: metrics,
      },
    ),
    mentionAllLimit: limits.rateLimits,
    timings: metrics,
    moderation: integrationsCore.moderation,
    viewer: accountsCore.blockedView,
  });
  const eventMetrics = createEventMetrics(metrics.registry);
  eventMetrics.setBacklogSource(() => log.backlog());
  if (bus.kind === "nats") health.register("nats", () => bus.ping());
  if (bus.kind === "nats" && config.events.relay_lease >= config.nats.duplicate_window) {
    logger.warn(
      "events.relay_lease is not below nats.duplicate_window: an event republished after a node crash may reach consumers twice",
    );
  }
  const relayCursor = new RelayCursorRepository(database.knex);
  const relay = new OutboxRelay({
    cursor: relayCursor,
    bus,
    logger: logger.child({ module: "outbox-relay" }),
    metrics: eventMetrics,
    nodeId: newId(),
    pollIntervalMs: config.events.poll_interval,
    leaseMs: config.events.relay_lease,
    gatherMs: config.events.relay_gather,
    afterPublish: options.relay?.afterPublish,
  });
  if (bus.kind === "memory") {
    // In-process bus: events are handed over as they are numbered (and marked so then).
    sequencer.onSequenced((batch) => {
      bus.publish(batch).then(
        () => eventMetrics.eventsPublished.inc(batch.length),
        () => undefined,
      );
    });
  } else sequencer.onSequenced(() => relay.wake());
  const integrations = createIntegrations(integrationsCore, {
    config,
    knex: database.knex,
    logger,
    transactions,
    log,
    users,
    messages,
    hidden: (event) => accountsCore.blockCache.hiddenFromStored(event),
  });
  sequencer.onSequenced(() => integrations.dispatcher.wake());
  const pruner = new EventLogPruner(log, config.events.retention, logger);
  const pushRef: { push?: Push } = {};
  // Events an enabled webhook subscription or the push planner has not reached are kept.
  pruner.keepAfter(async () => {
    const [webhooks, push] = await Promise.all([
      integrations.webhooks.lowestEnabledCursor(),
      pushRef.push?.keepAfter(),
    ]);
    const floors = [webhooks, push].filter((floor) => floor !== undefined);
    return floors.length ? Math.min(...floors) : undefined;
  });
  const events: AppEvents = {
    log,
    relayCursor,
    sequencer,
    transactions,
    bus,
    relay,
    pruner,
    metrics: eventMetrics,
  };

  const realtime = await Realtime.create({
    config,
    logger,
    metrics,
    log,
    members,
    assertUserExists: async (userId) => void (await users.getUser(userId)),
    filter: accountsCore.blockCache,
  }).catch(async (error: Error) => {
    await bus.close().catch(() => undefined);
    limits.close();
    await database.close().catch(() => undefined);
    throw error;
  });
  const storage = createFileStorage(config.storage);
  await storage.init().catch(async (error: unknown) => {
    await realtime.stop().catch(() => undefined);
    limits.close();
    await bus.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  });
  const notificationDefaults = {
    direct: config.notifications.direct_level,
    group: config.notifications.group_level,
  };
  const push = (pushRef.push = createPush({
    config,
    knex: database.knex,
    logger,
    metrics,
    log,
    connectedSince: (userIds, sinceMs) => realtime.presence.connectedSince(userIds, sinceMs),
    hidden: (event) => accountsCore.blockCache.hiddenFromStored(event),
  }));
  sequencer.onSequenced(() => push.worker?.wake());
  const conversationViews = new ConversationViews(
    new ConversationRepository(database.knex),
    members,
    notificationDefaults,
  );

  const conversations = new DefaultConversationService({
    db: dbOf(database.knex),
    transactions,
    conversations: new ConversationRepository(database.knex),
    members,
    redactions,
    notificationDefaults,
    joinGuard: integrationsCore.joinGuard,
    directGuard: (callerId, otherId) => {
      if (accountsCore.blockCache.blockedEitherWay(callerId, otherId)) {
        throw forbidden("you cannot start a conversation with this user");
      }
    },
  });
  const accounts = createAccounts(accountsCore, {
    config,
    knex: database.knex,
    logger,
    metrics,
    transactions,
    tokens,
    hashes,
    audit: integrationsCore.audit,
    suspended: integrationsCore.suspended,
    rateLimits: limits.rateLimits,
    storage,
    redactions,
    members,
    conversations,
    messages,
    bus,
    head: () => log.head(),
    publishedThrough: () => relayCursor.publishedThrough(),
  });
  late.issue = (userId, username, withRefresh) =>
    accounts.services.sessions.issue(userId, username, withRefresh);
  pruner.onPruned((deleted) => accounts.purger.countEvents(deleted));

  const notifications = new NotificationService({
    db: dbOf(database.knex),
    transactions,
    members,
    readState: new ReadStateRepository(database.knex),
    defaults: notificationDefaults,
  });
  const services: Services = {
    logger,
    health,
    tokens,
    users,
    metrics,
    rateLimits: limits.rateLimits,
    conversations,
    messages,
    search: new DefaultSearchService(
      new SearchRepository(database.knex),
      members,
      (viewer, rows) => conversationViews.build(dbOf(database.knex), viewer, rows),
      (viewer) => accountsCore.blockCache.blockedByViewer(viewer),
    ),
    files: new DefaultFileService(new FileRepository(database.knex), storage, logger, {
      maxFileSize: config.storage.max_file_size,
      refusedTypes: config.storage.refused_types,
    }),
    presence: realtime.presence,
    sync: new EventSyncService(
      log,
      eventMetrics,
      config.events.scan_window,
      (event) => accountsCore.blockCache.hiddenFromStored(event),
      (userId) => notifications.badgesAt(userId),
    ),
    notifications,
    readState: messages.readStates,
    pushDevices: push.devices,
    ...integrations.services,
    ...accounts.services,
  };

  const httpApp = createHttpApp(config, services);
  server.on("request", httpApp);
  let stopping: Promise<void> | undefined;
  await realtime.attach(server, services);
  realtime.hub?.onStoredEvent((event) => {
    integrationsCore.suspended.observe(event);
    const revoked = revokedUserOf(event);
    if (!revoked) return;
    const why = event.type === "user.suspended" ? "account suspended" : "API key revoked";
    realtime.hub?.closeUser(revoked, new AppError("unauthorized", why));
  });
  if (realtime.hub) observeAccountEvents(accountsCore, realtime.hub);
  sequencer.onSequenced((batch) => realtime.publishBatch(batch));
  metrics.setBusReceivedSource(() => realtime.busMessagesReceived());

  // Drain order (see Shutdown): readiness off (REST still served, new realtime connections
  // refused, for the drain delay), stop accepting, realtime clients told to reconnect,
  // in-flight requests finished, outbox flushed, connections closed.
  const shutdown = new Shutdown(server, health, logger, {
    timeoutMs: config.server.shutdown_timeout,
    drainDelayMs: config.server.shutdown_drain_delay,
  });
  // Sockets closed with a reconnect hint (ws 1001, Socket.IO transport close), presence
  // entries left to lapse after the grace period, Redis clients of realtime closed.
  shutdown.add("realtime", "sockets", () => realtime.stop());
  shutdown.add("flush", "outbox", () => sequencer.stop());
  // Publish what committed before closing NATS; what cannot go now stays in the outbox.
  shutdown.add("flush", "relay", async (deadline) => {
    await relay.flush(deadline);
    await relay.stop();
  });
  shutdown.add("flush", "pruner", () => pruner.stop());
  shutdown.add("flush", "webhooks", () => integrations.dispatcher.stop());
  shutdown.add("flush", "push", async () => push.worker?.stop());
  shutdown.add("flush", "account jobs", () => accounts.runner.stop());
  shutdown.add("flush", "retention", () => accounts.purger.stop());
  shutdown.add("disconnect", "event bus", () => bus.close().catch(() => undefined));
  shutdown.add("disconnect", "file storage", () => storage.close());
  shutdown.add("disconnect", "redis", async () => limits.close());
  shutdown.add("disconnect", "database", () => database.close());

  return {
    config,
    logger,
    services,
    database,
    server,
    events,
    http: httpApp,
    realtime,
    maintenance: { jobs: accounts.runner, retention: accounts.purger },
    push,
    start: async () => {
      // The hub learns the log's head before the sequencer hands it anything.
      await realtime.start();
      // After the hub follows the log: no suspension falls between the load and the events.
      await integrationsCore.suspended.load(() => integrationsCore.accounts.suspendedIds());
      await accountsCore.revocations.load(() => accountsCore.sessionRepository.tokenPolicies());
      await accountsCore.blockCache.load(() => accountsCore.blockRepository.all());
      integrations.dispatcher.start();
      push.worker?.start();
      accounts.runner.start();
      accounts.purger.start();
      return new Promise<string>((resolve, reject) => {
        sequencer.start();
        relay.start();
        pruner.start();
        server.once("error", reject);
        server.listen(config.server.http_port, config.server.host, () => {
          const { port } = server.address() as AddressInfo;
          resolve(`${serverScheme(server)}://127.0.0.1:${port}`);
        });
      });
    },
    stop: (stopOptions = {}) => {
      if (stopOptions.skipDrain) shutdown.skipDrain();
      return (stopping ??= shutdown.run());
    },
  };
}
