/**
 * The service's own view of delivery latency: `messaging_message_latency_seconds` (commit
 * to fan-out, summed over nodes and transports) read from /metrics. Beside the generator's
 * send→receive it tells server time from client and generator time.
 */
export interface ServerLatency {
  count: number;
  /** Bucket upper bounds (ms) the quantiles fall in: coarse, but the server's own. */
  p50UpToMs: number | null;
  p99UpToMs: number | null;
}

type Buckets = Map<number, number>;

function parseBuckets(text: string, into: Buckets): void {
  const line = /^messaging_message_latency_seconds_bucket\{([^}]*)\} ([0-9.e+]+)$/gm;
  for (const match of text.matchAll(line)) {
    const le = /le="([^"]+)"/.exec(match[1])?.[1];
    if (!le) continue;
    const bound = le === "+Inf" ? Infinity : Number(le);
    into.set(bound, (into.get(bound) ?? 0) + Number(match[2]));
  }
}

function quantileBound(buckets: [number, number][], total: number, q: number): number | null {
  if (total === 0) return null;
  const hit = buckets.find(([, cumulative]) => cumulative >= q * total);
  return hit ? hit[0] * 1000 : null;
}

/** Reads every node's histogram; the difference of two reads covers what happened between. */
export async function readServerLatency(urls: string[]): Promise<Buckets | null> {
  const buckets: Buckets = new Map();
  try {
    for (const url of urls) {
      const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(3000) });
      if (!response.ok) return null;
      parseBuckets(await response.text(), buckets);
    }
  } catch {
    return null;
  }
  return buckets;
}

export function summarizeServerLatency(before: Buckets | null, after: Buckets | null) {
  if (!before || !after) return null;
  const rows = [...after]
    .map(([bound, count]): [number, number] => [bound, count - (before.get(bound) ?? 0)])
    .sort((a, b) => a[0] - b[0]);
  const total = rows.at(-1)?.[1] ?? 0;
  return {
    count: total,
    p50UpToMs: quantileBound(rows, total, 0.5),
    p99UpToMs: quantileBound(rows, total, 0.99),
  } satisfies ServerLatency;
}
