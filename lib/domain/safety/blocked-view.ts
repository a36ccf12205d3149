import type { Message } from "../types";
import type { BlockCache } from "./block-cache";

/**
 * How history shows messages of people the reader blocked or muted (`blocks.history`):
 * `collapse` marks them `sender_blocked` (clients fold them away, content kept), `hide`
 * also leaves out content, metadata and attachments. Seq numbers stay gapless either way.
 */
export class BlockedView {
  constructor(
    private readonly cache: BlockCache,
    private readonly mode: "collapse" | "hide",
  ) {}

  present(viewerId: string, messages: Message[]): Message[] {
    const blocked = this.cache.blockedByViewer(viewerId);
    if (!blocked || blocked.size === 0) return messages;
    return messages.map((message) => {
      if (!blocked.has(message.sender_id)) return message;
      if (this.mode === "collapse" || message.deleted_at)
        return { ...message, sender_blocked: true };
      return { ...message, content: null, metadata: {}, attachments: [], sender_blocked: true };
    });
  }
}
