import type { Knex } from "knex";
import type { EventDraft } from "../events/event-types";
import { Tx, txOf } from "../store/handles";
import type { EventLog } from "./event-log";

/** What a service gets inside a transaction: the transaction and a way to record events. */
export interface UnitOfWork {
  trx: Tx;
  /** Records an event; it is appended to the event log in this same transaction. */
  emit(draft: EventDraft): void;
}

/**
 * Runs a change and its events in one transaction (the transactional outbox), then wakes
 * the sequencer so live clients hear of it at once.
 */
export class TransactionRunner {
  constructor(
    private readonly knex: Knex,
    private readonly log: Pick<EventLog, "append">,
    private readonly onCommitted: () => void,
  ) {}

  async run<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
    const drafts: EventDraft[] = [];
    const result = await this.knex.transaction(async (trx) => {
      const tx = txOf(trx);
      const value = await work({ trx: tx, emit: (draft) => drafts.push(draft) });
      await this.log.append(tx, drafts);
      return value;
    });
    if (drafts.length > 0) this.onCommitted();
    return result;
  }
}
