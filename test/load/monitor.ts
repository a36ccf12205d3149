import type { Driver } from "./driver";
import { mergeEncoded } from "./histogram";
import { sleep } from "./random";
import type { Target } from "./target";
import type { IntervalSnapshot, Totals } from "./types";

/** One point of the timeline the HTML charts draw. */
export interface TimelinePoint {
  /** Seconds since the monitor started. */
  t: number;
  label: string;
  open: number;
  dropped: number;
  sentPerSec: number;
  ackedPerSec: number;
  deliveredPerSec: number;
  errorsPerSec: number;
  ackP99: number;
  receiveP50: number;
  receiveP99: number;
  maxLagMs: number;
  rssMb: number | null;
  heapMb: number | null;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Samples the groups and the server once a second: the timeline and the progress line. */
export class Monitor {
  readonly points: TimelinePoint[] = [];
  totals: Totals = { open: 0, dropped: 0, totalExpected: 0, totalDelivered: 0, pending: 0 };
  label = "";
  private readonly started = Date.now();
  private lastSample = Date.now();
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly tty = process.stderr.isTTY;

  constructor(
    private readonly driver: Driver,
    private readonly target: Target,
    private readonly quiet = false,
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await sleep(1000);
        if (this.running) await this.sample();
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.sample();
    if (this.tty && !this.quiet) process.stderr.write("\n");
  }

  async sample(): Promise<TimelinePoint> {
    const [snapshots, memory] = await Promise.all([
      this.driver.snapshot(),
      this.target.memory().catch(() => null),
    ]);
    const now = Date.now();
    const seconds = Math.max(0.001, (now - this.lastSample) / 1000);
    this.lastSample = now;
    const point = this.toPoint(snapshots, seconds, memory);
    this.points.push(point);
    if (!this.quiet) this.print(point);
    return point;
  }

  private toPoint(
    snapshots: IntervalSnapshot[],
    seconds: number,
    memory: { rss: number; heapUsed: number } | null,
  ): TimelinePoint {
    const sum = (key: keyof IntervalSnapshot) =>
      snapshots.reduce((total, s) => total + (s[key] as number), 0);
    const ack = mergeEncoded(snapshots.map((s) => s.ackHistogram));
    const receive = mergeEncoded(snapshots.map((s) => s.receiveHistogram));
    this.totals = {
      open: sum("open"),
      dropped: sum("dropped"),
      totalExpected: sum("totalExpected"),
      totalDelivered: sum("totalDelivered"),
      pending: sum("pending"),
    };
    return {
      t: round((Date.now() - this.started) / 1000),
      label: this.label,
      open: this.totals.open,
      dropped: this.totals.dropped,
      sentPerSec: round(sum("sent") / seconds),
      ackedPerSec: round(sum("acked") / seconds),
      deliveredPerSec: round(sum("delivered") / seconds),
      errorsPerSec: round(sum("errors") / seconds),
      ackP99: ack.totalCount ? ack.getValueAtPercentile(99) / 1000 : 0,
      receiveP50: receive.totalCount ? receive.getValueAtPercentile(50) / 1000 : 0,
      receiveP99: receive.totalCount ? receive.getValueAtPercentile(99) / 1000 : 0,
      maxLagMs: round(Math.max(0, ...snapshots.map((s) => s.maxLagMs))),
      rssMb: memory ? round(memory.rss / 1048576) : null,
      heapMb: memory ? round(memory.heapUsed / 1048576) : null,
    };
  }

  private print(p: TimelinePoint): void {
    const k = (n: number) => (n >= 10_000 ? `${round(n / 1000)}k` : String(Math.round(n)));
    const line =
      `[${p.label} ${p.t.toFixed(0)}s] conns ${p.open}` +
      (p.dropped ? ` (${p.dropped} dropped)` : "") +
      ` | sent ${k(p.sentPerSec)}/s acked ${k(p.ackedPerSec)}/s deliv ${k(p.deliveredPerSec)}/s` +
      (p.errorsPerSec ? ` err ${k(p.errorsPerSec)}/s` : "") +
      ` | ack p99 ${p.ackP99.toFixed(1)}ms recv p99 ${p.receiveP99.toFixed(1)}ms` +
      ` | pending ${this.totals.pending}` +
      (p.rssMb !== null ? ` | server rss ${p.rssMb}MB` : "");
    if (this.tty) process.stderr.write(`\r${line.padEnd(150).slice(0, 150)}`);
    else process.stderr.write(`${line}\n`);
  }

  /**
   * Waits until every acknowledged message reached all its recipients, or `timeoutMs`.
   * Reads fresh totals each time: the last sample can predate the phase's final sends.
   */
  async waitForDrain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { pending, totalDelivered, totalExpected } = await this.driver.totals();
      if (pending === 0 && totalDelivered >= totalExpected) return true;
      if (Date.now() >= deadline) return false;
      await sleep(100);
    }
  }
}
