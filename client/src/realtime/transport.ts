import type { ClientErrorCode } from "../errors.js";
import type { ServerFrame } from "../types.js";

/** Why a transport connection ended (or never opened). */
export interface CloseReason {
  /** The contract's code when the service refused the handshake (`unauthorized`, …). */
  code?: ClientErrorCode;
  /** Seconds to wait, when the service said so (rate_limited). */
  retryAfter?: number;
  /** False when the connection closed before it ever opened (a refused handshake). */
  opened: boolean;
  message: string;
}

export interface TransportEvents {
  /** Every server frame, in order (replies to requests are taken out first). */
  frame(frame: ServerFrame): void;
  /** Once, when the connection ends or fails to open. */
  close(reason: CloseReason): void;
}

/** One realtime connection of either kind; a new one is made for every reconnect. */
export interface Transport {
  /** Sends a client message and resolves with its ack's `data` (rejects with a MessagingError). */
  request(type: string, payload: Record<string, unknown>, timeoutMs: number): Promise<unknown>;
  /** Sends without waiting for a reply. */
  emit(type: string, payload: Record<string, unknown>): void;
  close(): void;
}

export interface TransportTarget {
  /** The service's base URL (`""`: the page's origin). */
  url: string;
  token: string;
  /** The cursor to resume from, if any. */
  since: string | null;
}

/** Opens one connection; `socketIoTransport()` and `wsTransport()` make these. */
export type TransportFactory = (target: TransportTarget, events: TransportEvents) => Transport;

/** Requests waiting for their reply; all rejected when the connection ends. */
export class PendingRequests {
  private readonly waiting = new Map<
    string,
    { resolve(v: unknown): void; reject(e: Error): void }
  >();
  private next = 0;

  add(timeoutMs: number, onTimeout: () => Error): { id: string; promise: Promise<unknown> } {
    const id = `r${++this.next}`;
    const promise = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(id, undefined, onTimeout()), timeoutMs);
      this.waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
    return { id, promise };
  }

  has(id: unknown): boolean {
    return typeof id === "string" && this.waiting.has(id);
  }

  settle(id: string, value: unknown, error?: Error): void {
    const waiter = this.waiting.get(id);
    if (!waiter) return;
    this.waiting.delete(id);
    if (error) waiter.reject(error);
    else waiter.resolve(value);
  }

  rejectAll(error: Error): void {
    for (const id of [...this.waiting.keys()]) this.settle(id, undefined, error);
  }
}
