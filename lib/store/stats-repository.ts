import type { Knex } from "knex";

/** Cheap counts for metrics gauges. */
export class StatsRepository {
  constructor(private readonly knex: Knex) {}

  async countConversations(): Promise<number> {
    const [row] = await this.knex("conversations").count({ n: "*" });
    return Number(row.n);
  }
}
