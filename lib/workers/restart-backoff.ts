/**
 * How long to wait before restarting a worker that exited: doubling from `baseMs` up to
 * `maxMs` while it keeps crashing, back to `baseMs` once a worker stayed up `stableMs`. A
 * crash loop (bad database password, a bug at start) costs a restart every `maxMs`, not a
 * spinning core.
 */
export class RestartBackoff {
  private failures = 0;

  constructor(
    private readonly baseMs = 500,
    private readonly maxMs = 30_000,
    private readonly stableMs = 60_000,
  ) {}

  /** The delay before the next start, given how long the exited worker ran. */
  next(uptimeMs: number): number {
    if (uptimeMs >= this.stableMs) this.failures = 0;
    const delay = Math.min(this.maxMs, this.baseMs * 2 ** this.failures);
    this.failures += 1;
    return delay;
  }
}
