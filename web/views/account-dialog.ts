import type { RestApi } from "../../client/src/index";
import { byId, clear, el } from "../dom";

export interface AccountDialogDeps {
  rest: RestApi;
  userName(id: string): Promise<string>;
  /** The session ended here (signed out everywhere, account deleted): back to the login. */
  signedOut(message: string): void;
}

/**
 * "Account": sign out everywhere, export one's data (a link once it is ready), the people
 * one blocked (unblock), and delete the account (with the password).
 */
export class AccountDialog {
  private readonly dialog = byId<HTMLDialogElement>("account-dialog");
  private readonly error = byId("account-error");
  private readonly exportStatus = byId("export-status");
  private readonly exportLink = byId<HTMLAnchorElement>("export-link");
  private readonly blocked = byId<HTMLUListElement>("blocked-list");
  private exportTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: AccountDialogDeps) {
    byId("account-button").addEventListener("click", () => void this.open());
    byId("account-close").addEventListener("click", () => this.close());
    byId("sign-out-everywhere").addEventListener("click", () => void this.signOutEverywhere());
    byId("export-button").addEventListener("click", () => void this.requestExport());
    byId("delete-account-button").addEventListener("click", () => void this.deleteAccount());
    byId<HTMLFormElement>("account-form").addEventListener("submit", (e) => e.preventDefault());
  }

  async open(): Promise<void> {
    this.error.textContent = "";
    this.dialog.showModal();
    await this.showBlocked().catch((error: Error) => (this.error.textContent = error.message));
  }

  private close(): void {
    clearTimeout(this.exportTimer);
    this.dialog.close();
  }

  private async signOutEverywhere(): Promise<void> {
    try {
      await this.deps.rest.logoutEverywhere();
      this.deps.signedOut("You signed out everywhere.");
    } catch (error) {
      this.error.textContent = (error as Error).message;
    }
  }

  private async requestExport(): Promise<void> {
    this.exportLink.hidden = true;
    this.exportStatus.textContent = "Preparing your archive…";
    try {
      const requested = await this.deps.rest.requestExport();
      await this.followExport(requested.id);
    } catch (error) {
      this.exportStatus.textContent = (error as Error).message;
    }
  }

  private async followExport(id: string): Promise<void> {
    const current = await this.deps.rest.export(id);
    if (current.status === "pending") {
      this.exportTimer = setTimeout(() => void this.followExport(id).catch(() => undefined), 1000);
      return;
    }
    if (current.status !== "ready" || !current.download_url) {
      this.exportStatus.textContent = `The export ${current.status === "failed" ? "failed" : "expired"}.`;
      return;
    }
    const until = current.expires_at ? new Date(current.expires_at).toLocaleString() : "";
    this.exportStatus.textContent = `Ready (the link works until ${until}).`;
    this.exportLink.href = current.download_url;
    this.exportLink.hidden = false;
  }

  private async showBlocked(): Promise<void> {
    const page = await this.deps.rest.blocks({ limit: 100 });
    clear(this.blocked);
    byId("blocked-empty").hidden = page.data.length > 0;
    for (const block of page.data) {
      const name = await this.deps.userName(block.blocked_user_id);
      const unblock = el(
        "button",
        {
          type: "button",
          className: "link",
          "aria-label": `Unblock ${name}`,
          onclick: () => void this.unblock(block.blocked_user_id),
        },
        "Unblock",
      );
      this.blocked.append(el("li", {}, `${name} (${block.kind}) `, unblock));
    }
  }

  private async unblock(userId: string): Promise<void> {
    await this.deps.rest.unblock(userId);
    await this.showBlocked();
  }

  private async deleteAccount(): Promise<void> {
    const password = byId<HTMLInputElement>("delete-password").value;
    if (!confirm("Delete your account for good?")) return;
    try {
      await this.deps.rest.deleteAccount(password || undefined);
      this.deps.signedOut("Your account was deleted.");
    } catch (error) {
      this.error.textContent = (error as Error).message;
    }
  }
}
