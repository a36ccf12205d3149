/**
 * The store's refusals, so services decide on what happened rather than on PostgreSQL's
 * codes (mapped here, by the repositories whose statements can hit them).
 */

/** A row would repeat a unique key (23505); `constraint` names the index. */
export class DuplicateKeyError extends Error {
  constructor(
    readonly constraint: string | undefined,
    options: { cause: unknown },
  ) {
    super(`duplicate key (${constraint ?? "unknown constraint"})`, options);
  }
}

/** A row refers to a row that does not exist (23503). */
export class MissingReferenceError extends Error {
  constructor(
    readonly constraint: string | undefined,
    options: { cause: unknown },
  ) {
    super(`missing referenced row (${constraint ?? "unknown constraint"})`, options);
  }
}

/** Two transactions waited for each other and this one was cancelled (40P01): retry it. */
export class DeadlockError extends Error {
  constructor(options: { cause: unknown }) {
    super("deadlock detected", options);
  }
}

/** The unique index of messages(sender_id, client_msg_id): a send's idempotency key. */
export const CLIENT_MSG_ID_KEY = "messages_sender_client_msg_id_key";

/** The store's error for a database error it maps, else the error itself. */
export function storeError(error: unknown): unknown {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  switch (code) {
    case "23505":
      return new DuplicateKeyError(constraint, { cause: error });
    case "23503":
      return new MissingReferenceError(constraint, { cause: error });
    case "40P01":
      return new DeadlockError({ cause: error });
    default:
      return error;
  }
}

/** Runs a statement, throwing the store's error for a database error it maps. */
export async function mappingErrors<T>(statement: PromiseLike<T>): Promise<T> {
  try {
    return await statement;
  } catch (error) {
    throw storeError(error);
  }
}
