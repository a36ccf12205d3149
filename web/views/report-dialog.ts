import type { RestApi } from "../../client/src/index";
import { byId } from "../dom";

/** "Report message": a reason and an optional note, sent to the service admins. */
export class ReportDialog {
  private readonly dialog = byId<HTMLDialogElement>("report-dialog");
  private readonly reason = byId<HTMLSelectElement>("report-reason");
  private readonly note = byId<HTMLTextAreaElement>("report-note");
  private readonly error = byId("report-error");
  private messageId: string | null = null;

  constructor(
    private readonly rest: RestApi,
    private readonly done: (message: string) => void,
  ) {
    byId<HTMLFormElement>("report-form").addEventListener("submit", (event) => {
      event.preventDefault();
      void this.submit();
    });
    byId("report-cancel").addEventListener("click", () => this.dialog.close());
  }

  open(messageId: string): void {
    this.messageId = messageId;
    this.reason.value = "spam";
    this.note.value = "";
    this.error.textContent = "";
    this.dialog.showModal();
  }

  private async submit(): Promise<void> {
    if (!this.messageId) return;
    const note = this.note.value.trim();
    try {
      await this.rest.reportMessage(this.messageId, {
        reason: this.reason.value as "spam",
        ...(note ? { note } : {}),
      });
      this.dialog.close();
      this.done("Thank you: the message was reported.");
    } catch (error) {
      this.error.textContent = (error as Error).message;
    }
  }
}
