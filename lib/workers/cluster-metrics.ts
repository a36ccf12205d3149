import cluster from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import type { Metrics } from "../metrics";

const REQUEST = "messaging:metrics-request";
const REPLY = "messaging:metrics";
const WAIT_MS = 6000;

interface Reply {
  type?: string;
  id?: number;
  text?: string;
  error?: string;
}

/**
 * Primary: answers a worker's request with every worker's metrics aggregated by
 * prom-client (counters and histograms summed; gauges summed unless declared otherwise).
 */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on("message", (worker, message: Reply) => {
    if (message?.type !== REQUEST) return;
    void aggregator
      .clusterMetrics()
      .then(
        (text) => ({ text }),
        (error: Error) => ({ error: error.message }),
      )
      .then(
        (reply) => worker.isConnected() && worker.send({ type: REPLY, id: message.id, ...reply }),
      );
  });
}

/**
 * Worker: its registry joins the primary's aggregation, and its `/metrics` shows the sum
 * over all workers, so a scrape through the shared port sees the whole machine whichever
 * worker answers.
 */
export function renderClusterMetrics(metrics: Metrics): void {
  AggregatorRegistry.setRegistries([metrics.registry]);
  new AggregatorRegistry(); // installs prom-client's worker side: it answers the primary
  const waiting = new Map<number, (reply: Reply) => void>();
  let nextId = 0;
  process.on("message", (message: Reply) => {
    if (message?.type === REPLY && message.id !== undefined) waiting.get(message.id)?.(message);
  });
  metrics.renderWith(
    () =>
      new Promise((resolve, reject) => {
        const id = ++nextId;
        const timer = setTimeout(() => done({ error: "the primary did not answer" }), WAIT_MS);
        const done = (reply: Reply) => {
          clearTimeout(timer);
          waiting.delete(id);
          if (reply.text !== undefined) resolve(reply.text);
          else reject(new Error(`cluster metrics: ${reply.error}`));
        };
        waiting.set(id, done);
        process.send?.({ type: REQUEST, id });
      }),
  );
}
