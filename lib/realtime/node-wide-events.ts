import type { SequencedEvent, StoredEventType } from "../events/event-types";

/**
 * Events every node must hear whoever is connected where: each node keeps caches of them
 * (revoked sessions, suspended users, blocks) that authorise REST and realtime requests,
 * and closes the connections they revoke. The cluster bus routes these to every node.
 */
const NODE_WIDE: ReadonlySet<StoredEventType> = new Set<StoredEventType>([
  "user.sessions_revoked",
  "user.deleted",
  "user.suspended",
  "user.restored",
  "block.added",
  "block.removed",
  "api_key.revoked",
]);

export const isNodeWide = (event: SequencedEvent): boolean => NODE_WIDE.has(event.type);
