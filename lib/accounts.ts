import type { Knex } from "knex";
import type { Config } from "../config/load-config";
import type { HashQueue } from "./auth/hash-queue";
import type { TokenService } from "./auth/tokens";
import { AccountEraser } from "./domain/accounts/account-eraser";
import { AccountJobRunner } from "./domain/accounts/account-job-runner";
import { AccountService } from "./domain/accounts/account-service";
import { DataExporter } from "./domain/accounts/data-exporter";
import { SessionRevocations } from "./domain/accounts/session-revocations";
import { SessionService } from "./domain/accounts/session-service";
import type { AuditLog } from "./domain/admin/audit-log";
import type { ConversationService, MessageService } from "./domain/contracts";
import type { Message } from "./domain/types";
import { RetentionPurger } from "./domain/retention/retention-purger";
import { RetentionSettingsService } from "./domain/retention/retention-settings-service";
import { BlockCache } from "./domain/safety/block-cache";
import { BlockService } from "./domain/safety/block-service";
import { BlockedView } from "./domain/safety/blocked-view";
import { ReportService } from "./domain/safety/report-service";
import { AppError } from "./errors";
import type { EventBus } from "./events/event-bus";
import type { SequencedEvent } from "./events/event-types";
import type { TransactionRunner } from "./event-log/transaction-runner";
import type { FileStorage } from "./files/file-storage";
import type { Logger } from "./logger";
import type { Metrics } from "./metrics";
import type { RateLimits } from "./rate-limit/rate-limits";
import type { RealtimeHub } from "./realtime/realtime-hub";
import { AccountJobRepository } from "./store/account-job-repository";
import { BlockRepository } from "./store/block-repository";
import { ErasureRepository } from "./store/erasure-repository";
import type { EventRedactionRepository } from "./store/event-redaction-repository";
import { ExportRepository } from "./store/export-repository";
import type { MemberRepository } from "./store/member-repository";
import { PushDeviceRepository } from "./store/push-device-repository";
import { ReportRepository } from "./store/report-repository";
import { RetentionRepository } from "./store/retention-repository";
import { SessionRepository } from "./store/session-repository";
import { UserRepository } from "./store/user-repository";
import { dbOf } from "./store/handles";

/** The services issue #19 adds to `Services`. */
export interface AccountServices {
  sessions: SessionService;
  accounts: AccountService;
  blocks: BlockService;
  reports: ReportService;
  retention: RetentionSettingsService;
}

/** What exists before the other services: the per-node caches every check reads. */
export interface AccountsCore {
  revocations: SessionRevocations;
  blockCache: BlockCache;
  sessionRepository: SessionRepository;
  blockRepository: BlockRepository;
  /** How history shows blocked senders (blocks.history). */
  blockedView: BlockedView;
}

export function createAccountsCore(config: Config, knex: Knex): AccountsCore {
  const blockCache = new BlockCache();
  return {
    revocations: new SessionRevocations(),
    blockCache,
    sessionRepository: new SessionRepository(knex),
    blockRepository: new BlockRepository(knex),
    blockedView: new BlockedView(blockCache, config.blocks.history),
  };
}

export interface AccountDeps {
  config: Config;
  knex: Knex;
  logger: Logger;
  metrics: Metrics;
  transactions: TransactionRunner;
  tokens: TokenService;
  hashes: HashQueue;
  audit: AuditLog;
  suspended: { has(userId: string): boolean };
  rateLimits: RateLimits;
  storage: FileStorage;
  redactions: EventRedactionRepository;
  members: MemberRepository;
  conversations: ConversationService;
  /** The message service; reports keep `snapshot`, the message as stored. */
  messages: MessageService & { snapshot(callerId: string, messageId: unknown): Promise<Message> };
  bus: EventBus;
  head(): Promise<number>;
  publishedThrough(): Promise<number>;
}

/** The account and safety services, the job runner and the retention purger of one node. */
export function createAccounts(core: AccountsCore, deps: AccountDeps) {
  const { config, knex, transactions } = deps;
  const users = new UserRepository(knex);
  const jobs = new AccountJobRepository(knex);
  const erasure = new ErasureRepository(knex);
  const runner: AccountJobRunner = new AccountJobRunner({
    repository: jobs,
    pollIntervalMs: config.accounts.job_poll_interval,
    leaseMs: 300_000,
    logger: deps.logger.child({ module: "account-jobs" }),
    handlers: {
      erase: new AccountEraser({
        db: dbOf(knex),
        transactions,
        erasure,
        redactions: deps.redactions,
        members: deps.members,
        conversations: deps.conversations,
        storage: deps.storage,
        jobs,
        bus: deps.bus,
        head: deps.head,
        publishedThrough: deps.publishedThrough,
        mode: config.accounts.deleted_messages,
        batchSize: config.accounts.batch_size,
        logger: deps.logger.child({ module: "account-eraser" }),
      }),
      export: new DataExporter({
        exports: new ExportRepository(knex),
        storage: deps.storage,
        expiryMs: config.accounts.export_expiry,
        batchSize: config.accounts.batch_size,
      }),
    },
  });
  const retention = new RetentionRepository(knex);
  const purger = new RetentionPurger({
    db: dbOf(knex),
    retention,
    redactions: deps.redactions,
    jobs,
    storage: deps.storage,
    registry: deps.metrics.registry,
    logger: deps.logger.child({ module: "retention" }),
    settings: {
      messagesMs: config.retention.messages,
      intervalMs: config.retention.interval,
      batchSize: config.retention.batch_size,
      batchPauseMs: config.retention.batch_pause,
    },
  });
  const services: AccountServices = {
    sessions: new SessionService({
      db: dbOf(knex),
      users,
      sessions: core.sessionRepository,
      tokens: deps.tokens,
      transactions,
      revocations: core.revocations,
      suspended: deps.suspended,
      hashes: deps.hashes,
      passwordCost: config.auth.password_cost,
      accessExpiryMs: config.sessions.access_token_expiry,
      refreshExpiryMs: config.sessions.refresh_token_expiry,
      pushDevices: new PushDeviceRepository(knex),
    }),
    accounts: new AccountService({
      users,
      transactions,
      erasure,
      sessions: core.sessionRepository,
      blocks: core.blockRepository,
      jobs,
      storage: deps.storage,
      tokens: deps.tokens,
      hashes: deps.hashes,
      audit: deps.audit,
      revocations: core.revocations,
      blockCache: core.blockCache,
      wake: () => runner.wake(),
    }),
    blocks: new BlockService({
      blocks: core.blockRepository,
      users,
      transactions,
      cache: core.blockCache,
    }),
    reports: new ReportService({
      reports: new ReportRepository(knex),
      messages: deps.messages,
      transactions,
      audit: deps.audit,
      limit: deps.rateLimits,
    }),
    retention: new RetentionSettingsService(retention, config.retention.messages),
  };
  return { services, runner, purger };
}

/**
 * Each node follows the log's sign-outs, deletions and blocks, and closes the connections
 * of a user whose tokens were revoked (the event that says why is delivered just before).
 */
export function observeAccountEvents(core: AccountsCore, hub: RealtimeHub): void {
  hub.onStoredEvent((event: SequencedEvent) => {
    core.revocations.observe(event);
    core.blockCache.observe(event);
    if (event.type !== "user.sessions_revoked" && event.type !== "user.deleted") return;
    const userId = (event.frame.data as { user_id?: string } | undefined)?.user_id;
    if (!userId) return;
    const why = event.type === "user.deleted" ? "account deleted" : "signed out everywhere";
    hub.closeUser(userId, new AppError("unauthorized", why));
  });
}
