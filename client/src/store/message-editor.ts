import type { RestApi } from "../rest/rest-api.js";
import type { Message } from "../types.js";
import { applyDeletion, applyEdit, applyReaction, Refetch } from "./apply-frame.js";
import type { ChatStore } from "./chat-store.js";

/**
 * Edits, deletions and reactions over REST, applied to the store as soon as the service
 * answers (the same change's event arrives later and changes nothing more), so the app
 * shows its own changes at once even while the realtime connection is down.
 */
export class MessageEditor {
  constructor(
    private readonly rest: RestApi,
    private readonly store: ChatStore,
    private readonly refetch: Refetch,
  ) {}

  async edit(id: string, content: string): Promise<Message> {
    const message = await this.rest.editMessage(id, { content });
    applyEdit(this.store, message);
    return message;
  }

  async remove(id: string): Promise<void> {
    const held = this.store.findMessage(id);
    await this.rest.deleteMessage(id);
    if (!held) return;
    const deleted = { id, conversation_id: held.conversation_id, seq: held.seq };
    applyDeletion(this.store, { ...deleted, deleted_at: new Date().toISOString() }, this.refetch);
  }

  async react(id: string, emoji: string, added: boolean): Promise<void> {
    if (added) await this.rest.addReaction(id, emoji);
    else await this.rest.removeReaction(id, emoji);
    const held = this.store.findMessage(id);
    if (!held || !this.store.userId) return;
    const reaction = { conversation_id: held.conversation_id, message_id: id, emoji };
    applyReaction(this.store, { ...reaction, user_id: this.store.userId }, added);
  }
}
