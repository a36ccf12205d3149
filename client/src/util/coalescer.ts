/**
 * At most one run of a task per key at a time. A call while it runs asks for one more run
 * after it (so the last call always sees the newest state) and shares its promise.
 */
export class Coalescer {
  private readonly running = new Map<string, { promise: Promise<void>; again: boolean }>();

  run(key: string, task: () => Promise<void>): Promise<void> {
    const current = this.running.get(key);
    if (current) {
      current.again = true;
      return current.promise;
    }
    const state = { promise: Promise.resolve(), again: false };
    this.running.set(key, state);
    state.promise = (async () => {
      try {
        do {
          state.again = false;
          await task();
        } while (state.again);
      } finally {
        this.running.delete(key);
      }
    })();
    return state.promise;
  }
}
