import type { Server } from "socket.io";

/**
 * Node-to-node messages. Over Socket.IO's adapter: the Redis adapter reaches every other
 * node, the in-memory adapter reaches none (a single node needs nobody else).
 */
export interface ClusterBus {
  /** Sends to every other node (never back to this one). */
  publish(channel: string, payload: unknown): void;
  subscribe(channel: string, handler: (payload: unknown) => void): void;
}

/**
 * The cluster bus over `io.serverSideEmit` / `io.on`. `clustered` false (in-memory adapter:
 * no other node to reach) publishes nothing.
 */
export function socketIoClusterBus(io: Server, clustered: boolean): ClusterBus {
  return {
    publish: (channel, payload) => {
      if (clustered) io.serverSideEmit(channel, payload);
    },
    subscribe: (channel, handler) => {
      io.on(channel as never, handler as never);
    },
  };
}
