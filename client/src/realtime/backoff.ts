/** Reconnect timing: exponential, capped, with jitter so that clients do not return in step. */
export interface BackoffOptions {
  /** @default 250 */
  initialDelayMs?: number;
  /** @default 10000 */
  maxDelayMs?: number;
}

/**
 * The delay before reconnect attempt `attempt` (0 = the first retry): a random point in
 * the upper half of min(max, initial × 2^attempt) ("equal jitter").
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 10_000;
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}
