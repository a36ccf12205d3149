import type { SequencedEvent } from "../events/event-types";
import type { RoutedBatch } from "./ordered-event-stream";

/** A frame that is not stored (typing, presence): no cursor, no replay. */
export type EphemeralFrame = { type: "typing.indicator" | "presence.changed" } & Record<
  string,
  unknown
>;

/** A typing or presence frame for some users, wherever their connections are. */
export interface EphemeralMessage {
  userIds: string[];
  frame: EphemeralFrame;
}

export interface ClusterBusHandlers {
  /** Stored events routed to this node, in the order the bus routed them. */
  batch(batch: RoutedBatch): void;
  ephemeral(message: EphemeralMessage): void;
  /** The newest position this node has accounted for (where routing takes over). */
  position(): number;
  /** Users connected here (listed again when Redis comes back without its data). */
  localUsers(): Iterable<string>;
}

/**
 * How nodes hear each other. A node hears a stored event or an ephemeral frame only when
 * one of its connected users is in its audience: it joins the directory for a user when the
 * user's connection opens here and leaves it with the user's last connection.
 *
 * While `alone` the node delivers its own batches itself and publishes nothing; otherwise
 * its batches come back to it routed, in the order every node sees them.
 */
export interface ClusterBus {
  readonly alone: boolean;
  /** Routes a freshly numbered batch to the nodes of its audience (this one included). */
  publishBatch(batch: SequencedEvent[]): void;
  /** Sends to the nodes of these users other than this one. */
  publishEphemeral(message: EphemeralMessage): void;
  /**
   * Lists this node for the user. Resolves with the position from which every event of
   * the user reaches this node (undefined: from this node's own position).
   */
  join(userId: string): Promise<number | undefined>;
  /** The user's last connection here closed. */
  leave(userId: string): void;
  /** How far the log has been routed to this node (what the stream checks it reached). */
  routedThrough(): Promise<number>;
  /** Bus messages this node received (the cross-node cost a node pays). */
  readonly received: number;
  start(handlers: ClusterBusHandlers): Promise<void>;
  close(): Promise<void>;
}

/** One node, nobody else to reach (embedded default, or no Redis configured). */
export function inProcessClusterBus(log: { head(): Promise<number> }): ClusterBus {
  return {
    alone: true,
    received: 0,
    publishBatch: () => undefined,
    publishEphemeral: () => undefined,
    join: () => Promise.resolve(undefined),
    leave: () => undefined,
    routedThrough: () => log.head(),
    start: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}
