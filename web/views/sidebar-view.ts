import { byId, clear, el } from "../dom";
import type { Store } from "../store";

/** The conversation list: title, presence dot (direct), unread badge, last message. */
export class SidebarView {
  private readonly list = byId<HTMLUListElement>("conversation-list");
  private readonly empty = byId("conversation-empty");

  constructor(
    private readonly store: Store,
    private readonly onOpen: (id: string) => void,
  ) {}

  render(): void {
    const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.conversationId;
    clear(this.list);
    const conversations = this.store.sortedConversations();
    this.empty.hidden = conversations.length > 0;
    for (const conversation of conversations) {
      const title = this.store.conversationTitle(conversation);
      const peer = this.store.directPeer(conversation);
      const status = peer ? (this.store.presence.get(peer) ?? "offline") : null;
      const unread = conversation.id === this.store.openId ? 0 : conversation.unread_count;
      const last = conversation.last_message;
      const preview = last
        ? last.deleted_at
          ? "Message deleted"
          : `${this.store.userName(last.sender_id)}: ${last.content ?? ""}`
        : conversation.type === "group"
          ? `Group · ${conversation.members.length} members`
          : "No messages yet";
      const label = [title, status && `(${status})`, unread && `${unread} unread`]
        .filter(Boolean)
        .join(", ");
      const button = el(
        "button",
        {
          type: "button",
          "aria-label": label,
          "aria-current": conversation.id === this.store.openId ? "true" : "false",
          "data-conversation-id": conversation.id,
          onclick: () => this.onOpen(conversation.id),
        },
        el("span", {
          className: `dot ${status ?? "group"}`,
          title: status ?? "group",
          "data-presence-user": peer,
        }),
        el("span", { className: "title" }, title),
        unread ? el("span", { className: "badge" }, String(unread)) : el("span"),
        el("span", { className: "preview" }, preview),
      );
      this.list.append(el("li", {}, button));
      if (focusedId === conversation.id) button.focus();
    }
  }
}
