/** Arrivals per second over the last full 100 ms window. */
export class ArrivalRate {
  private windowStart = 0;
  private count = 0;
  private lastRate = 0;

  note(now: number): void {
    this.roll(now);
    this.count += 1;
  }

  perSecond(now: number): number {
    this.roll(now);
    return this.lastRate;
  }

  private roll(now: number): void {
    if (now - this.windowStart < 100) return;
    // A window with nothing in it (or a longer gap) means the rate fell to zero.
    this.lastRate = now - this.windowStart < 200 ? this.count * 10 : 0;
    this.windowStart = now;
    this.count = 0;
  }
}
