import type { Knex } from "knex";
import type { OutboxRepository } from "../store/outbox-repository";
import type { EventDraft } from "./event-types";

/** What a service gets inside a transaction: the transaction and a way to record events. */
export interface UnitOfWork {
  trx: Knex.Transaction;
  /** Records an event; it is written to the outbox in this same transaction. */
  emit(draft: EventDraft): void;
}

/**
 * Runs a change and its events in one transaction (the transactional outbox), then wakes
 * the sequencer so live clients hear of it at once.
 */
export class TransactionRunner {
  constructor(
    private readonly knex: Knex,
    private readonly outbox: OutboxRepository,
    private readonly onCommitted: () => void,
  ) {}

  async run<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const drafts: EventDraft[] = [];
    const result = await this.knex.transaction(async (trx) => {
      const value = await work({ trx, emit: (draft) => drafts.push(draft) });
      await this.outbox.insert(trx, drafts);
      return value;
    });
    if (drafts.length > 0) this.onCommitted();
    return result;
  }
}
