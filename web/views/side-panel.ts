import type { SearchHit, ShownMessage } from "../../client/src/index";
import { byId, clear, el, formatTime, highlighted } from "../dom";
import type { ViewState } from "../view-state";
import { MessageActions, renderMessage } from "./message-item";

/** The right-hand panel: a thread (parent, replies, reply box) or search results. */
export class SidePanel {
  private readonly panel = byId("side-panel");
  private readonly title = byId("side-panel-title");
  private readonly body = byId("side-panel-body");
  /** The parent message while a thread is shown. */
  private parent: ShownMessage | null = null;
  private onReply: (content: string) => void = () => undefined;

  constructor(
    private readonly state: ViewState,
    private readonly actions: MessageActions,
  ) {
    byId("side-panel-close").addEventListener("click", () => this.close());
    this.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.close();
    });
  }

  /** The parent message id while a thread is shown. */
  get threadId(): string | null {
    return this.parent?.id ?? null;
  }

  close(): void {
    this.panel.hidden = true;
    this.parent = null;
    clear(this.body);
  }

  /** Shows the thread under `parent` (replies as the store holds them); `onReply` sends one. */
  showThread(parent: ShownMessage, onReply: (content: string) => void): void {
    this.onReply = onReply;
    this.render(parent);
  }

  /** Renders the open thread again from the store (a reply, an edit, a reaction). */
  syncThread(): void {
    if (!this.parent) return;
    this.render(this.state.store.findMessage(this.parent.id) ?? this.parent);
  }

  private render(parent: ShownMessage): void {
    const onReply = this.onReply;
    const reopening = this.threadId === parent.id;
    this.parent = parent;
    this.title.textContent = "Thread";
    this.panel.hidden = false;
    const previous = this.body.querySelector("textarea");
    const draft = reopening ? (previous?.value ?? "") : "";
    const typing = reopening && previous !== null && document.activeElement === previous;
    clear(this.body);
    const replies = this.state.store.replies(parent.conversation_id, parent.id);
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
    if (!reopening || typing) input.focus();
  }

  /** Search hits with the matched words as <mark>; choosing one opens its message. */
  showSearch(query: string, hits: SearchHit[], onPick: (hit: SearchHit) => void): void {
    this.parent = null;
    this.title.textContent = `Search: ${query}`;
    this.panel.hidden = false;
    clear(this.body);
    if (!hits.length) {
      this.body.append(el("p", { className: "muted", role: "status" }, "No messages match."));
      return;
    }
    const list = el("ul", { className: "search-results", "aria-label": "Search results" });
    for (const hit of hits) {
      const conversation = this.state.store.conversation(hit.conversation_id);
      const where = conversation ? this.state.conversationTitle(conversation) : "Conversation";
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
              `${where} · ${this.state.userName(hit.sender_id)} · ${formatTime(hit.created_at)}`,
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
