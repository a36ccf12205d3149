import http from "node:http";
import { LatencySummary, newHistogram, recordMs, summarize } from "./histogram";
import { nowMs, sleep } from "./random";

export interface RestLoadResult {
  requests: number;
  ok: number;
  errors: number;
  statuses: Record<string, number>;
  latency: LatencySummary;
  /** Average items per response (hits for search, messages for history). */
  avgItems: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** A keep-alive GET returning the status and the parsed JSON body. */
function getJson(
  url: string,
  token: string,
): Promise<{ status: number; body: { data?: unknown[] } }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      { agent, headers: { authorization: `Bearer ${token}` } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          try {
            resolve({
              status: response.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString() || "{}"),
            });
          } catch (error) {
            reject(error);
          }
        });
        response.on("error", reject);
      },
    );
    request.setTimeout(30_000, () => request.destroy(new Error("timeout")));
    request.on("error", reject);
  });
}

/**
 * Open-loop REST traffic: `rate` requests per second for `durationMs`, each timed from its
 * intended start (a slow server cannot slow the schedule down), at most 256 in flight.
 */
export async function openLoopRest(
  rate: number,
  durationMs: number,
  next: () => { url: string; token: string },
): Promise<RestLoadResult> {
  const histogram = newHistogram();
  const statuses: Record<string, number> = {};
  let ok = 0;
  let errors = 0;
  let items = 0;
  let requests = 0;
  const inFlight = new Set<Promise<void>>();
  const start = nowMs();
  const end = start + durationMs;
  for (let intended = start; intended < end; intended += 1000 / rate) {
    if (intended > nowMs()) await sleep(intended - nowMs());
    if (inFlight.size >= 256) {
      errors += 1;
      statuses.skipped = (statuses.skipped ?? 0) + 1;
      continue;
    }
    const { url, token } = next();
    requests += 1;
    const call = (async () => {
      try {
        const { status, body } = await getJson(url, token);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 200) {
          ok += 1;
          items += body.data?.length ?? 0;
        } else errors += 1;
      } catch (error) {
        errors += 1;
        const code = (error as Error).message.slice(0, 40);
        statuses[code] = (statuses[code] ?? 0) + 1;
      }
      recordMs(histogram, nowMs() - intended);
    })();
    inFlight.add(call);
    void call.finally(() => inFlight.delete(call));
  }
  await Promise.all(inFlight);
  return {
    requests,
    ok,
    errors,
    statuses,
    latency: summarize(histogram),
    avgItems: ok ? items / ok : 0,
  };
}
