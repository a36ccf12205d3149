import Joi from "joi";
import { conflict, notFound } from "../../errors";
import type { TransactionRunner, UnitOfWork } from "../../event-log/transaction-runner";
import { newId } from "../../ids";
import type { ReportRepository, ReportRow } from "../../store/report-repository";
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
import { Principal, actorOf, assertAdmin } from "../integrations/principal";
import type { Message } from "../types";

export const REPORT_REASONS = [
  "spam",
  "harassment",
  "hate",
  "violence",
  "sexual",
  "self_harm",
  "illegal",
  "other",
] as const;
export const REPORT_RESOLUTIONS = [
  "dismissed",
  "message_deleted",
  "user_suspended",
  "user_deleted",
  "other",
] as const;

/** A report as its reporter gets it back. */
export interface Report {
  id: string;
  message_id: string;
  conversation_id: string;
  sender_id: string;
  reporter_id: string;
  reason: string;
  note: string | null;
  status: "open" | "resolved";
  created_at: string;
}

/** A report as service admins see it: with the message as it was and how it was resolved. */
export interface AdminReport extends Report {
  message: Message;
  resolution: string | null;
  resolution_note: string | null;
  resolved_by: { user_id: string | null; api_key_id: string | null } | null;
  resolved_at: string | null;
}

const reportSchema = Joi.object({
  reason: Joi.string()
    .valid(...REPORT_REASONS)
    .required(),
  note: text(1, 1000),
});
const resolveSchema = Joi.object({
  resolution: Joi.string()
    .valid(...REPORT_RESOLUTIONS)
    .required(),
  note: text(1, 1000),
});
const listSchema = Joi.object({ ...pageQuery, status: Joi.string().valid("open", "resolved") });
const idSchema = uuid().required().label("id");

const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

const toReport = (row: ReportRow): Report => ({
  id: row.id,
  message_id: row.message_id,
  conversation_id: row.conversation_id,
  sender_id: row.sender_id,
  reporter_id: row.reporter_id,
  reason: row.reason,
  note: row.note,
  status: row.status,
  created_at: new Date(row.created_at).toISOString(),
});

const toAdminReport = (row: ReportRow): AdminReport => ({
  ...toReport(row),
  message: row.message as unknown as Message,
  resolution: row.resolution,
  resolution_note: row.resolution_note,
  resolved_by: row.resolved_at
    ? { user_id: row.resolved_by_user_id, api_key_id: row.resolved_by_key_id }
    : null,
  resolved_at: iso(row.resolved_at),
});

/**
 * Reports of messages: a member reports a message it can see (rate limited per user); the
 * report keeps the message as it was then (the evidence survives an edit or a delete) and
 * emits `report.created` (webhooks, JetStream); service admins list and resolve reports,
 * each resolution audited and announced as `report.resolved`.
 */
export class ReportService {
  constructor(
    private readonly deps: {
      reports: ReportRepository;
      /** The message as stored, if the caller may see it (never collapsed for a block). */
      messages: { snapshot(callerId: string, messageId: unknown): Promise<Message> };
      transactions: TransactionRunner;
      audit: AuditLog;
      limit: { enforce(kind: "report", key: string): Promise<unknown> };
    },
  ) {}

  async report(callerId: string, messageId: unknown, input: unknown): Promise<Report> {
    const body = validate(reportSchema, input ?? {}) as { reason: string; note?: string };
    // not_found for a message the caller cannot see, before anything is counted.
    const message = await this.deps.messages.snapshot(callerId, messageId);
    await this.deps.limit.enforce("report", callerId);
    const row = await this.deps.transactions.run(async (uow) => {
      const inserted = await this.deps.reports.insert(
        {
          id: newId(),
          reporter_id: callerId,
          message_id: message.id,
          conversation_id: message.conversation_id,
          sender_id: message.sender_id,
          reason: body.reason,
          note: body.note ?? null,
          message: message as unknown as Record<string, unknown>,
        },
        uow.trx,
      );
      this.announce(uow, "report.created", inserted);
      return inserted;
    });
    return toReport(row);
  }

  async list(principal: Principal, query: unknown): Promise<Page<AdminReport>> {
    assertAdmin(principal);
    const q = validate(listSchema, query ?? {}) as {
      limit: number;
      cursor?: string;
      status?: string;
    };
    const before = decodeCursor<{ b: string }>(
      q.cursor,
      (v) => typeof (v as { b?: unknown })?.b === "string",
    );
    const rows = await this.deps.reports.page(q.status, q.limit + 1, before?.b);
    const page = rows.slice(0, q.limit);
    return {
      data: page.map(toAdminReport),
      next_cursor: rows.length > q.limit ? encodeCursor({ b: page.at(-1)!.id }) : null,
    };
  }

  async get(principal: Principal, id: unknown): Promise<AdminReport> {
    assertAdmin(principal);
    const row = await this.deps.reports.find(validate(idSchema, id));
    if (!row) throw notFound("report");
    return toAdminReport(row);
  }

  /** Resolving again is a conflict: a report is resolved once, by one admin. */
  async resolve(principal: Principal, id: unknown, input: unknown): Promise<AdminReport> {
    assertAdmin(principal);
    const reportId = validate(idSchema, id);
    const body = validate(resolveSchema, input ?? {}) as { resolution: string; note?: string };
    const actor = actorOf(principal);
    const row = await this.deps.transactions.run(async (uow) => {
      const current = await this.deps.reports.find(reportId, uow.trx, true);
      if (!current) throw notFound("report");
      if (current.status === "resolved") throw conflict("the report is already resolved");
      const resolved = await this.deps.reports.resolve(
        reportId,
        {
          resolution: body.resolution,
          resolution_note: body.note ?? null,
          resolved_by_user_id: actor.userId,
          resolved_by_key_id: actor.keyId,
        },
        uow.trx,
      );
      await this.deps.audit.record(uow.trx, principal, {
        action: "report.resolve",
        target: { type: "report", id: reportId },
        details: { resolution: body.resolution, message_id: current.message_id },
      });
      this.announce(uow, "report.resolved", resolved);
      return resolved;
    });
    return toAdminReport(row);
  }

  /** To nobody's connections: webhooks and JetStream carry it (no text, only ids and reason). */
  private announce(uow: UnitOfWork, type: "report.created" | "report.resolved", row: ReportRow) {
    uow.emit({
      type,
      conversationId: row.conversation_id,
      audience: [],
      frame: {
        type,
        data: {
          id: row.id,
          message_id: row.message_id,
          conversation_id: row.conversation_id,
          sender_id: row.sender_id,
          reporter_id: row.reporter_id,
          reason: row.reason,
          status: row.status,
          resolution: row.resolution,
          created_at: new Date(row.created_at).toISOString(),
        },
      },
    });
  }
}
