import * as hdr from "hdr-histogram-js";

/** Latencies are recorded in microseconds, up to 10 minutes, 3 significant digits. */
export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
  });
}

/** Records a latency given in (fractional) milliseconds; clamps to the trackable range. */
export function recordMs(histogram: Histogram, ms: number): void {
  const us = Math.round(ms * 1000);
  histogram.recordValue(Math.min(600_000_000, Math.max(1, us)));
}

/** A histogram as a string that survives postMessage / JSON. */
export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
  // Decoded histograms keep the encoder's range; copy into ours so add() never overflows.
  const histogram = newHistogram();
  histogram.add(decoded);
  return histogram;
}

/** Merges encoded histograms (from several workers or phases) into one. */
export function mergeEncoded(encoded: Iterable<string>): Histogram {
  const merged = newHistogram();
  for (const item of encoded) merged.add(hdr.decodeFromCompressedBase64(item, 32, false));
  return merged;
}

/** The percentiles every report shows, in milliseconds. */
export interface LatencySummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
}

const ms = (us: number) => Math.round(us) / 1000;

export function summarize(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount;
  if (count === 0)
    return { count, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  return {
    count,
    min: ms(histogram.minNonZeroValue),
    mean: ms(histogram.mean),
    p50: ms(histogram.getValueAtPercentile(50)),
    p90: ms(histogram.getValueAtPercentile(90)),
    p95: ms(histogram.getValueAtPercentile(95)),
    p99: ms(histogram.getValueAtPercentile(99)),
    p999: ms(histogram.getValueAtPercentile(99.9)),
    max: ms(histogram.maxValue),
  };
}

/** Percentile spectrum for the distribution chart: [percentile, latency ms] pairs. */
export function spectrum(histogram: Histogram): [number, number][] {
  if (histogram.totalCount === 0) return [];
  const points: [number, number][] = [];
  for (const p of [0, 10, 25, 50, 75, 90, 95, 97, 98, 99, 99.5, 99.7, 99.9, 99.95, 99.99, 100]) {
    points.push([p, ms(histogram.getValueAtPercentile(p))]);
  }
  return points;
}
