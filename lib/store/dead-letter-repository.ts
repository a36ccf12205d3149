import type { Knex } from "knex";
import type { DeadLetterRow } from "./webhook-repository";

const toDeadLetter = (row: DeadLetterRow): DeadLetterRow => ({
  ...row,
  position: Number(row.position),
});

/** Dead letters of webhook subscriptions: listed and replayed by admins. */
export class DeadLetterRepository {
  constructor(private readonly knex: Knex) {}

  /** Oldest first after `afterId`; `pending` only those not replayed yet. */
  async page(
    subscriptionId: string,
    limit: number,
    afterId?: string,
    pending = false,
  ): Promise<DeadLetterRow[]> {
    const query = this.knex("webhook_dead_letters")
      .where({ subscription_id: subscriptionId })
      .orderBy("id")
      .limit(limit);
    if (pending) query.whereNull("replayed_at");
    if (afterId) query.where("id", ">", afterId);
    return ((await query) as DeadLetterRow[]).map(toDeadLetter);
  }

  async find(subscriptionId: string, id: string): Promise<DeadLetterRow | undefined> {
    const row = (await this.knex("webhook_dead_letters")
      .where({ subscription_id: subscriptionId, id })
      .first()) as DeadLetterRow | undefined;
    return row && toDeadLetter(row);
  }

  async recordReplay(id: string, delivered: boolean, error: string | null): Promise<DeadLetterRow> {
    const [row] = (await this.knex("webhook_dead_letters")
      .where({ id })
      .update({
        replayed_at: delivered ? this.knex.fn.now() : null,
        last_error: error,
        attempts: this.knex.raw("attempts + 1"),
      })
      .returning("*")) as DeadLetterRow[];
    return toDeadLetter(row);
  }
}
