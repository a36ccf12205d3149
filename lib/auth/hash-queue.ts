import { AppError } from "../errors";

export interface HashQueueOptions {
  /**
   * Hashes computed at once. scrypt runs on libuv's thread pool (4 threads, shared with file
   * I/O and DNS), so keeping this below 4 leaves threads for everything else. @default 2
   */
  concurrency: number;
  /** Hashes waiting for a slot; past it a request is answered 503 with Retry-After. */
  maxQueued: number;
  /** Hashes one client address may have running or waiting; past it 429 with Retry-After. */
  perAddress: number;
}

interface Waiting {
  start: () => void;
}

/** Seconds one hash is assumed to take before any was measured. */
const INITIAL_HASH_SECONDS = 0.5;

/**
 * The password hashing queue: a dedicated, bounded pool in front of scrypt, so a flood of
 * logins or registrations (unknown users included: their dummy hash runs here too, keeping
 * the timing equal) can neither take every thread of libuv's pool nor grow without bound.
 * A client address gets at most `perAddress` slots, so one address cannot fill the queue
 * and delay everybody else's login.
 */
export class HashQueue {
  private running = 0;
  private readonly waiting: Waiting[] = [];
  private readonly perAddress = new Map<string, number>();
  /** Moving average of a hash's duration, for Retry-After. */
  private hashSeconds = INITIAL_HASH_SECONDS;

  constructor(private readonly options: HashQueueOptions) {}

  /**
   * Runs `hash` once a slot is free.
   * @throws AppError rate_limited (429) when `address` already holds its share of slots,
   *   unavailable (503) when the queue is full; both with `retryAfter` seconds.
   */
  async run<T>(address: string, hash: () => Promise<T>): Promise<T> {
    const held = this.perAddress.get(address) ?? 0;
    if (held >= this.options.perAddress) {
      throw new AppError(
        "rate_limited",
        "too many password checks from this address, retry later",
        {
          retryAfter: this.retryAfter(1),
        },
      );
    }
    if (this.running >= this.options.concurrency && this.waiting.length >= this.options.maxQueued) {
      throw new AppError("unavailable", "too many password checks in progress, retry later", {
        retryAfter: this.retryAfter(this.waiting.length + 1),
      });
    }
    this.perAddress.set(address, held + 1);
    try {
      await this.slot();
      const started = performance.now();
      try {
        return await hash();
      } finally {
        this.hashSeconds = 0.8 * this.hashSeconds + 0.2 * ((performance.now() - started) / 1000);
        this.release();
      }
    } finally {
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    }
  }

  /** Hashes running and waiting now (metrics, tests). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private slot(): Promise<void> {
    if (this.running < this.options.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push({
        start: () => {
          this.running += 1;
          resolve();
        },
      });
    });
  }

  private release(): void {
    this.running -= 1;
    this.waiting.shift()?.start();
  }

  /** Seconds until `ahead` more hashes have gone through the pool (at least 1). */
  private retryAfter(ahead: number): number {
    return Math.max(1, Math.ceil((ahead / this.options.concurrency) * this.hashSeconds));
  }
}
