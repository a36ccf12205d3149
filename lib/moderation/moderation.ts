import { AppError, unavailable } from "../errors";
import type { IntegrationMetrics } from "../integration-metrics";
import type { Logger } from "../logger";
import { MAX_CONTENT_LENGTH } from "../domain/messages/message-schemas";
import type { SendInput } from "../domain/messages/message-schemas";
import type { MessageModeration } from "../domain/messages/message-context";
import { text, validate } from "../validation";

/** What a moderator is shown: the message as it would be stored. */
export interface ModerationRequest {
  /** `message`: a new message; `edit`: new content for an existing one. */
  kind: "message" | "edit";
  conversation_id: string;
  sender_id: string;
  /** The edited message (null for a new one). */
  message_id: string | null;
  content: string;
  metadata: Record<string, unknown>;
  parent_id: string | null;
  attachments: string[];
}

export type Verdict =
  | { action: "allow" }
  | { action: "reject"; reason: string }
  | { action: "replace"; content: string };

/** One moderator (the HTTP hook, the word list): a verdict, or a throw when it failed. */
export interface Moderator {
  readonly name: string;
  review(request: ModerationRequest): Promise<Verdict>;
  /** When review throws: `open` lets the message through unchanged, `closed` refuses it. */
  readonly onFailure: "open" | "closed";
}

const replacementSchema = text(1, MAX_CONTENT_LENGTH).required().label("content");

/**
 * Runs the moderators in order before a message is stored: each sees the content the
 * previous one left; a reject stops the send with `rejected` (422) and the reason; a
 * moderator that fails (error, timeout, unreadable answer) applies its failure policy
 * (closed: `unavailable`, 503). Each one's time goes to `messaging_moderation_seconds`.
 */
export class ModerationPipeline implements MessageModeration {
  constructor(
    private readonly moderators: Moderator[],
    private readonly logger: Logger,
    private readonly metrics?: IntegrationMetrics,
  ) {}

  reviewSend(senderId: string, conversationId: string, draft: SendInput): Promise<string> {
    return this.review({
      kind: "message",
      conversation_id: conversationId,
      sender_id: senderId,
      message_id: null,
      content: draft.content,
      metadata: draft.metadata ?? {},
      parent_id: draft.parent_id ?? null,
      attachments: draft.attachments ?? [],
    });
  }

  reviewEdit(
    senderId: string,
    conversationId: string,
    messageId: string,
    content: string,
  ): Promise<string> {
    return this.review({
      kind: "edit",
      conversation_id: conversationId,
      sender_id: senderId,
      message_id: messageId,
      content,
      metadata: {},
      parent_id: null,
      attachments: [],
    });
  }

  private async review(request: ModerationRequest): Promise<string> {
    let content = request.content;
    for (const moderator of this.moderators) {
      const started = performance.now();
      const elapsed = () => (performance.now() - started) / 1000;
      let verdict: Verdict;
      try {
        verdict = await moderator.review({ ...request, content });
        if (verdict.action === "replace") {
          verdict = { action: "replace", content: validate(replacementSchema, verdict.content) };
        }
      } catch (error) {
        this.metrics?.moderated(moderator.name, "error", elapsed());
        this.logger.warn("moderation failed", {
          moderator: moderator.name,
          policy: moderator.onFailure,
          error: (error as Error).message,
        });
        if (moderator.onFailure === "closed") {
          throw unavailable("message moderation is unavailable, try again later");
        }
        continue;
      }
      this.metrics?.moderated(moderator.name, verdict.action, elapsed());
      if (verdict.action === "reject") throw new AppError("rejected", verdict.reason);
      if (verdict.action === "replace") content = verdict.content;
    }
    return content;
  }
}
