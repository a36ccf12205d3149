import { el, formatSize, formatTime } from "../dom";
import { isPending, type FileObject, type ShownMessage } from "../../client/src/index";

/** What a rendered message can ask the app to do. */
export interface MessageActions {
  myId(): string;
  userName(id: string): string;
  /** Names of the other members whose read pointer is at or past this message. */
  readers(message: ShownMessage): string[];
  toggleReaction(message: ShownMessage, emoji: string): void;
  edit(message: ShownMessage, content: string): Promise<void>;
  remove(message: ShownMessage): void;
  openThread(message: ShownMessage): void;
  /** A send the service refused: try again, or drop it from the outbox. */
  retry(message: ShownMessage): void;
  discard(message: ShownMessage): void;
  download(file: FileObject): void;
  imageUrl(file: FileObject): Promise<string>;
  /** Someone else's message: report it to the service admins (web/safety-actions.ts). */
  report?(message: ShownMessage): void;
  /** Someone else's message: block its sender. */
  block?(message: ShownMessage): void;
  /** Ticks of one's own message in a direct conversation; null elsewhere. */
  ticks?(message: ShownMessage): "sent" | "delivered" | "read" | null;
  /** Someone else's message: make it and everything after it unread. */
  markUnread?(message: ShownMessage): void;
  /** Unread replies under a thread root. */
  threadUnread?(message: ShownMessage): number;
}

const TICKS = { sent: "✓ Sent", delivered: "✓✓ Delivered", read: "✓✓ Read" } as const;

/** The content as text nodes, `@name` mentions wrapped (text only: no markup from users). */
function contentNodes(text: string): (string | HTMLElement)[] {
  const parts: (string | HTMLElement)[] = [];
  let last = 0;
  for (const match of text.matchAll(/(?<![\p{L}\p{N}_.@-])@[a-z0-9_.-]+/giu)) {
    parts.push(text.slice(last, match.index), el("span", { className: "mention" }, match[0]));
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

export const QUICK_REACTIONS = ["👍", "❤️", "😂", "🎉"];

/**
 * The key a message keeps from pending send to stored copy: its sender's client_msg_id
 * (unique per sender only), else its id.
 */
export function messageKey(message: ShownMessage): string {
  return message.client_msg_id ? `${message.sender_id}/${message.client_msg_id}` : message.id;
}

/** One message as a list item; all user text goes in as text nodes. */
export function renderMessage(
  message: ShownMessage,
  actions: MessageActions,
  options: { inThread?: boolean } = {},
): HTMLLIElement {
  const mine = message.sender_id === actions.myId();
  const pending = isPending(message) ? message.pending : null;
  const blocked = "sender_blocked" in message && message.sender_blocked === true;
  const mentioned = !pending && (message.mentions ?? []).includes(actions.myId());
  const classes = [
    "message",
    mine && "mine",
    mentioned && "mentioned",
    pending,
    message.deleted_at && "deleted",
    blocked && "blocked",
  ];
  const item = el("li", {
    className: classes.filter(Boolean).join(" "),
    "data-key": messageKey(message),
    "data-id": message.id || null,
    "data-seq": pending ? null : message.seq,
  });
  item.append(renderMeta(message, actions, pending));
  const content = el(
    "div",
    { className: "content" },
    ...(message.deleted_at ? ["This message was deleted."] : contentNodes(message.content ?? "")),
  );
  item.append(content);
  if (blocked && !message.deleted_at) return collapse(item, content, message);
  if (message.attachments.length) item.append(renderAttachments(message.attachments, actions));
  if (message.reactions.length) item.append(renderReactions(message, actions));
  if (!message.deleted_at) item.append(renderActions(message, actions, content, options));
  if (mine && !pending)
    item.append(el("p", { className: "receipt" }, receiptText(message, actions)));
  return item;
}

/** A blocked person's message: folded away, shown on request (when history kept the text). */
function collapse(item: HTMLLIElement, content: HTMLElement, message: ShownMessage) {
  content.textContent = "Message from someone you blocked.";
  if (message.content) {
    const show = el("button", { type: "button", className: "link" }, "Show");
    show.addEventListener("click", () => {
      content.textContent = message.content ?? "";
      show.remove();
    });
    item.append(show);
  }
  return item;
}

export function receiptText(message: ShownMessage, actions: MessageActions): string {
  if (message.deleted_at) return "";
  const ticks = actions.ticks?.(message);
  const readers = actions.readers(message);
  if (ticks === "read") return `${TICKS.read} by ${readers.join(", ")}`;
  if (ticks) return TICKS[ticks];
  return readers.length ? `Read by ${readers.join(", ")}` : "Sent";
}

function renderMeta(message: ShownMessage, actions: MessageActions, pending: string | null) {
  const meta = el(
    "div",
    { className: "meta" },
    el("span", { className: "sender" }, actions.userName(message.sender_id)),
    el(
      "time",
      { datetime: message.created_at, title: message.created_at },
      formatTime(message.created_at),
    ),
    message.edited_at && !message.deleted_at ? el("span", {}, "(edited)") : null,
  );
  if (pending === "sending") meta.append(el("span", {}, "Sending…"));
  if (pending === "failed") {
    const reason = isPending(message) && message.error ? ` ${message.error.message}` : "";
    const button = (label: string, onclick: () => void) =>
      el("button", { type: "button", className: "link", onclick }, label);
    meta.append(
      el("span", { className: "error" }, `Not sent.${reason}`),
      button("Retry", () => actions.retry(message)),
      button("Discard", () => actions.discard(message)),
    );
  }
  return meta;
}

function renderAttachments(files: FileObject[], actions: MessageActions) {
  const list = el("ul", { className: "attachments", "aria-label": "Attachments" });
  for (const file of files) {
    const item = el("li");
    if (file.content_type.startsWith("image/")) {
      const image = el("img", { alt: file.filename });
      void actions
        .imageUrl(file)
        .then((url) => (image.src = url))
        .catch(() => image.remove());
      item.append(image);
    }
    item.append(
      el(
        "button",
        {
          type: "button",
          className: "link",
          "aria-label": `Download ${file.filename}`,
          onclick: () => actions.download(file),
        },
        `📎 ${file.filename} (${formatSize(file.size)})`,
      ),
    );
    list.append(item);
  }
  return list;
}

function renderReactions(message: ShownMessage, actions: MessageActions) {
  const box = el("div", { className: "reactions", role: "group", "aria-label": "Reactions" });
  for (const reaction of message.reactions) {
    const mine = reaction.user_ids.includes(actions.myId());
    const who = reaction.user_ids.map((id) => actions.userName(id)).join(", ");
    box.append(
      el(
        "button",
        {
          type: "button",
          "aria-pressed": mine ? "true" : "false",
          title: who,
          "aria-label": `${reaction.emoji} ${reaction.count}, ${mine ? "remove your reaction" : "react too"}`,
          onclick: () => actions.toggleReaction(message, reaction.emoji),
        },
        `${reaction.emoji} ${reaction.count}`,
      ),
    );
  }
  return box;
}

function renderActions(
  message: ShownMessage,
  actions: MessageActions,
  content: HTMLElement,
  options: { inThread?: boolean },
) {
  const bar = el("div", { className: "actions" });
  if (isPending(message)) return bar;
  for (const emoji of QUICK_REACTIONS) {
    bar.append(
      el(
        "button",
        {
          type: "button",
          className: "secondary",
          "aria-label": `React with ${emoji}`,
          onclick: () => actions.toggleReaction(message, emoji),
        },
        emoji,
      ),
    );
  }
  if (!options.inThread && !message.parent_id) {
    const unread = actions.threadUnread?.(message) ?? 0;
    const label = message.reply_count
      ? `${message.reply_count} ${message.reply_count === 1 ? "reply" : "replies"}` +
        (unread ? ` (${unread} new)` : "")
      : "Reply in thread";
    bar.append(
      el(
        "button",
        { type: "button", className: "link", onclick: () => actions.openThread(message) },
        label,
      ),
    );
  }
  if (message.sender_id !== actions.myId()) {
    for (const [label, act] of [
      ["Mark unread", actions.markUnread],
      ["Report", actions.report],
      ["Block", actions.block],
    ] as const) {
      if (!act) continue;
      bar.append(
        el(
          "button",
          { type: "button", className: "link", onclick: () => act.call(actions, message) },
          label,
        ),
      );
    }
  }
  if (message.sender_id === actions.myId()) {
    bar.append(
      el(
        "button",
        { type: "button", className: "link", onclick: () => startEdit(message, actions, content) },
        "Edit",
      ),
      el(
        "button",
        { type: "button", className: "link", onclick: () => actions.remove(message) },
        "Delete",
      ),
    );
  }
  return bar;
}

/** Swaps the content for a textarea: Enter saves, Escape cancels. */
function startEdit(message: ShownMessage, actions: MessageActions, content: HTMLElement) {
  const input = el("textarea", { "aria-label": "Edit message", rows: 2, maxlength: 4000 });
  input.value = message.content ?? "";
  const form = el("form", { className: "edit" }, input);
  const cancel = () => form.replaceWith(content);
  const save = async () => {
    const text = input.value.trim();
    if (!text || text === message.content) return cancel();
    try {
      await actions.edit(message, text);
    } catch {
      input.setCustomValidity("Could not save the edit.");
      input.reportValidity();
    }
  };
  form.append(
    el(
      "div",
      { className: "row" },
      el("button", { type: "submit" }, "Save"),
      el("button", { type: "button", className: "secondary", onclick: cancel }, "Cancel"),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void save();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") cancel();
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      void save();
    }
  });
  content.replaceWith(form);
  input.focus();
}
