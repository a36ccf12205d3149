import type { Knex } from "knex";

declare const handle: unique symbol;

/**
 * A connection (the pool) or a transaction, as the domain sees it: something to hand to
 * repositories, never to query through (only the store turns it back into SQL).
 */
export interface Db {
  readonly [handle]: "db" | "tx";
}

/** An open transaction: what repositories that lock or write several rows ask for. */
export interface Tx extends Db {
  readonly [handle]: "tx";
}

/** The pool as a handle for the domain. */
export const dbOf = (knex: Knex): Db => knex as unknown as Db;

/** A transaction as a handle for the domain. */
export const txOf = (trx: Knex.Transaction): Tx => trx as unknown as Tx;

/** The SQL side of a handle (store only). */
export const sql = (db: Db | Knex): Knex => db as unknown as Knex;

/**
 * Runs work in one transaction of the handle's pool, without events (TransactionRunner
 * appends those). `snapshot`: read only, every read in one snapshot (repeatable read).
 */
export function transaction<T>(
  db: Db,
  work: (tx: Tx) => Promise<T>,
  options: { snapshot?: boolean } = {},
): Promise<T> {
  return sql(db).transaction(
    (trx) => work(txOf(trx)),
    options.snapshot ? { isolationLevel: "repeatable read", readOnly: true } : {},
  );
}
