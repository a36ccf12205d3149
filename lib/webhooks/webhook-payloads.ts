import { natsBody, SequencedEvent } from "../events/event-types";
import type { Message } from "../domain/types";
import type { SubscriptionRow } from "../store/webhook-repository";

/** The `type` of a slash command's delivery to its bot. */
export const COMMAND_INVOKED = "command.invoked";

/** `/name args…` as the first token; names are registered without the slash. */
export function parseCommand(
  content: string | null | undefined,
): { name: string; args: string } | undefined {
  const match = /^\/([a-z0-9_-]{1,32})(?:\s+([\s\S]*))?$/.exec(content ?? "");
  return match ? { name: match[1], args: (match[2] ?? "").trim() } : undefined;
}

/**
 * The JSON body one subscription receives for one event, or undefined when the event is
 * not for it after all (SQL narrows by prefix; the exact command and its sender are checked
 * here). An `events` subscription gets the event as JetStream has it (docs/events.md); a
 * command's bot gets `command.invoked` with the command, its arguments and the message.
 */
export function deliveryBody(sub: SubscriptionRow, event: SequencedEvent): string | undefined {
  if (sub.kind === "events") return JSON.stringify(natsBody(event));
  const message = event.frame.data as Message;
  const command = parseCommand(message?.content);
  if (!command || command.name !== sub.command || message.sender_id === sub.user_id) {
    return undefined;
  }
  return JSON.stringify({
    id: event.id,
    type: COMMAND_INVOKED,
    occurred_at: event.occurredAt,
    data: {
      command: command.name,
      args: command.args,
      conversation_id: message.conversation_id,
      user_id: message.sender_id,
      bot_user_id: sub.user_id,
      message,
    },
  });
}

/** A command's answer from its endpoint's response: `{content, metadata?}`, else nothing. */
export function commandAnswer(
  body: string | undefined,
): { content: string; metadata?: Record<string, unknown> } | undefined {
  if (!body) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const answer = parsed as { content?: unknown; metadata?: unknown } | null;
  if (!answer || typeof answer.content !== "string") return undefined;
  const metadata =
    answer.metadata && typeof answer.metadata === "object" && !Array.isArray(answer.metadata)
      ? (answer.metadata as Record<string, unknown>)
      : undefined;
  return { content: answer.content, ...(metadata ? { metadata } : {}) };
}
