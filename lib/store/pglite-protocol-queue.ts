import type { PGlite } from "@electric-sql/pglite";

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
  onData: (data: Uint8Array) => void;
}

const SYNC = 0x53; // 'S': ends an extended-protocol cycle (Parse, Bind, Execute, Sync)
const QUERY = 0x51; // 'Q': a simple query is one message
const TERMINATE = 0x58; // 'X'

/**
 * A replacement for pglite-socket's query queue, which hands PGlite one protocol message at
 * a time from whichever connection is next and keeps a connection to itself only inside a
 * transaction. With a pool of connections that interleaves one connection's Parse with
 * another's Bind: "unnamed prepared statement does not exist", or worse a statement run
 * with another query's parameters. This queue keeps the connection that started a
 * protocol cycle until its Sync (and, as before, until its transaction ends).
 */
export class PGliteProtocolQueue {
  private queue: QueuedMessage[] = [];
  private processing = false;
  /** The connection mid-cycle or mid-transaction: only its messages run until it finishes. */
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void) {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ handlerId, message, resolve, reject, onData });
      void this.process();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((item) => {
      if (item.handlerId !== handlerId) return true;
      item.reject(new Error("Handler disconnected"));
      return false;
    });
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    void this.process();
  }

  private next(): QueuedMessage | undefined {
    if (this.owner === null) return this.queue.shift();
    const index = this.queue.findIndex((item) => item.handlerId === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        const current = item;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          this.owner = this.db.isInTransaction() ? current.handlerId : null;
          current.reject(error);
          continue;
        }
        const type = current.message[0];
        const cycleEnds = type === SYNC || type === QUERY || type === TERMINATE || type === 0;
        this.owner = !cycleEnds || this.db.isInTransaction() ? current.handlerId : null;
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }
}
