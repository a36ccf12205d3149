import { byId, clear, el, formatTime, highlighted } from "../dom";
import type { ShownMessage, Store } from "../store";
import type { SearchHit } from "../types";
import { MessageActions, renderMessage } from "./message-item";

/** The right-hand panel: a thread (parent, replies, reply box) or search results. */
export class SidePanel {
  private readonly panel = byId("side-panel");
  private readonly title = byId("side-panel-title");
  private readonly body = byId("side-panel-body");
  /** The parent message id while a thread is shown. */
  threadId: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly actions: MessageActions,
  ) {
    byId("side-panel-close").addEventListener("click", () => this.close());
    this.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.close();
    });
  }

  close(): void {
    this.panel.hidden = true;
    this.threadId = null;
    clear(this.body);
  }

  /** Shows the thread under `parent`; `onReply` sends a reply. */
  showThread(parent: ShownMessage, onReply: (content: string) => void): void {
    const reopening = this.threadId === parent.id;
    this.threadId = parent.id;
    this.title.textContent = "Thread";
    this.panel.hidden = false;
    const draft = reopening ? (this.body.querySelector("textarea")?.value ?? "") : "";
    clear(this.body);
    const replies = this.store
      .timeline(parent.conversation_id)
      .messages.filter((m) => m.parent_id === parent.id);
    const list = el("ol", { className: "thread-list", "aria-label": "Replies" });
    list.append(renderMessage(parent, this.actions, { inThread: true }));
    for (const reply of replies)
      list.append(renderMessage(reply, this.actions, { inThread: true }));
    const input = el("textarea", { id: "thread-input", rows: 2, maxlength: 4000 });
    input.value = draft;
    const form = el(
      "form",
      { className: "composer" },
      el("label", { for: "thread-input" }, "Reply"),
      input,
      el("button", { type: "submit" }, "Send reply"),
    );
    const submit = () => {
      const content = input.value.trim();
      if (!content) return;
      input.value = "";
      onReply(content);
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit();
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        submit();
      }
    });
    this.body.append(list, form);
    if (!reopening) input.focus();
    else if (draft) input.focus();
  }

  /** Search hits with the matched words as <mark>; choosing one opens its message. */
  showSearch(query: string, hits: SearchHit[], onPick: (hit: SearchHit) => void): void {
    this.threadId = null;
    this.title.textContent = `Search: ${query}`;
    this.panel.hidden = false;
    clear(this.body);
    if (!hits.length) {
      this.body.append(el("p", { className: "muted", role: "status" }, "No messages match."));
      return;
    }
    const list = el("ul", { className: "search-results", "aria-label": "Search results" });
    for (const hit of hits) {
      const conversation = this.store.conversations.get(hit.conversation_id);
      const where = conversation ? this.store.conversationTitle(conversation) : "Conversation";
      list.append(
        el(
          "li",
          {},
          el(
            "button",
            { type: "button", onclick: () => onPick(hit) },
            el(
              "div",
              { className: "muted small" },
              `${where} · ${this.store.userName(hit.sender_id)} · ${formatTime(hit.created_at)}`,
            ),
            el("div", { className: "snippet" }, highlighted(hit.highlight || hit.content || "")),
          ),
        ),
      );
    }
    this.body.append(
      el("p", { className: "muted small", role: "status" }, `${hits.length} found`),
      list,
    );
  }
}
