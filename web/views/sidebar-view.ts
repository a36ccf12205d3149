import { byId, clear, el } from "../dom";
import type { ViewState } from "../view-state";

/** The conversation list: title, presence dot (direct), unread badge, last message. */
export class SidebarView {
  private readonly list = byId<HTMLUListElement>("conversation-list");
  private readonly empty = byId("conversation-empty");

  constructor(
    private readonly state: ViewState,
    private readonly onOpen: (id: string) => void,
  ) {}

  render(): void {
    const { state } = this;
    const focusedId = (document.activeElement as HTMLElement | null)?.dataset?.conversationId;
    clear(this.list);
    const conversations = state.store.conversations();
    this.empty.hidden = conversations.length > 0;
    for (const conversation of conversations) {
      const title = state.conversationTitle(conversation);
      const peer = state.directPeer(conversation);
      const status = peer ? state.presence(peer) : null;
      const unread = conversation.id === state.openId ? 0 : conversation.unread_count;
      const last = conversation.last_message;
      const preview = last
        ? last.deleted_at
          ? "Message deleted"
          : `${state.userName(last.sender_id)}: ${last.content ?? ""}`
        : conversation.type === "group"
          ? `Group · ${conversation.members.length} members`
          : "No messages yet";
      const mentions = conversation.id === state.openId ? 0 : conversation.mention_count;
      const muted = conversation.muted_until !== null || conversation.notification_level === "none";
      const label = [
        title,
        status && `(${status})`,
        unread && `${unread} unread`,
        mentions && `${mentions} mentions`,
        muted && "muted",
      ]
        .filter(Boolean)
        .join(", ");
      const button = el(
        "button",
        {
          type: "button",
          "aria-label": label,
          "aria-current": conversation.id === state.openId ? "true" : "false",
          "data-conversation-id": conversation.id,
          onclick: () => this.onOpen(conversation.id),
        },
        el("span", {
          className: `dot ${status ?? "group"}`,
          title: status ?? "group",
          "data-presence-user": peer,
        }),
        el("span", { className: "title" }, title),
        el(
          "span",
          { className: "badges" },
          unread
            ? el("span", { className: muted ? "badge quiet" : "badge" }, String(unread))
            : null,
          mentions ? el("span", { className: "badge mention" }, `@${mentions}`) : null,
        ),
        el("span", { className: "preview" }, preview),
      );
      this.list.append(el("li", {}, button));
      if (focusedId === conversation.id) button.focus();
    }
  }
}
