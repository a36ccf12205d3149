import { byId, clear, el } from "../dom";
import { isPending, ShownMessage, Store } from "../store";
import { MessageActions, messageKey, receiptText, renderMessage } from "./message-item";

/**
 * The open conversation's messages (thread replies live in the side panel). Keeps the
 * reading position when older pages are prepended, and follows new messages when the
 * reader is at the bottom.
 */
export class TimelineView {
  private readonly list = byId<HTMLOListElement>("message-list");
  private conversationId: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly actions: MessageActions,
    onNearTop: () => void,
  ) {
    this.list.addEventListener("scroll", () => {
      if (this.list.scrollTop < 120) onNearTop();
    });
  }

  /** Full render: opening a conversation or after a reload. */
  render(conversationId: string, keepPosition: "bottom" | "top-anchor" = "bottom"): void {
    const previousHeight = this.list.scrollHeight;
    const previousTop = this.list.scrollTop;
    this.conversationId = conversationId;
    const timeline = this.store.timeline(conversationId);
    clear(this.list);
    const status = !timeline.loaded
      ? "Loading…"
      : timeline.olderCursor
        ? "Scroll up for older messages"
        : "Start of the conversation";
    this.list.append(el("li", { className: "history-status", "aria-hidden": "true" }, status));
    for (const message of timeline.messages) {
      if (!message.parent_id) this.list.append(renderMessage(message, this.actions));
    }
    if (keepPosition === "bottom") this.scrollToBottom();
    else this.list.scrollTop = this.list.scrollHeight - previousHeight + previousTop;
  }

  /** Inserts or replaces one message in place (keyed by client_msg_id or id). */
  upsert(message: ShownMessage, previous?: ShownMessage): void {
    if (message.conversation_id !== this.conversationId || message.parent_id) return;
    const atBottom = this.isAtBottom();
    const key = previous ? messageKey(previous) : messageKey(message);
    const node = renderMessage(message, this.actions);
    const existing = this.find(key) ?? this.find(messageKey(message));
    if (existing) existing.remove();
    const list = this.store.timeline(message.conversation_id).messages;
    const index = list.indexOf(message);
    let before: Element | null = null;
    for (let i = index + 1; i < list.length && !before; i++)
      before = this.find(messageKey(list[i]));
    this.list.insertBefore(node, before);
    const mine = message.sender_id === this.actions.myId();
    if (!existing && (atBottom || (mine && isPending(message)))) this.scrollToBottom();
  }

  /** Re-renders one message if shown (reactions, reply counts, names). */
  refresh(message: ShownMessage): void {
    const existing = this.find(messageKey(message));
    if (existing) existing.replaceWith(renderMessage(message, this.actions));
  }

  /** Updates the "Read by" lines after a read pointer moved. */
  refreshReceipts(): void {
    if (!this.conversationId) return;
    for (const message of this.store.timeline(this.conversationId).messages) {
      const line = this.find(messageKey(message))?.querySelector(".receipt");
      if (line) line.textContent = receiptText(message, this.actions);
    }
  }

  /** Scrolls to a message and highlights it briefly; false when it is not loaded. */
  reveal(messageId: string): boolean {
    const node = this.list.querySelector<HTMLElement>(`[data-id="${CSS.escape(messageId)}"]`);
    if (!node) return false;
    node.scrollIntoView({ block: "center" });
    node.classList.add("flash");
    setTimeout(() => node.classList.remove("flash"), 2000);
    return true;
  }

  /** True when older messages should be fetched to fill the view. */
  needsMore(): boolean {
    return this.list.scrollHeight <= this.list.clientHeight + 120;
  }

  private find(key: string): HTMLElement | null {
    return this.list.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
  }

  private isAtBottom(): boolean {
    return this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
  }

  private scrollToBottom(): void {
    this.list.scrollTop = this.list.scrollHeight;
  }
}
