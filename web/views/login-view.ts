import type { RestApi, User } from "../../client/src/index";
import { byId } from "../dom";

/** The login / register form. */
export class LoginView {
  private readonly screen = byId("login-screen");
  private readonly form = byId<HTMLFormElement>("login-form");
  private readonly error = byId("login-error");

  constructor(
    private readonly rest: RestApi,
    private readonly onLoggedIn: (user: User, token: string) => void,
  ) {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
      void this.submit(submitter?.value === "register" ? "register" : "login");
    });
  }

  show(message = ""): void {
    this.screen.hidden = false;
    this.error.textContent = message;
    byId<HTMLInputElement>("login-username").focus();
  }

  hide(): void {
    this.screen.hidden = true;
    this.form.reset();
  }

  private async submit(action: "login" | "register"): Promise<void> {
    const data = new FormData(this.form);
    const field = (name: string) => {
      const value = data.get(name);
      return typeof value === "string" ? value : "";
    };
    const username = field("username").trim().toLowerCase();
    const password = field("password");
    const displayName = field("display_name").trim();
    if (!username || !password) {
      this.error.textContent = "Enter a username and a password.";
      return;
    }
    this.error.textContent = "";
    try {
      const result =
        action === "register"
          ? await this.rest.register({
              username,
              password,
              ...(displayName ? { display_name: displayName } : {}),
            })
          : await this.rest.login({ username, password });
      this.onLoggedIn(result.user, result.token);
    } catch (error) {
      this.error.textContent = (error as Error).message;
    }
  }
}
