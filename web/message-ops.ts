import { ApiError } from "./api";
import type { Controller } from "./controller";
import { randomId } from "./dom";
import { isPending, PendingMessage, ShownMessage } from "./store";
import type { FileObject, Message, Reaction, SearchHit } from "./types";
import type { MessageActions } from "./views/message-item";

/** Sending, editing, reacting, reading, threads, files and search. */
export class MessageOps implements MessageActions {
  private readonly imageUrls = new Map<string, Promise<string>>();
  private readonly reading = new Set<string>();

  constructor(private readonly app: Controller) {}

  myId(): string {
    return this.app.store.me?.id ?? "";
  }

  userName(id: string): string {
    return this.app.store.userName(id);
  }

  readers(message: ShownMessage): string[] {
    const conversation = this.app.store.conversations.get(message.conversation_id);
    if (!conversation || isPending(message)) return [];
    return conversation.members
      .filter((m) => m.user_id !== message.sender_id && m.last_read_seq >= message.seq)
      .map((m) => this.app.store.userName(m.user_id));
  }

  /** Shows a message or its new version wherever it appears (timeline, thread, list). */
  apply(message: ShownMessage): void {
    const { store } = this.app;
    const timeline = store.timelines.get(message.conversation_id);
    if (timeline?.loaded || isPending(message)) {
      const previous = store.upsertMessage(message);
      this.app.timeline.upsert(message, previous);
    }
    const threadId = this.app.panel.threadId;
    if (threadId && (message.parent_id === threadId || message.id === threadId)) {
      const parent = store.findMessage(threadId);
      if (parent) this.showThread(parent);
    }
    const conversation = store.conversations.get(message.conversation_id);
    if (conversation?.last_message?.id === message.id && !isPending(message)) {
      conversation.last_message = message;
      this.app.sidebar.render();
    }
  }

  /** Optimistic send: shown at once, reconciled by client_msg_id when the server answers. */
  send(content: string, attachments: FileObject[], parentId: string | null): void {
    const conversationId = this.app.store.openId;
    if (!conversationId) return;
    const pending: PendingMessage = {
      id: "",
      conversation_id: conversationId,
      sender_id: this.myId(),
      seq: 0,
      content,
      metadata: {},
      parent_id: parentId,
      reply_count: 0,
      attachments,
      reactions: [],
      client_msg_id: randomId(),
      created_at: new Date().toISOString(),
      edited_at: null,
      deleted_at: null,
      pending: "sending",
    };
    this.apply(pending);
    void this.deliver(pending);
  }

  retry(message: ShownMessage): void {
    if (!isPending(message)) return;
    const again: PendingMessage = { ...message, pending: "sending" };
    this.apply(again);
    void this.deliver(again);
  }

  /** Over the socket when connected, else REST; the client_msg_id makes a retry safe. */
  private async deliver(pending: PendingMessage): Promise<void> {
    const body = {
      content: pending.content ?? "",
      client_msg_id: pending.client_msg_id ?? randomId(),
      attachments: pending.attachments.map((f) => f.id),
      ...(pending.parent_id ? { parent_id: pending.parent_id } : {}),
    };
    try {
      let message: Message | undefined;
      if (this.app.realtime.connected) {
        message = await this.app.realtime
          .request<Message>("message.send", { conversation_id: pending.conversation_id, ...body })
          .catch((error: { code?: string }) => {
            // The server refused it: do not resend over REST. No answer: REST, same id.
            if (error.code && !["network_error", "timeout"].includes(error.code)) throw error;
            return undefined;
          });
      }
      message ??= await this.app.api.sendMessage(pending.conversation_id, body);
      this.received(message);
    } catch (error) {
      const current = this.app.store.timeline(pending.conversation_id).messages;
      const still = current.find((m) => m.client_msg_id === pending.client_msg_id);
      if (still && isPending(still)) this.apply({ ...still, pending: "failed" });
      this.app.flash(`Message not sent: ${(error as Error).message}`);
    }
  }

  /** A stored message arrived (ack, REST answer or message.new): list, counts, reads. */
  received(message: Message): void {
    const { store } = this.app;
    this.apply(message);
    const conversation = store.conversations.get(message.conversation_id);
    if (!conversation) return;
    const mine = message.sender_id === this.myId();
    if (message.seq > conversation.last_seq || !conversation.last_message) {
      const isNew = message.seq > conversation.last_seq;
      conversation.last_seq = Math.max(conversation.last_seq, message.seq);
      conversation.last_message = message;
      if (isNew && !mine && store.openId !== message.conversation_id) conversation.unread_count++;
    }
    if (mine) {
      const member = conversation.members.find((m) => m.user_id === message.sender_id);
      if (member) member.last_read_seq = Math.max(member.last_read_seq, message.seq);
    }
    if (message.parent_id) this.app.safely(this.refreshMessage(message.parent_id));
    this.app.sidebar.render();
    if (store.openId === message.conversation_id && !mine) this.markRead(message.conversation_id);
  }

  private async refreshMessage(id: string): Promise<void> {
    if (!this.app.store.findMessage(id)) return;
    this.apply(await this.app.api.message(id));
  }

  /** Moves the read pointer to the newest message while the conversation is in view. */
  markRead(conversationId: string): void {
    const { store } = this.app;
    const conversation = store.conversations.get(conversationId);
    const newest = store.newestStored(conversationId);
    const me = conversation?.members.find((m) => m.user_id === this.myId());
    if (!conversation || !newest || !me || document.visibilityState !== "visible") return;
    if (me.last_read_seq >= newest.seq && conversation.unread_count === 0) return;
    if (this.reading.has(conversationId)) return;
    this.reading.add(conversationId);
    const done = () => this.reading.delete(conversationId);
    const viaSocket = this.app.realtime.connected
      ? this.app.realtime.request("message.read", { message_id: newest.id })
      : Promise.reject(new Error("offline"));
    viaSocket
      .catch(() => this.app.api.markRead(newest.id))
      .then(() => {
        me.last_read_seq = Math.max(me.last_read_seq, newest.seq);
        conversation.unread_count = 0;
        this.app.sidebar.render();
      })
      .catch(() => undefined)
      .finally(done);
  }

  async edit(message: ShownMessage, content: string): Promise<void> {
    this.apply(await this.app.api.editMessage(message.id, content));
  }

  remove(message: ShownMessage): void {
    if (!confirm("Delete this message for everyone?")) return;
    this.app.api
      .deleteMessage(message.id)
      .then(() => this.tombstone(message.id, new Date().toISOString()))
      .catch((error: Error) => this.app.flash(error.message));
  }

  tombstone(id: string, deletedAt: string): void {
    const message = this.app.store.findMessage(id);
    if (!message || message.deleted_at) return;
    this.apply({
      ...message,
      content: null,
      attachments: [],
      reactions: [],
      deleted_at: deletedAt,
    });
  }

  toggleReaction(message: ShownMessage, emoji: string): void {
    const mine = message.reactions.find((r) => r.emoji === emoji)?.user_ids.includes(this.myId());
    const request = mine
      ? this.app.api.unreact(message.id, emoji)
      : this.app.api.react(message.id, emoji);
    request
      .then(() => this.reacted(message.id, this.myId(), emoji, !mine))
      .catch((error: Error) => this.app.flash(error.message));
  }

  /** Applies a reaction change; idempotent, so our own echo from the socket is harmless. */
  reacted(messageId: string, userId: string, emoji: string, added: boolean): void {
    const message = this.app.store.findMessage(messageId);
    if (!message) return;
    const reactions: Reaction[] = message.reactions.map((r) => ({
      ...r,
      user_ids: [...r.user_ids],
    }));
    let reaction = reactions.find((r) => r.emoji === emoji);
    if (added && !reaction) reactions.push((reaction = { emoji, count: 0, user_ids: [] }));
    if (!reaction) return;
    const has = reaction.user_ids.includes(userId);
    if (added === has) return;
    reaction.user_ids = added
      ? [...reaction.user_ids, userId]
      : reaction.user_ids.filter((u) => u !== userId);
    reaction.count = reaction.user_ids.length;
    this.apply({ ...message, reactions: reactions.filter((r) => r.count > 0) });
  }

  openThread(message: ShownMessage): void {
    this.showThread(message);
    this.app.api
      .replies(message.id)
      .then((page) => {
        for (const reply of page.data) this.app.store.upsertMessage(reply);
        if (this.app.panel.threadId === message.id) this.showThread(message);
      })
      .catch((error: Error) => this.app.flash(error.message));
  }

  private showThread(parent: ShownMessage): void {
    this.app.panel.showThread(parent, (content) => this.send(content, [], parent.id));
  }

  download(file: FileObject): void {
    this.app.api
      .download(file)
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
      .catch((error: Error) => this.app.flash(error.message));
  }

  imageUrl(file: FileObject): Promise<string> {
    let url = this.imageUrls.get(file.id);
    if (!url) {
      url = this.app.api.download(file).then((blob) => URL.createObjectURL(blob));
      this.imageUrls.set(file.id, url);
    }
    return url;
  }

  async search(query: string): Promise<void> {
    if (!query) return;
    try {
      const page = await this.app.api.search(query);
      await this.app.ensureUsers(page.data.map((hit) => hit.sender_id));
      this.app.panel.showSearch(query, page.data, (hit) => this.app.safely(this.reveal(hit)));
    } catch (error) {
      this.app.flash(error instanceof ApiError ? error.message : "Search failed.");
    }
  }

  /** Opens the hit's conversation and scrolls to it, paging back through history if needed. */
  private async reveal(hit: SearchHit): Promise<void> {
    await this.app.open(hit.conversation_id);
    if (hit.parent_id) {
      const parent =
        this.app.store.findMessage(hit.parent_id) ?? (await this.app.api.message(hit.parent_id));
      return this.openThread(parent);
    }
    for (let pages = 0; pages < 20 && !this.app.timeline.reveal(hit.id); pages++) {
      const timeline = this.app.store.timeline(hit.conversation_id);
      if (!timeline.olderCursor) return;
      await this.app.loadOlder();
    }
  }
}
