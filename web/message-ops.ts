import {
  isMessagingError,
  isPending,
  type FileObject,
  type SearchHit,
  type ShownMessage,
} from "../client/src/index";
import type { ChatScreen } from "./chat-screen";
import type { MessageActions } from "./views/message-item";

/** What a message's buttons do, through the SDK client: send, react, edit, threads, files. */
export class MessageOps implements MessageActions {
  private readonly imageUrls = new Map<string, Promise<string>>();

  constructor(private readonly screen: ChatScreen) {}

  private get client() {
    return this.screen.client;
  }

  myId(): string {
    return this.screen.state.myId;
  }

  userName(id: string): string {
    return this.screen.state.userName(id);
  }

  readers(message: ShownMessage): string[] {
    const conversation = this.client.store.conversation(message.conversation_id);
    if (!conversation || isPending(message)) return [];
    return conversation.members
      .filter((m) => m.user_id !== message.sender_id && m.last_read_seq >= message.seq)
      .map((m) => this.userName(m.user_id));
  }

  /** sent → delivered → read of one's own message in a direct conversation (null elsewhere). */
  ticks(message: ShownMessage): "sent" | "delivered" | "read" | null {
    const conversation = this.client.store.conversation(message.conversation_id);
    if (!conversation || conversation.type !== "direct" || isPending(message)) return null;
    const other = conversation.members.find((m) => m.user_id !== message.sender_id);
    if (!other) return null;
    if (other.last_read_seq >= message.seq) return "read";
    const delivered = this.client.store.deliveredSeq(conversation.id, other.user_id);
    return delivered >= message.seq ? "delivered" : "sent";
  }

  /** The message and everything after it become unread (auto-read waits until reopened). */
  markUnread(message: ShownMessage): void {
    this.screen.holdUnread(message.conversation_id);
    this.screen.safely(this.client.markUnread(message.conversation_id, message.id));
  }

  /**
   * Queues the message in the SDK's outbox (kept in IndexedDB until acknowledged): shown at
   * once as pending, sent and resent with its client_msg_id, reconciled with the stored copy.
   */
  send(content: string, attachments: FileObject[], parentId: string | null): void {
    const conversationId = this.screen.state.openId;
    if (!conversationId) return;
    this.client
      .send(conversationId, content, { attachments, parent_id: parentId })
      .then((entry) => this.client.sent(entry.client_msg_id))
      .catch((error: Error) => this.screen.flash(`Message not sent: ${error.message}`));
  }

  retry(message: ShownMessage): void {
    if (isPending(message) && message.client_msg_id)
      this.screen.safely(this.client.outbox.retry(message.client_msg_id));
  }

  discard(message: ShownMessage): void {
    if (isPending(message) && message.client_msg_id)
      this.screen.safely(this.client.outbox.discard(message.client_msg_id));
  }

  async edit(message: ShownMessage, content: string): Promise<void> {
    await this.client.editMessage(message.id, content);
  }

  remove(message: ShownMessage): void {
    if (!confirm("Delete this message for everyone?")) return;
    this.screen.safely(this.client.deleteMessage(message.id));
  }

  toggleReaction(message: ShownMessage, emoji: string): void {
    const mine = message.reactions.find((r) => r.emoji === emoji)?.user_ids.includes(this.myId());
    this.screen.safely(this.client.react(message.id, emoji, !mine));
  }

  openThread(message: ShownMessage): void {
    this.screen.panel.showThread(message, (content) => this.send(content, [], message.id));
    this.screen.safely(this.client.loadThread(message.id));
    this.screen.safely(this.screen.readThread(message.id));
  }

  /** Unread replies of a thread root for the signed-in user (0 when none or unknown). */
  threadUnread(message: ShownMessage): number {
    return this.screen.threadUnread.get(message.id) ?? 0;
  }

  download(file: FileObject): void {
    this.client.rest
      .downloadFile(file.id)
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        const link = document.createElement("a");
        link.href = url;
        link.download = file.filename;
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      })
      .catch((error: Error) => this.screen.flash(error.message));
  }

  imageUrl(file: FileObject): Promise<string> {
    let url = this.imageUrls.get(file.id);
    if (!url) {
      url = this.client.rest.downloadFile(file.id).then((blob) => URL.createObjectURL(blob));
      this.imageUrls.set(file.id, url);
    }
    return url;
  }

  async search(query: string): Promise<void> {
    if (!query) return;
    try {
      const page = await this.client.rest.searchMessages({ q: query, limit: 30 });
      await this.client.loadUsers(page.data.map((hit) => hit.sender_id));
      this.screen.panel.showSearch(query, page.data, (hit) => this.screen.safely(this.reveal(hit)));
    } catch (error) {
      this.screen.flash(isMessagingError(error) ? error.message : "Search failed.");
    }
  }

  /** Opens the hit's conversation and scrolls to it, paging back through history if needed. */
  private async reveal(hit: SearchHit): Promise<void> {
    await this.screen.open(hit.conversation_id);
    if (hit.parent_id) {
      const parent =
        this.client.store.findMessage(hit.parent_id) ??
        (await this.client.rest.message(hit.parent_id));
      return this.openThread(parent);
    }
    for (let pages = 0; pages < 20 && !this.screen.timeline.reveal(hit.id); pages++) {
      if (!(await this.client.loadOlder(hit.conversation_id))) {
        this.screen.flush();
        this.screen.timeline.reveal(hit.id);
        return;
      }
      this.screen.flush();
    }
  }
}
