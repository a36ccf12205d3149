/** Readiness: every backing service registers a check; /readyz runs them all. */
export class HealthRegistry {
  private readonly checks = new Map<string, () => Promise<void>>();
  private draining = false;

  register(name: string, check: () => Promise<void>): void {
    this.checks.set(name, check);
  }

  /** Called on shutdown: readiness fails from now on so load balancers move traffic away. */
  startDraining(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }

  async report(timeoutMs = 2000): Promise<{ ready: boolean; checks: Record<string, string> }> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs);
          return [name, "ok"] as const;
        } catch (error) {
          return [name, `failing: ${(error as Error).message}`] as const;
        }
      }),
    );
    const checks: Record<string, string> = Object.fromEntries(entries);
    if (this.draining) checks.shutdown = "draining";
    return { ready: !this.draining && entries.every(([, state]) => state === "ok"), checks };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
