import { AppError, forbidden, notFound, validationError } from "../../errors";
import type { TransactionRunner } from "../../event-log/transaction-runner";
import { newId } from "../../ids";
import type { DeadLetterRepository } from "../../store/dead-letter-repository";
import type {
  DeadLetterRow,
  SubscriptionRow,
  WebhookRepository,
} from "../../store/webhook-repository";
import { Page, decodeCursor, encodeCursor, validate } from "../../validation";
import { DeliveryDeps, deliverOnce } from "../../webhooks/webhook-delivery";
import { newSigningSecret } from "../../webhooks/webhook-signature";
import type { AuditLog } from "../admin/audit-log";
import { Principal, hasScope } from "../integrations/principal";
import {
  SubscriptionInput,
  createSubscriptionSchema,
  deadLetterIdSchema,
  deadLetterListSchema,
  subscriptionIdSchema,
  subscriptionListSchema,
  updateSubscriptionSchema,
} from "./webhook-schemas";
import { DeadLetter, Subscription, toDeadLetter, toSubscription } from "./webhook-views";
import { MissingReferenceError } from "../../store/store-errors";

export interface WebhookServiceDeps {
  repository: WebhookRepository;
  deadLetters: DeadLetterRepository;
  transactions: TransactionRunner;
  audit: AuditLog;
  /** The event log's head: a new subscription starts after it. */
  head(): Promise<number>;
  /** Positions at or below this were pruned (a re-enabled endpoint resumes after it). */
  prunedThrough(): Promise<number>;
  delivery: DeliveryDeps;
  /** Tells this node's dispatcher there is work (a subscription created or re-enabled). */
  wake(): void;
}

/** What a principal may reach: every subscription, or only its own key's. */
type Reach = { all: true } | { all: false; keyId: string };

/**
 * Webhook subscriptions over REST: service admins and keys with the `admin` scope manage
 * all of them; a key with the `webhooks` scope manages its own. Every change is audited.
 */
export class WebhookService {
  constructor(private readonly deps: WebhookServiceDeps) {}

  private reach(principal: Principal): Reach {
    const key = principal.key;
    if (!key) {
      if (principal.isServiceAdmin) return { all: true };
      throw forbidden("only service admins and API keys with the webhooks scope manage webhooks");
    }
    if (hasScope(principal, "admin") && !key.conversationIds) return { all: true };
    if (hasScope(principal, "webhooks") || hasScope(principal, "admin")) {
      return { all: false, keyId: key.id };
    }
    throw forbidden("this API key lacks the webhooks scope");
  }

  /** The subscription if the principal may see it; anything else is not_found. */
  private async load(principal: Principal, id: unknown): Promise<SubscriptionRow> {
    const reach = this.reach(principal);
    const row = await this.deps.repository.find(validate(subscriptionIdSchema, id));
    if (!row || (!reach.all && row.owner_key_id !== reach.keyId)) throw notFound("webhook");
    return row;
  }

  /** A restricted key's filters stay inside its conversations; a key may follow only its bot. */
  private checkFilters(principal: Principal, input: Partial<SubscriptionInput>): void {
    const allowed = principal.key?.conversationIds;
    if (allowed && "conversation_ids" in input) {
      const ids = input.conversation_ids;
      if (!ids || ids.some((id) => !allowed.includes(id))) {
        throw forbidden("this API key may only follow its own conversations");
      }
    }
    const key = principal.key;
    if (key && input.user_id && !hasScope(principal, "admin") && input.user_id !== key.botUserId) {
      throw forbidden("this API key may only follow its own bot's events");
    }
  }

  /** @returns the subscription and its signing secret (shown this once) */
  async create(
    principal: Principal,
    input: unknown,
  ): Promise<{ subscription: Subscription; secret: string }> {
    this.reach(principal);
    const body = validate(createSubscriptionSchema, input);
    const restricted = principal.key?.conversationIds;
    const conversationIds = body.conversation_ids ?? restricted ?? null;
    this.checkFilters(principal, { ...body, conversation_ids: conversationIds });
    const secret = newSigningSecret();
    // Read before the transaction: embedded PGlite serves one transaction at a time.
    const cursor = await this.deps.head();
    const row = await this.deps.transactions
      .run(async ({ trx }) => {
        const inserted = await this.deps.repository.insert(
          {
            id: newId(),
            kind: "events",
            url: body.url,
            secret,
            description: body.description ?? null,
            event_types: body.event_types,
            conversation_ids: conversationIds,
            user_id: body.user_id ?? null,
            command: null,
            owner_key_id: principal.key?.id ?? null,
            created_by_user_id: principal.key ? null : principal.userId,
            cursor,
          },
          trx,
        );
        await this.deps.audit.record(trx, principal, {
          action: "webhook.create",
          target: { type: "webhook", id: inserted.id },
          details: { url: body.url, event_types: body.event_types },
        });
        return inserted;
      })
      .catch(unknownUser);
    this.deps.wake();
    return { subscription: toSubscription(row), secret };
  }

  async list(principal: Principal, query: unknown): Promise<Page<Subscription>> {
    const reach = this.reach(principal);
    const q = validate(subscriptionListSchema, query ?? {}) as { limit: number; cursor?: string };
    const after = decodeCursor<{ w: string }>(
      q.cursor,
      (v) => typeof (v as { w?: unknown })?.w === "string",
    );
    const rows = await this.deps.repository.page(
      reach.all ? {} : { ownerKeyId: reach.keyId },
      q.limit + 1,
      after?.w,
    );
    const page = rows.slice(0, q.limit);
    return {
      data: page.map(toSubscription),
      next_cursor: rows.length > q.limit ? encodeCursor({ w: page.at(-1)!.id }) : null,
    };
  }

  async get(principal: Principal, id: unknown): Promise<Subscription> {
    return toSubscription(await this.load(principal, id));
  }

  /**
   * Changes the endpoint or its filters; `enabled: true` re-enables a disabled endpoint,
   * which resumes from its cursor (or from the oldest event still kept, if the log was
   * pruned past it meanwhile) with a clean failure count.
   */
  async update(principal: Principal, id: unknown, input: unknown): Promise<Subscription> {
    const current = await this.load(principal, id);
    const body = validate(updateSubscriptionSchema, input);
    if (current.kind === "command" && (body.event_types || body.conversation_ids || body.user_id)) {
      throw validationError("event_types", "a command's filters are fixed");
    }
    this.checkFilters(principal, body);
    const { enabled, ...fields } = body;
    const changes: Partial<SubscriptionRow> = { ...fields };
    if (enabled === true && !current.enabled) {
      const pruned = await this.deps.prunedThrough();
      Object.assign(changes, {
        enabled: true,
        disabled_at: null,
        disabled_reason: null,
        attempts: 0,
        consecutive_failures: 0,
        next_attempt_at: new Date(),
        cursor: Math.max(current.cursor, pruned),
      });
    } else if (enabled === false && current.enabled) {
      Object.assign(changes, {
        enabled: false,
        disabled_at: new Date(),
        disabled_reason: "disabled",
      });
    }
    const row = await this.deps.transactions
      .run(async ({ trx }) => {
        const updated = (await this.deps.repository.update(current.id, changes, trx))!;
        await this.deps.audit.record(trx, principal, {
          action: "webhook.update",
          target: { type: "webhook", id: current.id },
          details: { fields: Object.keys(body) },
        });
        return updated;
      })
      .catch(unknownUser);
    if (row.enabled) this.deps.wake();
    return toSubscription(row);
  }

  async remove(principal: Principal, id: unknown): Promise<void> {
    const current = await this.load(principal, id);
    await this.deps.transactions.run(async ({ trx }) => {
      await this.deps.repository.delete(current.id, trx);
      await this.deps.audit.record(trx, principal, {
        action: "webhook.delete",
        target: { type: "webhook", id: current.id },
        details: { url: current.url },
      });
    });
  }

  /** Oldest first; `pending=true`: only those not replayed successfully. */
  async deadLetters(principal: Principal, id: unknown, query: unknown): Promise<Page<DeadLetter>> {
    const sub = await this.load(principal, id);
    const q = validate(deadLetterListSchema, query ?? {}) as {
      limit: number;
      cursor?: string;
      pending?: boolean;
    };
    const after = decodeCursor<{ d: string }>(
      q.cursor,
      (v) => typeof (v as { d?: unknown })?.d === "string",
    );
    const rows = await this.deps.deadLetters.page(sub.id, q.limit + 1, after?.d, q.pending);
    const page = rows.slice(0, q.limit);
    return {
      data: page.map(toDeadLetter),
      next_cursor: rows.length > q.limit ? encodeCursor({ d: page.at(-1)!.id }) : null,
    };
  }

  /**
   * Sends a dead letter again, now, to the subscription's current URL (signed with its
   * secret, same `webhook-id`), whether or not the endpoint is enabled. Audited.
   */
  async replay(
    principal: Principal,
    id: unknown,
    letterId: unknown,
  ): Promise<{
    delivered: boolean;
    status: number | null;
    error: string | null;
    dead_letter: DeadLetter;
  }> {
    const sub = await this.load(principal, id);
    const letter = await this.deps.deadLetters.find(sub.id, validate(deadLetterIdSchema, letterId));
    if (!letter) throw notFound("dead letter");
    const outcome = await this.send(sub, letter);
    const updated = await this.deps.deadLetters.recordReplay(
      letter.id,
      outcome.ok,
      outcome.ok ? null : outcome.error,
    );
    await this.deps.transactions.run(({ trx }) =>
      this.deps.audit.record(trx, principal, {
        action: "webhook.replay",
        target: { type: "webhook", id: sub.id },
        details: { dead_letter_id: letter.id, event_id: letter.event_id, delivered: outcome.ok },
      }),
    );
    return {
      delivered: outcome.ok,
      status: outcome.status ?? null,
      error: outcome.ok ? null : outcome.error,
      dead_letter: toDeadLetter(updated),
    };
  }

  private send(sub: SubscriptionRow, letter: DeadLetterRow) {
    const data = (JSON.parse(letter.body) as { data?: { conversation_id?: string } }).data;
    return deliverOnce(
      this.deps.delivery,
      sub,
      letter.event_id,
      letter.body,
      data?.conversation_id ?? null,
    );
  }
}

/** A user_id naming nobody: the foreign key refused it. */
function unknownUser(error: unknown): never {
  if (error instanceof MissingReferenceError) {
    throw validationError("user_id", "user_id names no user");
  }
  throw error instanceof AppError ? error : (error as Error);
}
