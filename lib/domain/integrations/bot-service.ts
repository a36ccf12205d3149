import Joi from "joi";
import { conflict, forbidden, notFound } from "../../errors";
import type { TransactionRunner } from "../../event-log/transaction-runner";
import { newId } from "../../ids";
import type { AccountRepository } from "../../store/account-repository";
import { toUser, User } from "../../store/user-repository";
import type { WebhookRepository } from "../../store/webhook-repository";
import { text, validate } from "../../validation";
import { newSigningSecret } from "../../webhooks/webhook-signature";
import type { AuditLog } from "../admin/audit-log";
import { USERNAME_PATTERN } from "../users/user-schemas";
import { Subscription, toSubscription } from "../webhooks/webhook-views";
import { endpointUrl } from "../webhooks/webhook-schemas";
import { KeyIdentity, Principal, hasScope } from "./principal";
import { DuplicateKeyError } from "../../store/store-errors";

const createBotSchema = Joi.object({
  username: Joi.string().pattern(USERNAME_PATTERN).required().messages({
    "string.pattern.base": "username must be 3-32 characters of a-z, 0-9, _ . -",
  }),
  display_name: text(1, 64),
}).required();

const commandNameSchema = Joi.string()
  .pattern(/^[a-z0-9_-]{1,32}$/)
  .required()
  .label("name")
  .messages({ "string.pattern.base": "name must be 1-32 characters of a-z, 0-9, _ -" });
const commandSchema = Joi.object({
  url: endpointUrl().required(),
  description: text(1, 200),
}).required();

export interface BotServiceDeps {
  accounts: AccountRepository;
  webhooks: WebhookRepository;
  transactions: TransactionRunner;
  audit: AuditLog;
  head(): Promise<number>;
  wake(): void;
}

/**
 * Bots: users of kind `bot`, each owned by one API key; requests made with the key act as
 * the bot. Slash commands a bot registers are delivered to its URL (see WebhookDispatcher)
 * and the answer is posted in the conversation as the bot.
 */
export class BotService {
  constructor(private readonly deps: BotServiceDeps) {}

  /** The calling key, which acts as a user: it needs `read` or `write`. */
  private ownerKey(principal: Principal): KeyIdentity {
    if (!principal.key) throw forbidden("bots are created and run with an API key");
    if (!hasScope(principal, "read") && !hasScope(principal, "write")) {
      throw forbidden("a bot's key needs the read or write scope");
    }
    return principal.key;
  }

  private botOf(principal: Principal): string {
    const botId = this.ownerKey(principal).botUserId;
    if (!botId) throw notFound("bot");
    return botId;
  }

  async createBot(principal: Principal, input: unknown): Promise<User> {
    const key = this.ownerKey(principal);
    if (key.botUserId) throw conflict("this API key already has a bot");
    const body = validate(createBotSchema, input) as { username: string; display_name?: string };
    const bot = await this.deps.transactions.run(async ({ trx }) => {
      const row = await this.deps.accounts
        .insertBot(
          {
            id: newId(),
            username: body.username,
            display_name: body.display_name ?? body.username,
            owner_key_id: key.id,
          },
          trx,
        )
        .catch((error: unknown) => {
          if (error instanceof DuplicateKeyError) throw conflict("this API key already has a bot");
          throw error;
        });
      if (!row) throw conflict("username is taken");
      await this.deps.audit.record(trx, principal, {
        action: "bot.create",
        target: { type: "user", id: row.id },
        details: { username: row.username },
      });
      return row;
    });
    return toUser({ ...bot, password_hash: null });
  }

  async getBot(principal: Principal): Promise<User> {
    const row = await this.deps.accounts.find(this.botOf(principal));
    if (!row) throw notFound("bot");
    return toUser({ ...row, password_hash: null });
  }

  async listCommands(principal: Principal): Promise<Subscription[]> {
    const rows = await this.deps.webhooks.page(
      { kind: "command", userId: this.botOf(principal) },
      100,
    );
    return rows.map(toSubscription);
  }

  /**
   * Registers `/name` for the calling key's bot (or changes its URL and description). Names
   * are unique across the service: another bot's is a conflict. The secret that signs the
   * deliveries comes back when the command is created.
   */
  async registerCommand(
    principal: Principal,
    name: unknown,
    input: unknown,
  ): Promise<{ command: Subscription; secret?: string; created: boolean }> {
    const botId = this.botOf(principal);
    const command = validate(commandNameSchema, name);
    const body = validate(commandSchema, input) as { url: string; description?: string };
    const existing = (await this.deps.webhooks.page({ kind: "command", userId: botId }, 100)).find(
      (row) => row.command === command,
    );
    if (existing) {
      const updated = (await this.deps.webhooks.update(existing.id, {
        url: body.url,
        description: body.description ?? existing.description,
      }))!;
      return { command: toSubscription(updated), created: false };
    }
    const secret = newSigningSecret();
    // Read before the transaction: embedded PGlite serves one transaction at a time.
    const cursor = await this.deps.head();
    const row = await this.deps.transactions.run(async ({ trx }) => {
      const inserted = await this.deps.webhooks
        .insert(
          {
            id: newId(),
            kind: "command",
            url: body.url,
            secret,
            description: body.description ?? null,
            event_types: ["message.new"],
            conversation_ids: principal.key?.conversationIds ?? null,
            user_id: botId,
            command,
            owner_key_id: principal.key!.id,
            created_by_user_id: null,
            cursor,
          },
          trx,
        )
        .catch((error: unknown) => {
          if (error instanceof DuplicateKeyError) {
            throw conflict(`/${command} belongs to another bot`);
          }
          throw error;
        });
      await this.deps.audit.record(trx, principal, {
        action: "bot.command.register",
        target: { type: "webhook", id: inserted.id },
        details: { command },
      });
      return inserted;
    });
    this.deps.wake();
    return { command: toSubscription(row), secret, created: true };
  }

  async deleteCommand(principal: Principal, name: unknown): Promise<void> {
    const botId = this.botOf(principal);
    const command = validate(commandNameSchema, name);
    const rows = await this.deps.webhooks.page({ kind: "command", userId: botId }, 100);
    const row = rows.find((candidate) => candidate.command === command);
    if (!row) throw notFound("command");
    await this.deps.transactions.run(async ({ trx }) => {
      await this.deps.webhooks.delete(row.id, trx);
      await this.deps.audit.record(trx, principal, {
        action: "bot.command.delete",
        target: { type: "webhook", id: row.id },
        details: { command },
      });
    });
  }
}
