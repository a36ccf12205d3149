import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request the receiver got. */
export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
  at: number;
}

/** How to answer the n-th request (0-based): a status, a JSON body, a delay. */
export type Responder = (
  request: ReceivedRequest,
  index: number,
) => { status?: number; body?: unknown; delayMs?: number } | undefined;

const WAIT_MS = 10_000;

/**
 * A real HTTP server on loopback that records every request and answers as told (200 by
 * default): the far end of webhooks, commands and the moderation hook in tests.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private waiters = new Set<() => void>();
  private responder: Responder = () => undefined;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(responder?: Responder): Promise<WebhookReceiver> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}/hook`);
    server.on("request", (req, res) => receiver.handle(req, res));
    if (responder) receiver.respond(responder);
    return receiver;
  }

  respond(responder: Responder): void {
    this.responder = responder;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
      const request = { headers: req.headers, body, json: parsed, at: Date.now() };
      const index = this.requests.length;
      this.requests.push(request);
      const answer = this.responder(request, index) ?? {};
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { "content-type": "application/json" });
        res.end(answer.body === undefined ? "{}" : JSON.stringify(answer.body));
        for (const wake of this.waiters) wake();
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  }

  /** Resolves once `predicate` holds over the requests so far (checked after each answer). */
  waitFor(predicate: (requests: ReceivedRequest[]) => boolean, what = "requests"): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.requests)) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`receiver: no ${what} in time; got ${this.requests.length} requests`));
      }, WAIT_MS);
      this.waiters.add(check);
      check();
    });
  }

  /** The bodies of requests whose JSON `type` is `type`. */
  ofType(type: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.json?.type === type);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
