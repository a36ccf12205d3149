import type { Knex } from "knex";
import type { Config } from "../config/load-config";
import { AdminAccess } from "./domain/admin/admin-access";
import { AdminService } from "./domain/admin/admin-service";
import { AuditLog, SYSTEM_ACTOR } from "./domain/admin/audit-log";
import { SuspendedUsers } from "./domain/admin/suspended-users";
import type { MessageService } from "./domain/contracts";
import type { JoinGuard } from "./domain/conversations/member-operations";
import { ApiKeyService } from "./domain/integrations/api-key-service";
import { Authenticator } from "./domain/integrations/authenticator";
import { BotService } from "./domain/integrations/bot-service";
import type { UserService } from "./domain/users/user-service";
import { WebhookService } from "./domain/webhooks/webhook-service";
import { forbidden } from "./errors";
import type { SequencedEvent } from "./events/event-types";
import type { TransactionRunner } from "./event-log/transaction-runner";
import { IntegrationMetrics } from "./integration-metrics";
import type { Logger } from "./logger";
import type { Metrics } from "./metrics";
import { createModeration } from "./moderation/create-moderation";
import type { ModerationPipeline } from "./moderation/moderation";
import { AccountRepository } from "./store/account-repository";
import { ApiKeyRepository } from "./store/api-key-repository";
import { AuditRepository } from "./store/audit-repository";
import type { EventLogReader } from "./event-log/event-log";
import { SecretBox } from "./store/secret-box";
import { WebhookRepository } from "./store/webhook-repository";
import { DeadLetterRepository } from "./store/dead-letter-repository";
import { signedPost } from "./webhooks/signed-post";
import type { DeliveryDeps } from "./webhooks/webhook-delivery";
import { WebhookDispatcher } from "./webhooks/webhook-dispatcher";

/** The services issue #18 adds to `Services`. */
export interface IntegrationServices {
  auth: Authenticator;
  admin: AdminService;
  apiKeys: ApiKeyService;
  bots: BotService;
  webhooks: WebhookService;
  integrationMetrics: IntegrationMetrics;
}

/** What the rest of the app needs before the message service exists. */
export interface IntegrationsCore {
  accounts: AccountRepository;
  audit: AuditLog;
  suspended: SuspendedUsers;
  /** Bots of conversation-restricted keys join only their conversations. */
  joinGuard: JoinGuard;
  moderation: ModerationPipeline | undefined;
  metrics: IntegrationMetrics;
}

/** Repositories, the suspended set, the join guard and moderation (before the services). */
export function createIntegrationsCore(
  config: Config,
  knex: Knex,
  metrics: Metrics,
  logger: Logger,
): IntegrationsCore {
  const accounts = new AccountRepository(knex);
  const integrationMetrics = new IntegrationMetrics(metrics.registry);
  return {
    accounts,
    audit: new AuditLog(new AuditRepository(knex)),
    suspended: new SuspendedUsers(),
    joinGuard: async (conversationId, userIds, trx) => {
      const barred = await accounts.botsBarredFrom(conversationId, userIds, trx);
      if (barred.length > 0) {
        throw forbidden("a bot whose API key is restricted to other conversations cannot join");
      }
    },
    moderation: createModeration(config.moderation, logger, integrationMetrics),
    metrics: integrationMetrics,
  };
}

export interface IntegrationDeps {
  config: Config;
  knex: Knex;
  logger: Logger;
  transactions: TransactionRunner;
  log: Pick<EventLogReader, "head" | "prunedThrough" | "scan">;
  users: UserService;
  messages: MessageService;
  /** Blocks: what a subscription that follows one user must skip. */
  hidden?: (event: SequencedEvent) => ReadonlySet<string> | undefined;
  /** Key material of the webhook secrets' encryption when webhooks.secret_key is unset. */
  jwtSecret: string;
}

/** Webhook signing secrets are sealed under webhooks.secret_key, else the JWT secret. */
function webhookSecretBox(config: Config, jwtSecret: string): SecretBox {
  return new SecretBox(config.webhooks.secret_key ?? jwtSecret, "webhook signing secrets v1");
}

/** The integration services and the webhook dispatcher of one node. */
export function createIntegrations(
  core: IntegrationsCore,
  deps: IntegrationDeps,
): { services: IntegrationServices; dispatcher: WebhookDispatcher; webhooks: WebhookRepository } {
  const { config, knex, transactions, log } = deps;
  const webhooks = new WebhookRepository(knex, webhookSecretBox(config, deps.jwtSecret));
  const access = new AdminAccess(core.accounts, config.admin.users);
  const apiKeys = new ApiKeyService(
    new ApiKeyRepository(knex),
    transactions,
    core.audit,
    core.suspended,
    webhooks,
  );
  const delivery: DeliveryDeps = {
    post: signedPost,
    timeoutMs: config.webhooks.timeout,
    metrics: core.metrics,
    answerCommand: async (botUserId, conversationId, answer, eventId) => {
      if (core.suspended.has(botUserId)) throw forbidden("the bot is suspended");
      await deps.messages.sendMessage(botUserId, conversationId, {
        ...answer,
        client_msg_id: `command:${eventId}`,
      });
    },
  };
  const dispatcher = new WebhookDispatcher({
    ...delivery,
    repository: webhooks,
    log,
    settings: config.webhooks,
    logger: deps.logger.child({ module: "webhooks" }),
    hidden: deps.hidden,
    onDisabled: (trx, sub, reason) =>
      core.audit.record(trx, SYSTEM_ACTOR, {
        action: "webhook.disable",
        target: { type: "webhook", id: sub.id },
        details: { reason },
      }),
  });
  const wake = () => dispatcher.wake(true);
  const head = () => log.head();
  const services: IntegrationServices = {
    auth: new Authenticator(deps.users, apiKeys, access),
    admin: new AdminService({
      accounts: core.accounts,
      access,
      audit: core.audit,
      transactions,
      suspended: core.suspended,
      messages: deps.messages,
    }),
    apiKeys,
    bots: new BotService({
      accounts: core.accounts,
      webhooks,
      transactions,
      audit: core.audit,
      head,
      wake,
    }),
    webhooks: new WebhookService({
      repository: webhooks,
      deadLetters: new DeadLetterRepository(knex),
      transactions,
      audit: core.audit,
      head,
      prunedThrough: () => log.prunedThrough(),
      delivery,
      wake,
    }),
    integrationMetrics: core.metrics,
  };
  return { services, dispatcher, webhooks };
}

/** Event types after which a user's (or a bot's) open connections are closed. */
export function revokedUserOf(event: SequencedEvent): string | undefined {
  const data = event.frame.data as { user_id?: string; bot_user_id?: string | null } | undefined;
  if (event.type === "user.suspended") return data?.user_id;
  if (event.type === "api_key.revoked") return data?.bot_user_id ?? undefined;
  return undefined;
}
