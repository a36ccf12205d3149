import { Api, ApiError, listOf } from "./api";
import { byId } from "./dom";
import { Realtime } from "./realtime";
import { Store } from "./store";
import { applyFrame } from "./frames";
import type { Conversation, User } from "./types";
import { Composer } from "./views/composer";
import { LoginView } from "./views/login-view";
import { MessageActions } from "./views/message-item";
import { NewConversationDialog } from "./views/new-conversation-dialog";
import { SidePanel } from "./views/side-panel";
import { SidebarView } from "./views/sidebar-view";
import { TimelineView } from "./views/timeline-view";
import { MessageOps } from "./message-ops";
import { AccountDialog } from "./views/account-dialog";
import { withSafetyActions } from "./safety-actions";

const TOKEN_KEY = "messaging.token";
const FLASH_KEY = "messaging.flash";

/**
 * The app: owns the store, the REST client and the socket, and keeps the views in step
 * with both. Realtime frames are applied in frames.ts, message actions in message-ops.ts.
 */
export class Controller {
  readonly store = new Store();
  readonly api = new Api();
  readonly realtime: Realtime;
  readonly ops: MessageOps;
  readonly sidebar: SidebarView;
  readonly timeline: TimelineView;
  readonly panel: SidePanel;
  readonly composer: Composer;
  private readonly login: LoginView;
  private readonly dialog: NewConversationDialog;
  private readonly banner = byId("connection-banner");
  private loadingOlder = false;
  private typingIn: string | null = null;

  constructor() {
    this.api.onUnauthorized = () => this.logout("Your session has ended. Please log in again.");
    this.realtime = new Realtime({
      onFrame: (frame) => applyFrame(this, frame),
      onState: (state, detail) => this.connectionState(state, detail),
      onReady: () => this.safely(this.refresh()),
      onUnauthorized: () => this.logout("Your session has ended. Please log in again."),
      onResyncRequired: () => this.safely(this.refresh(true)),
    });
    this.ops = new MessageOps(this);
    const actions: MessageActions = withSafetyActions(this.ops, {
      rest: this.api.rest,
      flash: (message) => this.flash(message),
      blocked: (userId) => this.hideMessagesOf(userId),
    });
    new AccountDialog({
      rest: this.api.rest,
      userName: async (id) => {
        const user = this.store.users.get(id) ?? (await this.api.user(id));
        return user.display_name || user.username;
      },
      signedOut: (message) => this.logout(message),
    });
    this.sidebar = new SidebarView(this.store, (id) => this.safely(this.open(id)));
    this.timeline = new TimelineView(this.store, actions, () => this.safely(this.loadOlder()));
    this.panel = new SidePanel(this.store, actions);
    this.composer = new Composer({
      send: (content, files) => this.ops.send(content, files, null),
      upload: (file) => this.api.upload(file),
      typing: (active) => this.typing(active),
      showError: (message) => this.flash(message),
    });
    this.login = new LoginView(this.api, (user, token) => void this.enter(user, token));
    this.dialog = new NewConversationDialog(
      this.api,
      () => this.store.me?.id ?? "",
      (conversation) => {
        this.addConversation(conversation);
        this.safely(this.open(conversation.id));
      },
    );
    this.bindChrome();
  }

  async start(): Promise<void> {
    const token = localStorage.getItem(TOKEN_KEY);
    const flash = sessionStorage.getItem(FLASH_KEY) ?? "";
    sessionStorage.removeItem(FLASH_KEY);
    if (!token) return this.login.show(flash);
    this.api.token = token;
    try {
      await this.enter(await this.api.me(), token);
    } catch (error) {
      if ((error as ApiError).status !== 401) this.login.show((error as Error).message);
    }
  }

  private async enter(user: User, token: string): Promise<void> {
    localStorage.setItem(TOKEN_KEY, token);
    this.api.token = token;
    this.store.me = user;
    this.store.users.set(user.id, user);
    this.login.hide();
    byId("chat-screen").hidden = false;
    byId("me-name").textContent = user.display_name || user.username;
    this.realtime.connect(token);
    this.safely(this.refresh());
  }

  /** Runs a background task; a failure is shown, never left as an unhandled rejection. */
  safely(task: Promise<unknown>): void {
    task.catch((error: Error) => this.flash(error.message));
  }

  logout(message = ""): void {
    this.realtime.disconnect();
    localStorage.removeItem(TOKEN_KEY);
    if (message) sessionStorage.setItem(FLASH_KEY, message);
    location.reload();
  }

  /**
   * Reloads the conversation list and catches the open conversation up (after every
   * (re)connect; `full` after a resync_required, dropping every cached timeline).
   */
  async refresh(full = false): Promise<void> {
    if (full) this.store.timelines.clear();
    const conversations: Conversation[] = [];
    let cursor: string | null = null;
    do {
      const page = await this.api.conversations(cursor);
      conversations.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    this.store.conversations.clear();
    for (const conversation of conversations)
      this.store.conversations.set(conversation.id, conversation);
    await this.loadPresence();
    await this.ensureUsers(conversations.flatMap((c) => c.members.map((m) => m.user_id)));
    this.sidebar.render();
    const openId = this.store.openId;
    if (openId && !this.store.conversations.has(openId)) this.closeConversation();
    else if (openId) await this.open(openId);
  }

  private async loadPresence(): Promise<void> {
    try {
      for (const presence of listOf(await this.api.online())) {
        this.store.presence.set(presence.user_id, presence.status);
      }
    } catch {
      // Presence is a nicety: the list still works without it.
    }
  }

  /** Fetches the users we have no name for yet, then re-renders where names show. */
  async ensureUsers(ids: string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.store.users.has(id));
    if (!missing.length) return;
    const users = await Promise.all(missing.map((id) => this.api.user(id).catch(() => null)));
    for (const user of users) if (user) this.store.users.set(user.id, user);
    this.sidebar.render();
    this.renderHeader();
    this.renderTyping();
    if (this.store.openId) this.timeline.render(this.store.openId);
  }

  addConversation(conversation: Conversation): void {
    const isNew = !this.store.conversations.has(conversation.id);
    this.store.conversations.set(conversation.id, conversation);
    void this.ensureUsers(conversation.members.map((m) => m.user_id));
    this.sidebar.render();
    // presence.changed only reaches people who already share a conversation.
    const peer = this.store.directPeer(conversation);
    if (isNew && peer) {
      this.api
        .presence(peer)
        .then((presence) => {
          this.store.presence.set(peer, presence.status);
          this.sidebar.render();
          this.renderHeader();
        })
        .catch(() => undefined);
    }
  }

  /** Opens a conversation: first page of history (or a catch-up), then marks it read. */
  async open(id: string): Promise<void> {
    const conversation = this.store.conversations.get(id);
    if (!conversation) return;
    const switching = this.store.openId !== id;
    this.store.openId = id;
    if (switching) {
      this.composer.reset();
      if (this.panel.threadId) this.panel.close();
    }
    this.renderHeader();
    this.composer.show(true);
    const timeline = this.store.timeline(id);
    if (switching) this.timeline.render(id);
    if (!timeline.loaded) {
      const page = await this.api.messages(id);
      for (const message of page.data) this.store.upsertMessage(message);
      timeline.olderCursor = page.next_cursor;
      timeline.loaded = true;
    } else {
      await this.catchUp(id);
    }
    if (this.store.openId !== id) return;
    this.timeline.render(id);
    this.sidebar.render();
    while (this.timeline.needsMore() && timeline.olderCursor) await this.loadOlder();
    this.ops.markRead(id);
    if (switching) this.composer.focus();
  }

  /** Messages after the newest one we hold (a reconnect without a replay, a reopen). */
  private async catchUp(id: string): Promise<void> {
    let after = this.store.newestStored(id)?.seq ?? 0;
    for (let pages = 0; pages < 20; pages++) {
      const page = await this.api.messagesAfter(id, after);
      for (const message of page.data) this.ops.apply(message);
      if (!page.data.length || !page.next_cursor) return;
      after = page.data[page.data.length - 1].seq;
    }
  }

  /** Infinite scroll: prepends the next older page, keeping the reading position. */
  async loadOlder(): Promise<void> {
    const id = this.store.openId;
    if (!id || this.loadingOlder) return;
    const timeline = this.store.timeline(id);
    if (!timeline.loaded || !timeline.olderCursor) return;
    this.loadingOlder = true;
    try {
      const page = await this.api.messages(id, timeline.olderCursor);
      for (const message of page.data) this.store.upsertMessage(message);
      timeline.olderCursor = page.next_cursor;
      if (this.store.openId === id) this.timeline.render(id, "top-anchor");
    } finally {
      this.loadingOlder = false;
    }
  }

  closeConversation(): void {
    this.store.openId = null;
    this.composer.show(false);
    this.panel.close();
    byId("conversation-title").textContent = "Pick a conversation";
    byId("conversation-members").textContent = "";
    byId("message-list").replaceChildren();
    this.sidebar.render();
  }

  renderHeader(): void {
    const conversation = this.store.openId ? this.store.conversations.get(this.store.openId) : null;
    if (!conversation) return;
    byId("conversation-title").textContent = this.store.conversationTitle(conversation);
    const peer = this.store.directPeer(conversation);
    byId("conversation-members").textContent = peer
      ? (this.store.presence.get(peer) ?? "offline")
      : conversation.members.map((m) => this.store.userName(m.user_id)).join(", ");
  }

  renderTyping(): void {
    const id = this.store.openId;
    const names = id
      ? this.store
          .typists(id)
          .filter((u) => u !== this.store.me?.id)
          .map((u) => this.store.userName(u))
      : [];
    byId("typing-indicator").textContent = !names.length
      ? ""
      : names.length === 1
        ? `${names[0]} is typing…`
        : `${names.join(", ")} are typing…`;
  }

  /** typing.start for the open conversation; the stop goes where the start went. */
  private typing(active: boolean): void {
    const conversationId = active ? this.store.openId : this.typingIn;
    this.typingIn = active ? conversationId : null;
    if (conversationId) {
      this.realtime.send(active ? "typing.start" : "typing.stop", {
        conversation_id: conversationId,
      });
    }
  }

  private connectionState(state: "up" | "down", detail: string): void {
    this.banner.hidden = state === "up";
    this.banner.textContent = state === "up" ? "" : detail;
  }

  /** A short message in the banner area that clears itself. */
  flash(message: string): void {
    if (!this.banner.hidden && this.realtime.connected === false) return;
    this.banner.hidden = false;
    this.banner.textContent = message;
    setTimeout(() => {
      if (this.realtime.connected) this.banner.hidden = true;
    }, 4000);
  }

  /** After a block: the person's messages fold away here at once. */
  private hideMessagesOf(userId: string): void {
    for (const timeline of this.store.timelines.values()) {
      for (const message of timeline.messages) {
        if (message.sender_id === userId) Object.assign(message, { sender_blocked: true });
      }
    }
    if (this.store.openId) this.timeline.render(this.store.openId);
  }

  private bindChrome(): void {
    byId("logout-button").addEventListener("click", () => this.logout());
    byId("new-conversation-button").addEventListener("click", () => this.dialog.open());
    byId<HTMLSelectElement>("status-select").addEventListener("change", (event) => {
      const status = (event.target as HTMLSelectElement).value;
      this.realtime.send("presence.update", { status });
    });
    byId<HTMLFormElement>("search-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.safely(this.ops.search(byId<HTMLInputElement>("search-input").value.trim()));
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && this.store.openId)
        this.ops.markRead(this.store.openId);
    });
  }
}
