/**
 * The service's own view of where time goes, read from its /metrics (summed over nodes):
 * `messaging_message_latency_seconds` (stored → fanned out) and the stages of a send before
 * its ack, `messaging_send_stage_seconds` (admission, queue, store). Beside the generator's
 * send→receive it tells server time from client and generator time.
 */
export interface ServerLatency {
  count: number;
  /** Bucket upper bounds (ms) the quantiles fall in: coarse, but the server's own. */
  p50UpToMs: number | null;
  p99UpToMs: number | null;
  /** Exact mean (ms), from the histogram's `_sum` and `_count`. */
  meanMs: number | null;
}

/** One histogram series: cumulative bucket counts by upper bound, and its `_sum` (seconds). */
interface Series {
  buckets: Map<number, number>;
  sum: number;
}

/** Series name → its histogram, summed over nodes. */
type Snapshot = Map<string, Series>;

const emptySeries = (): Series => ({ buckets: new Map(), sum: 0 });

const SERIES: Record<string, RegExp> = {
  fanout: /^messaging_message_latency_seconds_bucket\{([^}]*)\} ([0-9.e+]+)$/gm,
  admission: /^messaging_send_stage_seconds_bucket\{([^}]*stage="admission"[^}]*)\} ([0-9.e+]+)$/gm,
  queue: /^messaging_send_stage_seconds_bucket\{([^}]*stage="queue"[^}]*)\} ([0-9.e+]+)$/gm,
  store: /^messaging_send_stage_seconds_bucket\{([^}]*stage="store"[^}]*)\} ([0-9.e+]+)$/gm,
};

function parseInto(text: string, into: Snapshot): void {
  for (const [series, pattern] of Object.entries(SERIES)) {
    const histogram = into.get(series) ?? emptySeries();
    into.set(series, histogram);
    const { buckets } = histogram;
    const sums = new RegExp(pattern.source.replace("_bucket", "_sum"), "gm");
    for (const match of text.matchAll(sums)) histogram.sum += Number(match[2]);
    for (const match of text.matchAll(pattern)) {
      const le = /le="([^"]+)"/.exec(match[1])?.[1];
      if (!le) continue;
      const bound = le === "+Inf" ? Infinity : Number(le);
      buckets.set(bound, (buckets.get(bound) ?? 0) + Number(match[2]));
    }
  }
}

function quantileBound(buckets: [number, number][], total: number, q: number): number | null {
  if (total === 0) return null;
  const hit = buckets.find(([, cumulative]) => cumulative >= q * total);
  return hit ? hit[0] * 1000 : null;
}

/** Reads every node's histograms; the difference of two reads covers what happened between. */
export async function readServerLatency(urls: string[]): Promise<Snapshot | null> {
  const snapshot: Snapshot = new Map();
  try {
    for (const url of urls) {
      const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(3000) });
      if (!response.ok) return null;
      parseInto(await response.text(), snapshot);
    }
  } catch {
    return null;
  }
  return snapshot;
}

function summarize(before: Series, after: Series): ServerLatency {
  const sum = after.sum - before.sum;
  const rows = [...after.buckets]
    .map(([bound, count]): [number, number] => [bound, count - (before.buckets.get(bound) ?? 0)])
    .sort((a, b) => a[0] - b[0]);
  const total = rows.at(-1)?.[1] ?? 0;
  return {
    count: total,
    p50UpToMs: quantileBound(rows, total, 0.5),
    p99UpToMs: quantileBound(rows, total, 0.99),
    meanMs: total === 0 ? null : Math.round((sum / total) * 1e6) / 1e3,
  };
}

/** Per series (fanout, admission, queue, store): what happened between the two reads. */
export function summarizeServerLatency(
  before: Snapshot | null,
  after: Snapshot | null,
): Record<string, ServerLatency> | null {
  if (!before || !after) return null;
  return Object.fromEntries(
    [...after].map(([series, histogram]) => [
      series,
      summarize(before.get(series) ?? emptySeries(), histogram),
    ]),
  );
}
