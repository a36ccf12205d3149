import { adminQuery } from "./fault-cluster";

/**
 * The SQL condition (on `outbox`) of an event not yet in JetStream, for the relay schema the
 * database has: a published-through cursor (`outbox_relay_state`) or per-row marks
 * (`published_at`). Unnumbered events are not published either way.
 */
export async function unpublishedCondition(databaseUrl: string): Promise<string> {
  const [{ cursor }] = await adminQuery<{ cursor: boolean }>(
    databaseUrl,
    "SELECT to_regclass('outbox_relay_state') IS NOT NULL AS cursor",
  );
  return cursor
    ? `(position IS NULL OR position > (SELECT published_through FROM outbox_relay_state WHERE id = 1))`
    : "(published_at IS NULL)";
}
