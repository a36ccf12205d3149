import type { PGlite } from "@electric-sql/pglite";
import type { PGLiteSocketServer } from "@electric-sql/pglite-socket";

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

/** pglite-socket's (private) query queue, as far as it is replaced here. */
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

/**
 * Frontend message types that end a protocol exchange, after which another connection
 * may take its turn: startup (first byte 0), Query, Sync, Terminate, password, CopyDone,
 * CopyFail.
 */
const SEQUENCE_END = new Set([0x00, 0x51, 0x53, 0x58, 0x70, 0x63, 0x66]);

/**
 * pglite-socket serves every connection from one PGlite session and queues their
 * protocol messages one by one; it keeps a connection's messages together only inside an
 * explicit transaction. node-pg sends each parameterised query as Parse/Bind/Describe/
 * Execute/Sync, so two connections' sequences interleaved ("portal does not exist",
 * results handed to the wrong query). This replaces the queue's scheduler so that a
 * connection keeps the session from its first message until Sync (or the end of its
 * transaction); a failed message no longer stalls the queue for good.
 */
export function keepProtocolSequencesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue: QueryQueue }).queryQueue;
  let sequenceOpen = false;

  queue.processQueue = async function processQueue(): Promise<void> {
    if (queue.processing || queue.queue.length === 0) return;
    queue.processing = true;
    try {
      while (queue.queue.length > 0) {
        const pinned = (sequenceOpen || queue.db.isInTransaction()) && queue.lastHandlerId !== null;
        const index = pinned
          ? queue.queue.findIndex((item) => item.handlerId === queue.lastHandlerId)
          : 0;
        if (index === -1) break; // resumes when the pinned connection sends its next message
        const [item] = queue.queue.splice(index, 1);
        let bytes = 0;
        try {
          await queue.db.runExclusive(() =>
            queue.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          sequenceOpen = false;
          item.reject(error);
          continue;
        }
        queue.lastHandlerId = item.handlerId;
        sequenceOpen = !SEQUENCE_END.has(item.message[0]);
        item.resolve(bytes);
      }
    } finally {
      queue.processing = false;
    }
  };

  const clearTransaction = queue.clearTransactionIfNeeded.bind(queue);
  queue.clearTransactionIfNeeded = async (handlerId: number): Promise<void> => {
    // A connection that went away mid-sequence must not hold the session.
    if (queue.lastHandlerId === handlerId) sequenceOpen = false;
    await clearTransaction(handlerId);
    await queue.processQueue();
  };
}
