import { isPending, type ShownMessage } from "../../client/src/index";
import { byId, el } from "../dom";
import type { ViewState } from "../view-state";
import { MessageActions, messageKey, receiptText, renderMessage } from "./message-item";

interface Shown {
  message: ShownMessage;
  node: HTMLElement;
}

/**
 * The open conversation's messages (thread replies live in the side panel), kept in step
 * with the store by `sync`: unchanged messages keep their element, so a change re-renders
 * only what changed. The reading position holds when older pages are prepended, and new
 * messages are followed while the reader is at the bottom.
 */
export class TimelineView {
  private readonly list = byId<HTMLOListElement>("message-list");
  private readonly status = el("li", { className: "history-status", "aria-hidden": "true" });
  private conversationId: string | null = null;
  private shown = new Map<string, Shown>();
  /** The reader's pointer when the conversation opened (or was marked unread): the marker follows it. */
  private markerSeq = Number.POSITIVE_INFINITY;
  private readonly marker = el(
    "li",
    { className: "unread-marker", role: "separator", "aria-label": "New messages" },
    "New messages",
  );

  constructor(
    private readonly state: ViewState,
    private readonly actions: MessageActions,
    onNearTop: () => void,
  ) {
    this.list.addEventListener("scroll", () => {
      if (this.list.scrollTop < 120) onNearTop();
    });
  }

  /** Shows another conversation (or none), from its first render at the bottom. */
  show(conversationId: string | null, readSeq = Number.POSITIVE_INFINITY): void {
    this.conversationId = conversationId;
    this.markerSeq = readSeq;
    this.shown.clear();
    this.list.replaceChildren();
    if (conversationId) this.sync();
    this.scrollToBottom();
  }

  /** Brings the list in line with the store; `full` renders every message again (names). */
  sync(full = false): void {
    const id = this.conversationId;
    if (!id) return;
    if (full) this.shown.clear();
    const restore = this.keepPosition();
    const history = this.state.store.history(id);
    this.status.textContent = !history.loaded
      ? "Loading…"
      : history.olderCursor
        ? "Scroll up for older messages"
        : "Start of the conversation";
    const next = new Map<string, Shown>();
    let sentNow = false;
    for (const message of this.state.store.messages(id)) {
      if (message.parent_id) continue;
      const key = messageKey(message);
      const held = this.shown.get(key);
      if (held && sameMessage(held.message, message)) next.set(key, held);
      else next.set(key, { message, node: renderMessage(message, this.actions) });
      sentNow ||= !held && isPending(message);
    }
    this.shown = next;
    const nodes = [...next.values()].map((s) => s.node);
    const first = [...next.values()].findIndex(
      ({ message }) =>
        !isPending(message) &&
        message.seq > this.markerSeq &&
        message.sender_id !== this.state.myId,
    );
    if (first >= 0) nodes.splice(first, 0, this.marker);
    this.place([this.status, ...nodes]);
    if (sentNow) this.scrollToBottom();
    else restore();
  }

  /** Moves the "New messages" line to after `readSeq` (a mark unread). */
  setMarker(readSeq: number): void {
    this.markerSeq = readSeq;
    this.sync();
  }

  /** Updates the "Read by" lines after a read pointer moved. */
  refreshReceipts(): void {
    for (const { message, node } of this.shown.values()) {
      const line = node.querySelector(".receipt");
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

  /** Puts exactly these elements in the list, in this order, moving only what moved. */
  private place(nodes: HTMLElement[]): void {
    let position: ChildNode | null = this.list.firstChild;
    for (const node of nodes) {
      if (node === position) position = position.nextSibling;
      else this.list.insertBefore(node, position);
    }
    while (position) {
      const stale: ChildNode = position;
      position = position.nextSibling;
      stale.remove();
    }
  }

  /**
   * Remembers what the reader sees: the bottom, or the first message in view and its
   * offset, so a prepended page or a re-rendered message does not move the text.
   */
  private keepPosition(): () => void {
    if (this.isAtBottom()) return () => this.scrollToBottom();
    const top = this.list.getBoundingClientRect().top;
    const anchor = [...this.shown.values()]
      .map((s) => s.node)
      .find((node) => node.getBoundingClientRect().bottom > top);
    if (!anchor) return () => undefined;
    const offset = anchor.getBoundingClientRect().top - top;
    return () => {
      if (!anchor.isConnected) return;
      this.list.scrollTop += anchor.getBoundingClientRect().top - top - offset;
    };
  }

  private isAtBottom(): boolean {
    return this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
  }

  private scrollToBottom(): void {
    this.list.scrollTop = this.list.scrollHeight;
  }
}

/** Stored messages are replaced, never changed in place; pending ones are rebuilt per read. */
function sameMessage(a: ShownMessage, b: ShownMessage): boolean {
  if (a === b) return true;
  if (!isPending(a) || !isPending(b)) return false;
  return a.pending === b.pending && a.content === b.content;
}
