import { byId, clear, el } from "../dom";
import type { FileObject } from "../../client/src/index";

/** What the composer needs from the app. */
export interface ComposerActions {
  send(content: string, attachments: FileObject[]): void;
  upload(file: File): Promise<FileObject>;
  typing(active: boolean): void;
  showError(message: string): void;
}

const TYPING_REFRESH_MS = 3000;
const TYPING_IDLE_MS = 4000;

/**
 * The main message box: Enter sends, Shift+Enter breaks the line; files upload as soon as
 * they are picked and go out with the next message; typing.start / typing.stop follow
 * the keyboard.
 */
export class Composer {
  private readonly form = byId<HTMLFormElement>("composer");
  private readonly input = byId<HTMLTextAreaElement>("message-input");
  private readonly files = byId<HTMLInputElement>("file-input");
  private readonly chips = byId<HTMLUListElement>("attachment-chips");
  private attachments: FileObject[] = [];
  private uploading: Promise<void> = Promise.resolve();
  private uploadsInFlight = 0;
  private typingSince = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly actions: ComposerActions) {
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        void this.submit();
      }
    });
    this.input.addEventListener("input", () => this.noteTyping());
    this.input.addEventListener("blur", () => this.stopTyping());
    this.files.addEventListener("change", () => {
      this.uploading = this.uploading.then(() => this.uploadPicked());
    });
  }

  show(visible: boolean): void {
    this.form.hidden = !visible;
  }

  /** Switching conversations: drop the draft's typing state and pending files. */
  reset(): void {
    this.stopTyping();
    this.input.value = "";
    this.attachments = [];
    this.renderChips();
  }

  focus(): void {
    this.input.focus();
  }

  /** Sends the draft; files still uploading go with it once they are done. */
  private async submit(): Promise<void> {
    const content = this.input.value.trim();
    if (!content && !this.attachments.length && !this.uploadsInFlight) return;
    this.stopTyping();
    this.input.value = "";
    await this.uploading;
    const files = this.attachments;
    this.attachments = [];
    this.renderChips();
    if (!content && !files.length) return;
    // Content is required by the API; a bare attachment goes out under its file name.
    this.actions.send(content || files.map((f) => f.filename).join(", "), files);
  }

  private noteTyping(): void {
    if (!this.input.value.trim()) return this.stopTyping();
    const now = Date.now();
    if (now - this.typingSince > TYPING_REFRESH_MS) {
      this.typingSince = now;
      this.actions.typing(true);
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.idleTimer);
    if (!this.typingSince) return;
    this.typingSince = 0;
    this.actions.typing(false);
  }

  private async uploadPicked(): Promise<void> {
    const picked = [...(this.files.files ?? [])];
    this.files.value = "";
    for (const file of picked) {
      this.uploadsInFlight++;
      this.renderChips(`Uploading ${file.name}…`);
      try {
        this.attachments.push(await this.actions.upload(file));
      } catch (error) {
        this.actions.showError(`${file.name}: ${(error as Error).message}`);
      } finally {
        this.uploadsInFlight--;
        this.renderChips();
      }
    }
  }

  private renderChips(progress?: string): void {
    clear(this.chips);
    for (const file of this.attachments) {
      const remove = () => {
        this.attachments = this.attachments.filter((f) => f !== file);
        this.renderChips();
      };
      this.chips.append(
        el(
          "li",
          {},
          file.filename,
          " ",
          el(
            "button",
            {
              type: "button",
              className: "link",
              "aria-label": `Remove ${file.filename}`,
              onclick: remove,
            },
            "×",
          ),
        ),
      );
    }
    if (progress) this.chips.append(el("li", { role: "status" }, progress));
  }
}
