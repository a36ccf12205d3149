import type { SequencedEvent } from "../../events/event-types";

/**
 * This node's view of the suspended users, so that checking a token costs no query. Loaded
 * from the database at start and kept current by the `user.suspended` / `user.restored`
 * events, which reach every node in log order (healed from the database when a batch is
 * lost), and at once on the node that made the change.
 */
export class SuspendedUsers {
  private readonly ids = new Set<string>();
  /** Users an event touched while the initial load ran: the event's word wins. */
  private touched: Set<string> | null = null;

  has(userId: string): boolean {
    return this.ids.has(userId);
  }

  set(userId: string, suspended: boolean): void {
    this.touched?.add(userId);
    if (suspended) this.ids.add(userId);
    else this.ids.delete(userId);
  }

  /** Start after the realtime hub follows the log, so no change falls between the two. */
  async load(read: () => Promise<string[]>): Promise<void> {
    this.touched = new Set();
    try {
      for (const id of await read()) if (!this.touched.has(id)) this.ids.add(id);
    } finally {
      this.touched = null;
    }
  }

  /** The hub's observer: follows the log's suspensions. */
  observe(event: SequencedEvent): void {
    if (event.type !== "user.suspended" && event.type !== "user.restored") return;
    const userId = (event.frame.data as { user_id?: string } | undefined)?.user_id;
    if (userId) this.set(userId, event.type === "user.suspended");
  }
}
