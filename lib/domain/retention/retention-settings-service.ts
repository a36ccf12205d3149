import Joi from "joi";
import { forbidden, notFound } from "../../errors";
import type { RetentionRepository } from "../../store/retention-repository";
import { uuid, validate } from "../../validation";

/** A conversation's retention as its members see it. */
export interface ConversationRetention {
  conversation_id: string;
  /** The conversation's own period; null: only the global one applies. */
  retention_days: number | null;
  /** The period that applies (the shorter of the two); null: messages are kept. */
  effective_days: number | null;
}

const idSchema = uuid().required().label("id");
const bodySchema = Joi.object({
  retention_days: Joi.number().integer().min(1).max(36500).allow(null).required(),
});
const DAY_MS = 86_400_000;

/**
 * A conversation's own retention period: read by its members, set by a group's owner or
 * admins (either member of a direct conversation). The global `retention.messages` still
 * applies: a conversation can only shorten it.
 */
export class RetentionSettingsService {
  constructor(
    private readonly repository: RetentionRepository,
    private readonly globalMs: number,
  ) {}

  async get(callerId: string, conversationId: unknown): Promise<ConversationRetention> {
    const id = validate(idSchema, conversationId).toLowerCase();
    return this.view(id, (await this.load(id, callerId)).retention_days);
  }

  async set(
    callerId: string,
    conversationId: unknown,
    input: unknown,
  ): Promise<ConversationRetention> {
    const id = validate(idSchema, conversationId).toLowerCase();
    const { retention_days: days } = validate(bodySchema, input ?? {}) as {
      retention_days: number | null;
    };
    const row = await this.load(id, callerId);
    if (row.type === "group" && row.role === "member") {
      throw forbidden("only an owner or admin may change the retention period");
    }
    await this.repository.setPeriod(id, days);
    return this.view(id, days);
  }

  private async load(id: string, callerId: string) {
    const row = await this.repository.settingFor(id, callerId);
    if (!row) throw notFound("conversation");
    return row;
  }

  private view(id: string, days: number | null): ConversationRetention {
    const globalDays = this.globalMs > 0 ? this.globalMs / DAY_MS : null;
    const candidates = [days, globalDays].filter((d): d is number => d !== null);
    return {
      conversation_id: id,
      retention_days: days,
      effective_days: candidates.length ? Math.min(...candidates) : null,
    };
  }
}
