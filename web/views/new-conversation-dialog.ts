import type { Conversation, MessagingClient, User } from "../../client/src/index";
import { byId, clear, el } from "../dom";

/**
 * "New conversation": direct (exactly one person) or group (a name and any number),
 * people found with GET /users?q=.
 */
export class NewConversationDialog {
  private readonly dialog = byId<HTMLDialogElement>("new-conversation-dialog");
  private readonly form = byId<HTMLFormElement>("new-conversation-form");
  private readonly search = byId<HTMLInputElement>("user-search");
  private readonly results = byId<HTMLUListElement>("user-results");
  private readonly nameRow = byId("group-name-row");
  private readonly name = byId<HTMLInputElement>("group-name");
  private readonly error = byId("new-conversation-error");
  private readonly picked = new Map<string, User>();
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: MessagingClient,
    private readonly onCreated: (conversation: Conversation) => void,
  ) {
    this.form.addEventListener("change", (event) => {
      if ((event.target as HTMLInputElement).name === "type") this.typeChanged();
    });
    this.search.addEventListener("input", () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => void this.findUsers(), 200);
    });
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.create();
    });
    byId("cancel-conversation").addEventListener("click", () => this.dialog.close());
  }

  open(): void {
    this.form.reset();
    this.picked.clear();
    clear(this.results);
    this.error.textContent = "";
    this.typeChanged();
    this.dialog.showModal();
    this.search.focus();
  }

  private get type(): "direct" | "group" {
    return new FormData(this.form).get("type") === "group" ? "group" : "direct";
  }

  private typeChanged(): void {
    this.nameRow.hidden = this.type !== "group";
    this.renderResults([...this.picked.values()]);
  }

  private async findUsers(): Promise<void> {
    const q = this.search.value.trim();
    if (!q) return this.renderResults([...this.picked.values()]);
    try {
      const page = await this.client.rest.searchUsers({ q, limit: 20 });
      const myId = this.client.store.userId;
      const found = page.data.filter((u) => u.id !== myId && !this.picked.has(u.id));
      this.renderResults([...this.picked.values(), ...found]);
    } catch (error) {
      this.error.textContent = (error as Error).message;
    }
  }

  private renderResults(users: User[]): void {
    clear(this.results);
    const inputType = this.type === "direct" ? "radio" : "checkbox";
    if (inputType === "radio" && this.picked.size > 1) this.picked.clear();
    for (const user of users) {
      const input = el("input", {
        type: inputType,
        name: "member",
        value: user.id,
        checked: this.picked.has(user.id),
      });
      input.addEventListener("change", () => {
        if (inputType === "radio") this.picked.clear();
        if (input.checked) this.picked.set(user.id, user);
        else this.picked.delete(user.id);
      });
      const name = user.display_name
        ? `${user.display_name} (@${user.username})`
        : `@${user.username}`;
      this.results.append(el("li", {}, el("label", {}, input, name)));
    }
    if (!users.length && this.search.value.trim()) {
      this.results.append(el("li", { className: "muted", role: "status" }, "Nobody found."));
    }
  }

  private async create(): Promise<void> {
    const member_ids = [...this.picked.keys()];
    const type = this.type;
    if (!member_ids.length) {
      this.error.textContent = "Pick at least one person.";
      return;
    }
    const name = this.name.value.trim();
    if (type === "group" && !name) {
      this.error.textContent = "A group needs a name.";
      return;
    }
    try {
      const conversation = await this.client.createConversation(
        type === "group"
          ? { type, member_ids, name }
          : { type, member_ids: member_ids.slice(0, 1) },
      );
      this.dialog.close();
      this.onCreated(conversation);
    } catch (error) {
      this.error.textContent = (error as Error).message;
    }
  }
}
