import { newId } from "../ids";
import { signedPost } from "../webhooks/signed-post";
import type { ModerationRequest, Moderator, Verdict } from "./moderation";

/**
 * The moderation hook: POSTs the request as JSON (signed like webhooks when a secret is
 * configured) and reads `{"action": "allow"}`, `{"action": "reject", "reason": "…"}` or
 * `{"action": "replace", "content": "…"}`. Anything else, a non-2xx status or no answer
 * within the timeout is a failure, which the pipeline meets with the configured policy.
 */
export class HttpModerator implements Moderator {
  readonly name = "http";

  constructor(
    private readonly url: string,
    private readonly secret: string | undefined,
    private readonly timeoutMs: number,
    readonly onFailure: "open" | "closed",
  ) {}

  async review(request: ModerationRequest): Promise<Verdict> {
    const result = await signedPost(
      this.url,
      this.secret,
      newId(),
      JSON.stringify(request),
      this.timeoutMs,
    );
    if (!result.ok) throw new Error(result.error ?? "moderation hook failed");
    const answer = JSON.parse(result.body ?? "") as {
      action?: unknown;
      reason?: unknown;
      content?: unknown;
    };
    if (answer?.action === "allow") return { action: "allow" };
    if (answer?.action === "reject") {
      const reason = typeof answer.reason === "string" && answer.reason.trim() ? answer.reason : "";
      return { action: "reject", reason: reason.slice(0, 500) || "the message was rejected" };
    }
    if (answer?.action === "replace" && typeof answer.content === "string") {
      return { action: "replace", content: answer.content };
    }
    throw new Error("the moderation hook's answer is not allow, reject or replace");
  }
}
