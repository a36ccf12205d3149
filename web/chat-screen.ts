import type {
  Message,
  MessagingClient,
  PresenceStatus,
  StoreChange,
  User,
} from "../client/src/index";
import { isPending } from "../client/src/index";
import { byId } from "./dom";
import { MessageOps } from "./message-ops";
import { DesktopNotifications } from "./notifications";
import { withSafetyActions } from "./safety-actions";
import { AccountDialog } from "./views/account-dialog";
import { ViewState } from "./view-state";
import { Composer } from "./views/composer";
import { NewConversationDialog } from "./views/new-conversation-dialog";
import { SidePanel } from "./views/side-panel";
import { SidebarView } from "./views/sidebar-view";
import { TimelineView } from "./views/timeline-view";

/** The parts of the screen a store change can leave out of date. */
type Part = "sidebar" | "header" | "timeline" | "names" | "receipts" | "typing" | "thread" | "read";
const EVERYTHING: Part[] = ["sidebar", "header", "names", "receipts", "typing", "thread", "read"];

/**
 * The chat screen: the views, rendered from the SDK's store. Every store change marks the
 * parts it touches; they are redrawn once per burst of changes (a page of history is one
 * redraw, not fifty). Sends, reads and loads go through the SDK client.
 */
export class ChatScreen {
  readonly state: ViewState;
  readonly ops: MessageOps;
  readonly timeline: TimelineView;
  readonly panel: SidePanel;
  private readonly sidebar: SidebarView;
  private readonly composer: Composer;
  private readonly dialog: NewConversationDialog;
  private readonly notifications: DesktopNotifications;
  private readonly banner = byId("connection-banner");
  private readonly dirty = new Set<Part>();
  private typingIn: string | null = null;
  /** A conversation marked unread: it is not read again automatically until reopened. */
  private heldUnread: string | null = null;
  /** Unread replies per thread root of the open conversation. */
  readonly threadUnread = new Map<string, number>();
  private unsubscribe: () => void = () => undefined;

  constructor(
    readonly client: MessagingClient,
    private readonly me: User,
    private readonly logout: (message?: string) => void,
  ) {
    this.state = new ViewState(client);
    this.ops = new MessageOps(this);
    const actions = withSafetyActions(this.ops, {
      rest: client.rest,
      flash: (message) => this.flash(message),
      blocked: (userId) => this.foldMessagesOf(userId),
    });
    new AccountDialog({
      rest: client.rest,
      userName: async (id) => {
        await client.loadUsers([id]);
        return this.state.userName(id);
      },
      signedOut: (message) => this.logout(message),
    });
    this.sidebar = new SidebarView(this.state, (id) => this.safely(this.open(id)));
    this.timeline = new TimelineView(this.state, actions, () => this.loadOlder());
    this.panel = new SidePanel(this.state, actions);
    this.composer = new Composer({
      send: (content, files) => this.ops.send(content, files, null),
      upload: (file) => client.rest.uploadFile(file, file.name),
      typing: (active) => this.typing(active),
      showError: (message) => this.flash(message),
    });
    this.dialog = new NewConversationDialog(client, (conversation) =>
      this.safely(this.open(conversation.id)),
    );
    this.notifications = new DesktopNotifications(client.rest, me.id, (id) =>
      this.state.userName(id),
    );
  }

  /** Shows the screen, loads the conversations over REST and connects the realtime side. */
  start(): void {
    const { client } = this;
    byId("chat-screen").hidden = false;
    byId("me-name").textContent = this.me.display_name || this.me.username;
    client.store.putUsers([this.me]);
    this.unsubscribe = client.store.subscribe((change) => this.changed(change));
    client.onStateChange((state) => {
      if (state === "disconnected") this.showBanner("Connection lost. Reconnecting…");
      if (state === "connected") this.banner.hidden = true;
    });
    this.bindChrome();
    this.notifications.start();
    // The list shows before the realtime connection is up (or while it cannot be).
    this.safely(client.loadConversations());
    client.connect().catch(() => undefined); // a refused token logs out (onUnauthorized)
  }

  stop(): void {
    this.unsubscribe();
    this.client.close();
  }

  /** After a block: the person's messages held here fold away at once, as history shows them. */
  private foldMessagesOf(userId: string): void {
    const { store } = this.client;
    for (const conversation of store.conversations()) {
      for (const message of store.messages(conversation.id)) {
        if (message.sender_id === userId && "seq" in message && message.seq > 0) {
          store.putMessage({ ...message, sender_blocked: true } as Message);
        }
      }
    }
  }

  /** After a resync_required the store dropped every message: load what is shown again. */
  resynced(): void {
    if (this.state.openId) this.safely(this.client.loadHistory(this.state.openId));
    if (this.panel.threadId) this.safely(this.client.loadThread(this.panel.threadId));
  }

  /** Runs a background task; a failure is shown, never left as an unhandled rejection. */
  safely(task: Promise<unknown>): void {
    task.catch((error: Error) => this.flash(error.message));
  }

  /** Opens a conversation: its newest page of history (or a catch-up), then marks it read. */
  async open(id: string): Promise<void> {
    if (!this.client.store.conversation(id)) return;
    const switching = this.state.openId !== id;
    this.state.openId = id;
    if (switching) {
      this.heldUnread = null;
      this.composer.reset();
      this.panel.close();
      this.timeline.show(id, this.myPointer(id));
      this.safely(this.loadThreads(id));
    }
    this.composer.show(true);
    this.mark("header", "sidebar");
    await this.client.loadHistory(id);
    this.flush();
    while (this.state.openId === id && this.timeline.needsMore()) {
      if (!(await this.client.loadOlder(id))) break;
      this.flush();
    }
    this.mark("read");
    if (switching && this.state.openId === id) this.composer.focus();
  }

  /** Mark unread: the open conversation stays unread, its marker moves to the new pointer. */
  holdUnread(conversationId: string): void {
    this.heldUnread = conversationId;
  }

  /** Opening a thread reads it; its "new" count goes. */
  async readThread(messageId: string): Promise<void> {
    const change = await this.client.rest.markThreadRead(messageId);
    if (change.thread_id) this.threadUnread.set(change.thread_id, change.thread_unread_count ?? 0);
    this.mark("names");
  }

  private async loadThreads(conversationId: string): Promise<void> {
    const threads = await this.client.rest.unreadThreads(conversationId);
    if (this.state.openId !== conversationId) return;
    this.threadUnread.clear();
    for (const thread of threads.data) this.threadUnread.set(thread.thread_id, thread.unread_count);
    this.mark("names");
  }

  private myPointer(conversationId: string): number {
    const conversation = this.client.store.conversation(conversationId);
    return conversation?.members.find((m) => m.user_id === this.state.myId)?.last_read_seq ?? 0;
  }

  /** Infinite scroll: the next older page (the timeline keeps the reading position). */
  loadOlder(): void {
    if (this.state.openId) this.safely(this.client.loadOlder(this.state.openId));
  }

  /** A short message in the banner area that clears itself. */
  flash(message: string): void {
    const connected = () => this.client.state === "connected";
    if (!this.banner.hidden && !connected()) return;
    this.showBanner(message);
    setTimeout(() => {
      if (connected()) this.banner.hidden = true;
    }, 4000);
  }

  private showBanner(text: string): void {
    this.banner.hidden = false;
    this.banner.textContent = text;
  }

  private changed(change: StoreChange): void {
    const { store } = this.client;
    const open = this.state.openId;
    switch (change.type) {
      case "conversations": {
        this.mark("sidebar");
        const conversation = change.conversationId && store.conversation(change.conversationId);
        if (conversation) void this.client.loadUsers(conversation.members.map((m) => m.user_id));
        if (open && (!change.conversationId || change.conversationId === open))
          this.mark("header", "receipts", "read");
        return;
      }
      case "message": {
        const { message } = change;
        void this.client.loadUsers([message.sender_id]);
        if (!change.previous && !isPending(message)) this.notifications.arrived(message);
        if (change.conversationId === open) this.mark("timeline", "read");
        const thread = this.panel.threadId;
        if (thread && (message.id === thread || message.parent_id === thread)) this.mark("thread");
        return;
      }
      case "messages":
        if (change.conversationId === open) this.mark("timeline", "thread", "read");
        return;
      case "typing":
        if (change.conversationId !== open) return;
        void this.client.loadUsers(store.typing(open));
        return this.mark("typing");
      case "presence":
        return this.mark("sidebar", "header");
      default: // users (names everywhere), reset (messages dropped)
        return this.mark(...EVERYTHING);
    }
  }

  private mark(...parts: Part[]): void {
    if (!this.dirty.size) queueMicrotask(() => this.flush());
    for (const part of parts) this.dirty.add(part);
  }

  /** Redraws what the changes since the last flush touched (now: before measuring the list). */
  flush(): void {
    const dirty = new Set(this.dirty);
    this.dirty.clear();
    const open = this.state.openConversation();
    if (this.state.openId && !open) return this.closeConversation();
    if (dirty.has("sidebar")) this.sidebar.render();
    if (dirty.has("header")) this.renderHeader();
    if (dirty.has("names")) this.timeline.sync(true);
    else if (dirty.has("timeline")) this.timeline.sync();
    if (dirty.has("receipts")) this.timeline.refreshReceipts();
    if (dirty.has("typing")) this.renderTyping();
    if (dirty.has("thread")) this.panel.syncThread();
    if (dirty.has("header") && open && this.heldUnread === open.id)
      this.timeline.setMarker(this.myPointer(open.id));
    const held = this.heldUnread === open?.id;
    if (dirty.has("read") && open?.unread_count && !held && document.visibilityState === "visible")
      this.client.markRead(open.id).catch(() => undefined);
  }

  private closeConversation(): void {
    this.state.openId = null;
    this.composer.show(false);
    this.panel.close();
    this.timeline.show(null);
    byId("conversation-title").textContent = "Pick a conversation";
    byId("conversation-members").textContent = "";
    byId("notification-controls").hidden = true;
    this.sidebar.render();
  }

  private renderHeader(): void {
    const conversation = this.state.openConversation();
    if (!conversation) return;
    byId("conversation-title").textContent = this.state.conversationTitle(conversation);
    const peer = this.state.directPeer(conversation);
    byId("conversation-members").textContent = peer
      ? this.state.presence(peer)
      : conversation.members.map((m) => this.state.userName(m.user_id)).join(", ");
    byId("notification-controls").hidden = false;
    byId<HTMLSelectElement>("notification-level").value = conversation.notification_level;
    const muted = conversation.muted_until !== null;
    const mute = byId<HTMLButtonElement>("mute-button");
    mute.textContent = muted ? "Unmute" : "Mute 8 h";
    mute.setAttribute("aria-pressed", muted ? "true" : "false");
  }

  /** Level and mute of the open conversation (PUT /conversations/:id/notifications). */
  private bindNotificationControls(): void {
    byId<HTMLSelectElement>("notification-level").addEventListener("change", (event) => {
      const id = this.state.openId;
      const level = (event.target as HTMLSelectElement).value as "all" | "mentions" | "none";
      if (id) this.safely(this.client.setNotifications(id, { level }));
    });
    byId("mute-button").addEventListener("click", () => {
      const open = this.state.openConversation();
      if (!open) return;
      const until = open.muted_until ? null : new Date(Date.now() + 8 * 3600_000).toISOString();
      this.safely(this.client.setNotifications(open.id, { muted_until: until }));
    });
  }

  private renderTyping(): void {
    const id = this.state.openId;
    const names = id ? this.client.store.typing(id).map((u) => this.state.userName(u)) : [];
    byId("typing-indicator").textContent = !names.length
      ? ""
      : names.length === 1
        ? `${names[0]} is typing…`
        : `${names.join(", ")} are typing…`;
  }

  /** typing.start for the open conversation; the stop goes where the start went. */
  private typing(active: boolean): void {
    const conversationId = active ? this.state.openId : this.typingIn;
    this.typingIn = active ? conversationId : null;
    if (!conversationId) return;
    if (active) this.client.startTyping(conversationId);
    else this.client.stopTyping(conversationId);
  }

  private bindChrome(): void {
    byId("logout-button").addEventListener("click", () => this.logout());
    byId("new-conversation-button").addEventListener("click", () => this.dialog.open());
    byId<HTMLSelectElement>("status-select").addEventListener("change", (event) => {
      const status = (event.target as HTMLSelectElement).value as PresenceStatus;
      this.safely(this.client.setPresence(status));
    });
    byId<HTMLFormElement>("search-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.safely(this.ops.search(byId<HTMLInputElement>("search-input").value.trim()));
    });
    document.addEventListener("visibilitychange", () => this.mark("read"));
    this.bindNotificationControls();
  }
}
