import { createHash, randomBytes } from "node:crypto";
import Joi from "joi";
import { forbidden, notFound, unauthorized } from "../../errors";
import type { TransactionRunner } from "../../event-log/transaction-runner";
import { newId } from "../../ids";
import type { ApiKeyRepository, ApiKeyRow } from "../../store/api-key-repository";
import type { WebhookRepository } from "../../store/webhook-repository";
import {
  Page,
  decodeCursor,
  encodeCursor,
  pageQuery,
  text,
  uuid,
  validate,
} from "../../validation";
import type { AuditLog } from "../admin/audit-log";
import type { SuspendedUsers } from "../admin/suspended-users";
import { KeyIdentity, Principal, SCOPES, Scope, actorOf, assertAdmin } from "./principal";

/** Every API key starts with this, so a Bearer value tells a key from a JWT at a glance. */
export const API_KEY_PREFIX = "mk_";
const LAST_USED_EVERY_MS = 60_000;

/** An API key as listed (never the key itself, which is shown once, at creation). */
export interface ApiKey {
  id: string;
  name: string;
  /** The key's first characters, to recognise it. */
  prefix: string;
  scopes: Scope[];
  conversation_ids: string[] | null;
  bot_user_id: string | null;
  created_by: { user_id: string | null; api_key_id: string | null };
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

const createSchema = Joi.object({
  name: text(1, 100).required(),
  scopes: Joi.array()
    .items(Joi.string().valid(...SCOPES))
    .unique()
    .min(1)
    .required(),
  conversation_ids: Joi.array().items(uuid()).unique().min(1).max(100),
});
const keyIdSchema = uuid().required().label("id");

const iso = (value: Date | null): string | null => (value ? new Date(value).toISOString() : null);
const hashKey = (key: string): string => createHash("sha256").update(key).digest("hex");

const toApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes,
  conversation_ids: row.conversation_ids,
  bot_user_id: row.bot_user_id,
  created_by: { user_id: row.created_by_user_id, api_key_id: row.created_by_key_id },
  created_at: new Date(row.created_at).toISOString(),
  last_used_at: iso(row.last_used_at),
  revoked_at: iso(row.revoked_at),
});

export const toKeyIdentity = (row: ApiKeyRow): KeyIdentity => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes,
  conversationIds: row.conversation_ids,
  botUserId: row.bot_user_id,
});

/**
 * API keys: created and revoked by admins, shown once, stored as a sha256 (a key is 256
 * random bits: a slow hash would add nothing), checked on every request (so a revoked key
 * stops working at once, on every node).
 */
export class ApiKeyService {
  private readonly lastTouched = new Map<string, number>();
  /** Bots whose key cannot write: their realtime frames that change state are refused. */
  private readonly readOnlyBots = new Set<string>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditLog,
    private readonly suspended: SuspendedUsers,
    private readonly webhooks: Pick<WebhookRepository, "disableOwnedBy">,
  ) {}

  /** @returns the key's record and the key itself (shown this once) */
  async create(principal: Principal, input: unknown): Promise<{ api_key: ApiKey; key: string }> {
    assertAdmin(principal);
    if (principal.key?.conversationIds) {
      throw forbidden("a key restricted to conversations cannot create keys");
    }
    const body = validate(createSchema, input) as {
      name: string;
      scopes: Scope[];
      conversation_ids?: string[];
    };
    const key = API_KEY_PREFIX + randomBytes(32).toString("base64url");
    const id = newId();
    const actor = actorOf(principal);
    await this.transactions.run(async ({ trx }) => {
      await this.keys.insert(
        {
          id,
          name: body.name,
          prefix: key.slice(0, API_KEY_PREFIX.length + 6),
          secret_hash: hashKey(key),
          scopes: body.scopes,
          conversation_ids: body.conversation_ids ?? null,
          created_by_user_id: actor.userId,
          created_by_key_id: actor.keyId,
        },
        trx,
      );
      await this.audit.record(trx, principal, {
        action: "api_key.create",
        target: { type: "api_key", id },
        details: { name: body.name, scopes: body.scopes },
      });
    });
    return { api_key: toApiKey((await this.keys.findById(id))!), key };
  }

  async list(principal: Principal, query: unknown): Promise<Page<ApiKey>> {
    assertAdmin(principal);
    const q = validate(Joi.object(pageQuery), query ?? {}) as { limit: number; cursor?: string };
    const after = decodeCursor<{ k: string }>(
      q.cursor,
      (v) => typeof (v as { k?: unknown })?.k === "string",
    );
    const rows = await this.keys.page(q.limit + 1, after?.k);
    const page = rows.slice(0, q.limit);
    return {
      data: page.map(toApiKey),
      next_cursor: rows.length > q.limit ? encodeCursor({ k: page.at(-1)!.id }) : null,
    };
  }

  async get(principal: Principal, keyId: unknown): Promise<ApiKey> {
    assertAdmin(principal);
    const row = await this.keys.findById(validate(keyIdSchema, keyId));
    if (!row) throw notFound("api key");
    return toApiKey(row);
  }

  /**
   * Revokes at once: the next request with the key is refused; its bot's open connections
   * get `api_key.revoked` and are closed; its webhook subscriptions and commands are
   * disabled. Revoking again is a no-op.
   */
  async revoke(principal: Principal, keyId: unknown): Promise<void> {
    assertAdmin(principal);
    const id = validate(keyIdSchema, keyId);
    await this.transactions.run(async ({ trx, emit }) => {
      const row = await this.keys.findById(id, trx);
      if (!row) throw notFound("api key");
      const revokedAt = await this.keys.revoke(id, trx);
      if (!revokedAt) return;
      // Its webhooks and its bot's commands stop with it.
      const disabled = await this.webhooks.disableOwnedBy(id, "API key revoked", trx);
      await this.audit.record(trx, principal, {
        action: "api_key.revoke",
        target: { type: "api_key", id },
        details: disabled > 0 ? { webhooks_disabled: disabled } : {},
      });
      emit({
        type: "api_key.revoked",
        conversationId: null,
        audience: row.bot_user_id ? [row.bot_user_id] : [],
        frame: {
          type: "api_key.revoked",
          data: {
            id,
            bot_user_id: row.bot_user_id,
            revoked_at: new Date(revokedAt).toISOString(),
          },
        },
      });
    });
  }

  /** A Bearer value that starts with `mk_`: the principal it stands for, or unauthorized. */
  async authenticate(key: string): Promise<Principal> {
    const row = await this.keys.findActiveByHash(hashKey(key));
    if (!row) throw unauthorized("invalid or revoked API key");
    if (row.bot_user_id && this.suspended.has(row.bot_user_id)) {
      throw unauthorized("this API key's bot is suspended");
    }
    this.touch(row.id);
    return { userId: row.bot_user_id, key: toKeyIdentity(row), isServiceAdmin: false };
  }

  /**
   * A realtime handshake with a key: the key's bot, which needs the `read` scope (and
   * `write` to send, mark read, type or set presence).
   */
  async authenticateBot(key: string): Promise<string> {
    const { key: identity } = await this.authenticate(key);
    if (!identity?.botUserId) throw unauthorized("this API key has no bot: create one first");
    if (!identity.scopes.includes("read")) throw unauthorized("this API key lacks the read scope");
    if (identity.scopes.includes("write")) this.readOnlyBots.delete(identity.botUserId);
    else this.readOnlyBots.add(identity.botUserId);
    return identity.botUserId;
  }

  /** A realtime user that may only listen (a bot whose key has no `write` scope). */
  isReadOnly(userId: string): boolean {
    return this.readOnlyBots.size > 0 && this.readOnlyBots.has(userId);
  }

  /** last_used_at, written at most once a minute per key and node, never awaited. */
  private touch(id: string): void {
    const now = Date.now();
    if (now - (this.lastTouched.get(id) ?? 0) < LAST_USED_EVERY_MS) return;
    this.lastTouched.set(id, now);
    this.keys.touch(id).catch(() => undefined);
  }
}
