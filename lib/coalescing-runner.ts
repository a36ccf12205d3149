/**
 * Runs a background task one at a time: a trigger while a run is in flight asks for one
 * more run after it (never a queue of them), and a failed run is reported, not thrown, so
 * the next trigger or poll simply tries again. Pollers (webhooks, push) share this rule.
 */
export class CoalescingRunner {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    /** `poll` is true for a periodic look, false for a wake-up. */
    private readonly task: (poll: boolean) => Promise<void>,
    private readonly onError: (error: Error) => void,
    /** Checked before every run; true once the owner stopped. */
    private readonly stopped: () => boolean,
  ) {}

  trigger(poll = false): void {
    if (this.stopped()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.task(poll)
      .catch((error: Error) => this.onError(error))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
  }

  /** Resolves once the run in flight (if any) has finished. */
  async settled(): Promise<void> {
    await this.running;
  }
}
