import crypto from "node:crypto";
import Joi from "joi";
import type { Readable } from "node:stream";
import type { HashQueue } from "../../auth/hash-queue";
import { verifyPassword } from "../../auth/passwords";
import type { TokenService } from "../../auth/tokens";
import { forbidden, notFound, unauthorized } from "../../errors";
import type { TransactionRunner } from "../../event-log/transaction-runner";
import type { FileStorage } from "../../files/file-storage";
import { newId } from "../../ids";
import type { AccountJobRepository, AccountJobRow } from "../../store/account-job-repository";
import type { BlockRepository } from "../../store/block-repository";
import type { ErasureRepository } from "../../store/erasure-repository";
import type { SessionRepository } from "../../store/session-repository";
import type { UserRepository } from "../../store/user-repository";
import { uuid, validate } from "../../validation";
import type { AuditLog } from "../admin/audit-log";
import { Principal, assertAdmin } from "../integrations/principal";
import type { BlockCache } from "../safety/block-cache";
import type { SessionRevocations } from "./session-revocations";
import { deleteAccountSchema } from "./session-schemas";

/** A data export as its owner sees it. */
export interface DataExport {
  id: string;
  status: "pending" | "ready" | "failed" | "expired";
  created_at: string;
  completed_at: string | null;
  expires_at: string | null;
  size: number | null;
  /** A link that works without a token until `expires_at` (ready exports only). */
  download_url: string | null;
}

export interface AccountServiceDeps {
  users: UserRepository;
  transactions: TransactionRunner;
  erasure: ErasureRepository;
  sessions: SessionRepository;
  blocks: BlockRepository;
  jobs: AccountJobRepository;
  storage: FileStorage;
  tokens: TokenService;
  hashes: HashQueue;
  audit: AuditLog;
  revocations: SessionRevocations;
  blockCache: BlockCache;
  /** A new job was queued on this node. */
  wake(): void;
}

const idSchema = uuid().required().label("id");
const archiveQuery = Joi.object({
  expires: Joi.number().integer().min(0).required(),
  signature: Joi.string().max(100).required(),
});
const LINK = "export-archive";

/**
 * Account deletion and data export. Deleting (by the user, with their password, or by a
 * service admin) empties the profile, refuses every token and closes every connection at
 * once, in one transaction with `user.deleted`; an `erase` job then removes the rest in the
 * background (AccountEraser). An export is an `export` job (DataExporter) whose archive is
 * downloaded through a signed link that expires.
 */
export class AccountService {
  constructor(private readonly deps: AccountServiceDeps) {}

  async deleteOwnAccount(userId: string, input: unknown, address: string): Promise<void> {
    const { password } = validate(deleteAccountSchema, input ?? {}) as { password?: string };
    const row = await this.deps.users.findById(userId);
    if (!row) throw unauthorized();
    if (row.password_hash) {
      const hash = row.password_hash;
      const ok =
        password !== undefined &&
        (await this.deps.hashes.run(address, () => verifyPassword(password, hash)));
      if (!ok) throw forbidden("the password is wrong");
    }
    await this.deleteAccount(userId, null);
  }

  async adminDeleteUser(principal: Principal, userId: unknown): Promise<void> {
    assertAdmin(principal);
    const id = validate(idSchema, userId).toLowerCase();
    if (id === principal.userId)
      throw forbidden("delete your own account at DELETE /api/v1/users/me");
    await this.deleteAccount(id, principal);
  }

  /** The synchronous part: profile, tokens, blocks, the event and the erase job. */
  private async deleteAccount(userId: string, admin: Principal | null): Promise<void> {
    const { erasure, sessions, blocks, jobs } = this.deps;
    const deleted = await this.deps.transactions.run(async ({ trx, emit }) => {
      const row = await erasure.lockUser(userId, trx);
      if (!row) throw notFound("user");
      if (row.kind === "bot") throw forbidden("a bot goes with its API key (revoke the key)");
      if (row.deleted_at) return false;
      const deletedAt = await erasure.eraseProfile(userId, trx);
      await sessions.setTokensValidAfter(userId, new Date(deletedAt), trx);
      await sessions.deleteAllForUser(userId, trx);
      await blocks.removeAllOf(userId, trx);
      await jobs.insert({ id: newId(), kind: "erase", user_id: userId }, trx);
      if (admin) {
        await this.deps.audit.record(trx, admin, {
          action: "user.delete",
          target: { type: "user", id: userId },
        });
      }
      emit({
        type: "user.deleted",
        conversationId: null,
        audience: [userId],
        frame: {
          type: "user.deleted",
          data: { user_id: userId, deleted_at: new Date(deletedAt).toISOString() },
        },
      });
      return true;
    });
    if (!deleted) return;
    this.deps.revocations.set(userId, Infinity);
    this.deps.blockCache.forget(userId);
    this.deps.wake();
  }

  /** Queues an export (or returns the one still being made). */
  async requestExport(userId: string): Promise<DataExport> {
    const pending = await this.deps.jobs.pendingFor(userId, "export");
    if (pending) return this.view(pending);
    const job = await this.deps.jobs.insert({ id: newId(), kind: "export", user_id: userId });
    this.deps.wake();
    return this.view(job);
  }

  async getExport(userId: string, exportId: unknown): Promise<DataExport> {
    const job = await this.deps.jobs.find(validate(idSchema, exportId).toLowerCase());
    if (!job || job.kind !== "export" || job.user_id !== userId) throw notFound("export");
    return this.view(job);
  }

  /** The archive behind a signed link; a wrong, expired or stale link is not_found. */
  async openArchive(
    exportId: unknown,
    query: unknown,
  ): Promise<{ stream: Readable; filename: string; size: number }> {
    const id = validate(idSchema, exportId).toLowerCase();
    const { expires, signature } = validate(archiveQuery, query ?? {}) as {
      expires: number;
      signature: string;
    };
    const expected = this.deps.tokens.sign(LINK, `${id}:${expires}`);
    const valid =
      signature.length === expected.length &&
      crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected)) &&
      expires * 1000 > Date.now();
    const job = valid ? await this.deps.jobs.find(id) : undefined;
    const key = job?.result?.storage_key;
    if (!job || job.status !== "done" || typeof key !== "string" || this.isExpired(job)) {
      throw notFound("export");
    }
    const day = new Date(job.created_at).toISOString().slice(0, 10);
    return {
      stream: await this.deps.storage.get(key),
      filename: `messaging-export-${day}.zip`,
      size: Number(job.result?.size ?? 0),
    };
  }

  private isExpired(job: AccountJobRow): boolean {
    return job.expires_at !== null && new Date(job.expires_at).getTime() <= Date.now();
  }

  private view(job: AccountJobRow): DataExport {
    const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);
    const status =
      job.status === "done"
        ? this.isExpired(job)
          ? "expired"
          : "ready"
        : job.status === "failed"
          ? "failed"
          : "pending";
    let url: string | null = null;
    if (status === "ready" && job.expires_at) {
      const expires = Math.floor(new Date(job.expires_at).getTime() / 1000);
      const signature = this.deps.tokens.sign(LINK, `${job.id}:${expires}`);
      url = `/api/v1/exports/${job.id}/archive?expires=${expires}&signature=${signature}`;
    }
    return {
      id: job.id,
      status,
      created_at: new Date(job.created_at).toISOString(),
      completed_at: iso(job.completed_at),
      expires_at: iso(job.expires_at),
      size: status === "ready" ? Number(job.result?.size ?? 0) : null,
      download_url: url,
    };
  }
}
