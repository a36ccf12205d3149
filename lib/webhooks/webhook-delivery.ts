import { toAppError } from "../errors";
import type { IntegrationMetrics } from "../integration-metrics";
import type { SubscriptionRow } from "../store/webhook-repository";
import type { PostResult } from "./signed-post";
import { commandAnswer } from "./webhook-payloads";

/** What one try needs: the HTTP client, the way a command's answer is posted, the timeout. */
export interface DeliveryDeps {
  post(
    url: string,
    secret: string,
    id: string,
    body: string,
    timeoutMs: number,
  ): Promise<PostResult>;
  /** Posts a command's answer as its bot (idempotent per event); throws an AppError. */
  answerCommand(
    botUserId: string,
    conversationId: string,
    answer: { content: string; metadata?: Record<string, unknown> },
    eventId: string,
  ): Promise<void>;
  timeoutMs: number;
  metrics?: IntegrationMetrics;
}

export type Attempt =
  { ok: true; status?: number } | { ok: false; status?: number; error: string; permanent: boolean };

/** Refusals of a command's answer that a retry would not change. */
const PERMANENT = new Set(["validation_error", "not_found", "forbidden", "conflict", "rejected"]);

/**
 * One signed POST of `body` to the subscription's endpoint; for a command, a 2xx answer
 * `{content}` is then posted in the conversation as the bot. Never throws.
 */
export async function deliverOnce(
  deps: DeliveryDeps,
  sub: SubscriptionRow,
  eventId: string,
  body: string,
  conversationId: string | null,
): Promise<Attempt> {
  const result = await deps.post(sub.url, sub.secret, eventId, body, deps.timeoutMs);
  if (!result.ok) {
    deps.metrics?.webhookTry(sub.kind, "failed", result.seconds);
    return { ok: false, status: result.status, error: result.error ?? "failed", permanent: false };
  }
  const answer = sub.kind === "command" ? commandAnswer(result.body) : undefined;
  if (answer && conversationId && sub.user_id) {
    try {
      await deps.answerCommand(sub.user_id, conversationId, answer, eventId);
    } catch (error) {
      const appError = toAppError(error);
      deps.metrics?.webhookTry(sub.kind, "failed", result.seconds);
      return {
        ok: false,
        status: result.status,
        error: `answer refused: ${appError.code}: ${appError.message}`,
        permanent: PERMANENT.has(appError.code),
      };
    }
  }
  deps.metrics?.webhookTry(sub.kind, "delivered", result.seconds);
  return { ok: true, status: result.status };
}
