import {
  indexedDbStorage,
  isMessagingError,
  memoryStorage,
  MessagingClient,
  RestApi,
  type User,
} from "../client/src/index";
import { ChatScreen } from "./chat-screen";
import { LoginView } from "./views/login-view";

const TOKEN_KEY = "messaging.token";
const FLASH_KEY = "messaging.flash";
const SESSION_ENDED = "Your session has ended. Please log in again.";

/**
 * The page: the login form until someone is signed in, then the chat screen on an SDK
 * client whose outbox lives in IndexedDB (one database per user), so a message written
 * while the connection is down is still sent after a reload.
 */
export class App {
  private token: string | null = null;
  private readonly rest = new RestApi({
    url: "",
    token: () => this.token,
    onUnauthorized: () => this.logout(SESSION_ENDED),
  });
  private readonly login = new LoginView(this.rest, (user, token) => this.enter(user, token));
  private chat: ChatScreen | null = null;

  async start(): Promise<void> {
    const token = localStorage.getItem(TOKEN_KEY);
    const flash = sessionStorage.getItem(FLASH_KEY) ?? "";
    sessionStorage.removeItem(FLASH_KEY);
    if (!token) return this.login.show(flash);
    this.token = token;
    try {
      this.enter(await this.rest.me(), token);
    } catch (error) {
      // A refused token already went through logout().
      if (!isMessagingError(error, "unauthorized")) this.login.show((error as Error).message);
    }
  }

  private enter(user: User, token: string): void {
    localStorage.setItem(TOKEN_KEY, token);
    this.token = token;
    this.login.hide();
    const client = new MessagingClient({
      url: "",
      token,
      userId: user.id,
      storage:
        "indexedDB" in globalThis
          ? indexedDbStorage({ name: `messaging-outbox:${user.id}` })
          : memoryStorage(),
      backoff: { initialDelayMs: 250, maxDelayMs: 4000 },
      onUnauthorized: () => this.logout(SESSION_ENDED),
      onResyncRequired: () => this.chat?.resynced(),
    });
    this.chat = new ChatScreen(client, user, (message) => this.logout(message));
    this.chat.start();
  }

  private logout(message = ""): void {
    this.chat?.stop();
    localStorage.removeItem(TOKEN_KEY);
    if (message) sessionStorage.setItem(FLASH_KEY, message);
    location.reload();
  }
}
