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
import { ResourceList } from "./resources";
import { createHttpServer, HttpServer, serverScheme } from "./http-server";
import { createLogger, Logger } from "./logger";
import type { Services } from "./services";
import { Database, openDatabase } from "./store/database";
import { dbOf } from "./store/handles";
import { UserRepository } from "./store/user-repository";
import { ConversationRepository } from "./store/conversation-repository";
import { PostgresEventLog } from "./event-log/postgres-event-log";
import { EventLogMode, eventLogMode } from "./event-log/event-log";
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
import { OutboxRelay } from "./event-log/outbox-relay";
import { RelayCursorRepository } from "./event-log/relay-cursor-repository";
import { EventSyncService } from "./domain/sync/sync-service";
import { newId } from "./ids";
import { Metrics } from "./metrics";
import { createRateLimits } from "./rate-limit/rate-limits";
import { StatsRepository } from "./store/stats-repository";
import {
  createIntegrations,
  createIntegrationsCore,
  IntegrationsCore,
  revokedUserOf,
} from "./integrations";
import { AppError, forbidden } from "./errors";
import { AccountsCore, createAccounts, createAccountsCore, observeAccountEvents } from "./accounts";
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
  /** How the log is deployed (derived once from the database and the bus). */
  logMode: EventLogMode;
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
  /** Wraps the event bus this node publishes to (where fault tests inject a crash). */
  eventBus?: (bus: EventBus) => EventBus;
}

/** Wires the whole service from config. Nothing listens until start(). */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logging);
  // Created first: a TLS file that cannot be read stops the start before anything opens.
  const server = createHttpServer(config);
  const resources = new ResourceList(logger);
  try {
    return await compose({ config, options, logger, server, resources });
  } catch (error) {
    // Whatever opened before the failure closes as it would on SIGTERM.
    await resources.closeAll(config.server.shutdown_timeout);
    throw error;
  }
}

interface Root {
  config: Config;
  options: AppOptions;
  logger: Logger;
  server: HttpServer;
  /** Every resource, registered as it opens, with its closer (and its start, if any). */
  resources: ResourceList;
}

/** The connections every part shares: Redis (rate limits), the database and the event bus. */
interface Connections {
  limits: Awaited<ReturnType<typeof createRateLimits>>;
  database: Database;
  bus: EventBus;
  health: HealthRegistry;
}

async function openConnections({ config, logger, resources, options }: Root): Promise<Connections> {
  const limits = await createRateLimits(config, logger);
  resources.add({ name: "redis", phase: "disconnect", close: () => limits.close() });
  const database = await openDatabase(config, logger);
  resources.add({ name: "database", phase: "disconnect", close: () => database.close() });
  const created = createEventBus(eventBusDriver(config), config, logger);
  const bus = options.eventBus?.(created) ?? created;
  await bus.init();
  resources.add({
    name: "event bus",
    phase: "disconnect",
    close: () => bus.close().catch(() => undefined),
  });
  const health = new HealthRegistry();
  health.register("database", () => database.ping());
  const redis = limits.redis;
  if (redis) health.register("redis", async () => void (await redis.ping()));
  if (bus.kind === "nats") health.register("nats", () => bus.ping());
  return { limits, database, bus, health };
}

/**
 * The durable event path: events appended with each change are numbered by the sequencer
 * after commit, published by the relay (NATS) or handed to the in-process bus, pruned later.
 * Nothing starts here: the sequencer, relay and pruner are registered with their closers
 * (flush phase: numbered, then published, then the pruner stops).
 */
function createEvents(root: Root, { database, bus }: Connections, metrics: Metrics): AppEvents {
  const { config, logger } = root;
  const logMode = eventLogMode(database, bus);
  const log = new PostgresEventLog(database.knex, config.nats.subject_prefix, logMode);
  const sequencer = new Sequencer(log, logger, config.events.poll_interval);
  const transactions = new TransactionRunner(database.knex, log, () => sequencer.wake());
  const eventMetrics = createEventMetrics(metrics.registry);
  eventMetrics.setBacklogSource(() => log.backlog());
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
  const pruner = new EventLogPruner(log, config.events.retention, logger);
  return {
    log,
    logMode,
    relayCursor,
    sequencer,
    transactions,
    bus,
    relay,
    pruner,
    metrics: eventMetrics,
  };
}

/** The event path's background work, registered after realtime so the hub follows first. */
function registerEventWork(resources: ResourceList, events: AppEvents): void {
  const { sequencer, relay, pruner } = events;
  resources.addWorker("outbox", sequencer);
  // Publish what committed before closing NATS; what cannot go now stays in the outbox.
  resources.add({
    name: "relay",
    phase: "flush",
    start: () => relay.start(),
    close: async (deadline) => {
      await relay.flush(deadline);
      await relay.stop();
    },
  });
  resources.addWorker("pruner", pruner);
}

/**
 * Presence, the hub and Redis of realtime; first in the list, so the hub learns the log's head
 * before the sequencer starts, and the access caches load once the hub follows the log.
 */
async function openRealtime(
  { config, logger, resources }: Root,
  events: AppEvents,
  metrics: Metrics,
  parts: {
    members: MemberRepository;
    users: UserService;
    integrations: IntegrationsCore;
    accounts: AccountsCore;
  },
): Promise<Realtime> {
  const realtime = await Realtime.create({
    config,
    logger,
    metrics,
    log: events.log,
    members: parts.members,
    assertUserExists: async (userId) => void (await parts.users.getUser(userId)),
    filter: parts.accounts.blockCache,
  });
  resources.add({
    name: "sockets",
    phase: "realtime",
    start: () => realtime.start(),
    // Sockets closed with a reconnect hint (ws 1001, Socket.IO transport close), presence
    // entries left to lapse after the grace period, Redis clients of realtime closed.
    close: () => realtime.stop(),
  });
  // After the hub follows the log: no suspension, revocation or block falls between the
  // load and the events.
  resources.add({
    name: "access caches",
    phase: "flush",
    start: async () => {
      await parts.integrations.suspended.load(() => parts.integrations.accounts.suspendedIds());
      await parts.accounts.revocations.load(() => parts.accounts.sessionRepository.tokenPolicies());
      await parts.accounts.blockCache.load(() => parts.accounts.blockRepository.all());
    },
  });
  return realtime;
}

/** Users, tokens and password hashing; logins issue through the session service later. */
function createUsers(
  config: Config,
  logger: Logger,
  knex: Database["knex"],
  cores: { integrations: IntegrationsCore; accounts: AccountsCore },
) {
  const jwtSecret = resolveJwtSecret(config, logger);
  const tokens = new TokenService(jwtSecret, config.auth.token_expiry);
  const hashes = new HashQueue({
    concurrency: config.auth.hash_concurrency,
    maxQueued: config.auth.hash_queue,
    perAddress: config.auth.hash_per_address,
  });
  const late: { issue?: SessionIssuer } = {};
  const users = new UserService(
    new UserRepository(knex),
    tokens,
    config.auth.password_cost,
    hashes,
    cores.integrations.suspended,
    {
      issue: (userId, username, withRefresh) => late.issue!(userId, username, withRefresh),
      revocations: cores.accounts.revocations,
    },
  );
  return { tokens, hashes, users, late, jwtSecret };
}

/** Messages: the send batcher (rate limit spent per statement) and the message service. */
function createMessages(
  { config, logger }: Root,
  { database, limits }: Connections,
  { transactions, log, logMode, sequencer }: AppEvents,
  parts: {
    members: MemberRepository;
    redactions: EventRedactionRepository;
    metrics: Metrics;
    integrations: IntegrationsCore;
    accounts: AccountsCore;
  },
): DefaultMessageService {
  const { members, redactions, metrics } = parts;
  return new DefaultMessageService({
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
    moderation: parts.integrations.moderation,
    viewer: parts.accounts.blockedView,
  });
}

async function compose(root: Root): Promise<App> {
  const { config, logger, server, resources } = root;
  const connections = await openConnections(root);
  const { limits, database, bus, health } = connections;
  const metrics = new Metrics();
  const stats = new StatsRepository(database.knex);
  metrics.setConversationsSource(() => stats.countConversations());
  const integrationsCore = createIntegrationsCore(config, database.knex, metrics, logger);
  const accountsCore = createAccountsCore(config, database.knex);
  const { tokens, hashes, users, late, jwtSecret } = createUsers(config, logger, database.knex, {
    integrations: integrationsCore,
    accounts: accountsCore,
  });
  const events = createEvents(root, connections, metrics);
  const { log, sequencer, transactions, relayCursor, pruner } = events;
  const members = new MemberRepository(database.knex);

  const realtime = await openRealtime(root, events, metrics, {
    members,
    users,
    integrations: integrationsCore,
    accounts: accountsCore,
  });
  registerEventWork(resources, events);
  const storage = createFileStorage(config.storage);
  await storage.init();
  resources.add({
    name: "file storage",
    phase: "disconnect",
    close: () => storage.close(),
  });

  const redactions = new EventRedactionRepository();
  const messages = createMessages(root, connections, events, {
    members,
    redactions,
    metrics,
    integrations: integrationsCore,
    accounts: accountsCore,
  });
  const integrations = createIntegrations(integrationsCore, {
    config,
    knex: database.knex,
    logger,
    transactions,
    log,
    users,
    messages,
    jwtSecret,
    hidden: (event) => accountsCore.blockCache.hiddenFromStored(event),
  });
  sequencer.onSequenced(() => integrations.dispatcher.wake());
  // Rows stored before secrets were encrypted are sealed before the dispatcher reads them.
  resources.add({
    name: "webhook secrets",
    phase: "flush",
    start: async () => void (await integrations.webhooks.sealPlaintextSecrets()),
  });
  resources.addWorker("webhooks", integrations.dispatcher);
  const notificationDefaults = {
    direct: config.notifications.direct_level,
    group: config.notifications.group_level,
  };
  const push = createPush({
    config,
    knex: database.knex,
    logger,
    metrics,
    log,
    connectedSince: (userIds, sinceMs) => realtime.presence.connectedSince(userIds, sinceMs),
    hidden: (event) => accountsCore.blockCache.hiddenFromStored(event),
  });
  sequencer.onSequenced(() => push.worker?.wake());
  resources.addWorker("push", push.worker);
  // Events an enabled webhook subscription or the push planner has not reached are kept.
  pruner.keepAfter(async () => {
    const [webhooks, pushFloor] = await Promise.all([
      integrations.webhooks.lowestEnabledCursor(),
      push.keepAfter(),
    ]);
    const floors = [webhooks, pushFloor].filter((floor) => floor !== undefined);
    return floors.length ? Math.min(...floors) : undefined;
  });
  const conversationViews = new ConversationViews(
    new ConversationRepository(database.knex),
    members,
    notificationDefaults,
    accountsCore.blockedView,
  );

  const conversations = new DefaultConversationService({
    db: dbOf(database.knex),
    transactions,
    conversations: new ConversationRepository(database.knex),
    members,
    redactions,
    notificationDefaults,
    viewer: accountsCore.blockedView,
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
  resources.addWorker("account jobs", accounts.runner);
  resources.addWorker("retention", accounts.purger);

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
      events.metrics,
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
  await connectRealtime(realtime, server, services, {
    sequencer,
    metrics,
    integrations: integrationsCore,
    accounts: accountsCore,
  });

  return withLifecycle(root, health, {
    services,
    database,
    events,
    http: httpApp,
    realtime,
    maintenance: { jobs: accounts.runner, retention: accounts.purger },
    push,
  });
}

/**
 * start() starts the resources in list order, then listens; stop() is the drain (see
 * Shutdown): readiness off (REST still served, new realtime connections refused, for the drain
 * delay), stop accepting, then the resources' closers phase by phase: realtime clients told to
 * reconnect, in-flight requests finished, outbox flushed, connections closed.
 */
function withLifecycle(
  { config, logger, server, resources }: Root,
  health: HealthRegistry,
  parts: Omit<App, "config" | "logger" | "server" | "start" | "stop">,
): App {
  const shutdown = new Shutdown(
    server,
    health,
    logger,
    {
      timeoutMs: config.server.shutdown_timeout,
      drainDelayMs: config.server.shutdown_drain_delay,
    },
    resources,
  );
  let stopping: Promise<void> | undefined;
  const stop: App["stop"] = (stopOptions = {}) => {
    if (stopOptions.skipDrain) shutdown.skipDrain();
    return (stopping ??= shutdown.run());
  };
  return {
    config,
    logger,
    server,
    ...parts,
    start: async () => {
      try {
        await resources.startAll();
        return await listen(server, config);
      } catch (error) {
        // A start that fails half way (a port in use, a database gone) closes everything.
        await stop({ skipDrain: true });
        throw error;
      }
    },
    stop,
  };
}

/** Socket.IO and /ws on the server; the hub follows numbered events and closes revoked users. */
async function connectRealtime(
  realtime: Realtime,
  server: HttpServer,
  services: Services,
  parts: {
    sequencer: Sequencer;
    metrics: Metrics;
    integrations: IntegrationsCore;
    accounts: AccountsCore;
  },
): Promise<void> {
  await realtime.attach(server, services);
  realtime.hub?.onStoredEvent((event) => {
    parts.integrations.suspended.observe(event);
    const revoked = revokedUserOf(event);
    if (!revoked) return;
    const why = event.type === "user.suspended" ? "account suspended" : "API key revoked";
    realtime.hub?.closeUser(revoked, new AppError("unauthorized", why));
  });
  if (realtime.hub) observeAccountEvents(parts.accounts, realtime.hub);
  parts.sequencer.onSequenced((batch) => realtime.publishBatch(batch));
  parts.metrics.setBusReceivedSource(() => realtime.busMessagesReceived());
}

function listen(server: HttpServer, config: Config): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.server.http_port, config.server.host, () => {
      server.off("error", reject);
      const { port } = server.address() as AddressInfo;
      resolve(`${serverScheme(server)}://127.0.0.1:${port}`);
    });
  });
}
