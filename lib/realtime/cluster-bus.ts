import type { Server } from "socket.io";

/**
 * Node-to-node messages. Over Socket.IO's adapter: the Redis adapter reaches every other
 * node, the in-memory adapter reaches none (a single node needs nobody else).
 */
export interface ClusterBus {
  /** Sends to every other node (never back to this one). */
  publish(channel: string, payload: unknown): void;
  subscribe(channel: string, handler: (payload: unknown) => void): void;
  /** Stops watching for other nodes. */
  close(): void;
}

export interface SocketIoClusterBusOptions {
  /** False for the in-memory adapter: no other node to reach, nothing is published. */
  clustered: boolean;
  /**
   * How often to count the nodes on the adapter's channel; while this node is alone it
   * publishes nothing (encoding and sending every batch to Redis for no reader was a tenth
   * of a single node's CPU). A starting node says hello on the bus, so the others start
   * publishing before its first client connects. @default 1000
   */
  peerCheckMs?: number;
}

const HELLO_CHANNEL = "cluster.hello";

/** The cluster bus over `io.serverSideEmit` / `io.on`. */
export function socketIoClusterBus(io: Server, options: SocketIoClusterBusOptions): ClusterBus {
  let alone = !options.clustered;
  let timer: NodeJS.Timeout | undefined;
  if (options.clustered) {
    let helloAt = 0;
    io.on(
      HELLO_CHANNEL as never,
      (() => {
        helloAt = Date.now();
        alone = false;
      }) as never,
    );
    const adapter = io.of("/").adapter as unknown as { serverCount?: () => Promise<number> };
    const count = () => {
      const askedAt = Date.now();
      return adapter.serverCount?.().then(
        // A count taken before a hello may predate the node that said it.
        (nodes) => void (askedAt >= helloAt && (alone = nodes <= 1)),
        // Unknown (Redis away): publish, the adapter drops what it cannot send.
        () => void (alone = false),
      );
    };
    timer = setInterval(() => void count(), options.peerCheckMs ?? 1000);
    timer.unref();
    io.serverSideEmit(HELLO_CHANNEL);
    void count();
  }
  return {
    publish: (channel, payload) => {
      if (!alone) io.serverSideEmit(channel, payload);
    },
    subscribe: (channel, handler) => {
      io.on(channel as never, handler as never);
    },
    close: () => clearInterval(timer),
  };
}
