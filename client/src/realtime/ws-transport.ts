import { ClientErrorCode, errorFromBody, networkError, timeoutError } from "../errors.js";
import type { ErrorBody, ServerFrame } from "../types.js";
import { PendingRequests, TransportFactory } from "./transport.js";

/** What the SDK needs of a WebSocket: the browser's, Node 22's, or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface WsTransportOptions {
  /**
   * The WebSocket class. @default globalThis.WebSocket (browsers, Node 22+); on Node 20
   * pass the `ws` package's: `wsTransport({ WebSocket })`.
   */
  WebSocket?: WebSocketConstructor;
  /** The endpoint's path (`server.websocket_path`). @default "/ws" */
  path?: string;
}

const OPEN = 1;
const HTTP_CODES: Record<string, ClientErrorCode> = {
  "401": "unauthorized",
  "403": "forbidden",
  "429": "rate_limited",
  "503": "unavailable",
};

function wsUrl(base: string, path: string, query: URLSearchParams): string {
  const origin = base || (globalThis as { location?: { origin: string } }).location?.origin || "";
  return `${origin.replace(/^http/, "ws")}${path}?${query}`;
}

/** Raw WebSocket (`/ws?token=…&since=…`): JSON text frames, replies matched by request_id. */
export function wsTransport(options: WsTransportOptions = {}): TransportFactory {
  return (target, events) => {
    const Ctor =
      options.WebSocket ??
      (globalThis as unknown as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) {
      throw new Error("no WebSocket here: pass one, e.g. wsTransport({ WebSocket }) from 'ws'");
    }
    const query = new URLSearchParams({ token: target.token });
    if (target.since) query.set("since", target.since);
    const socket = new Ctor(wsUrl(target.url, options.path ?? "/ws", query));
    const pending = new PendingRequests();
    let opened = false;
    let refusal: ClientErrorCode | undefined;
    let closed = false;
    socket.onopen = () => {
      opened = true;
    };
    socket.onerror = (event) => {
      // The ws package names the refused handshake's status; browsers say nothing.
      const status = /response: (\d{3})/.exec(String((event as { message?: string }).message))?.[1];
      if (status) refusal = HTTP_CODES[status];
    };
    socket.onclose = (event) => {
      if (closed) return;
      closed = true;
      pending.rejectAll(networkError(`connection closed (${event.code})`));
      events.close({ opened, code: refusal, message: event.reason || `closed ${event.code}` });
    };
    socket.onmessage = (event) => {
      let frame: ServerFrame & { request_id?: string; error?: ErrorBody; data?: unknown };
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if ((frame.type === "ack" || frame.type === "error") && pending.has(frame.request_id)) {
        const id = frame.request_id as string;
        if (frame.type === "error") pending.settle(id, undefined, errorFromBody(frame.error));
        else pending.settle(id, frame.data);
        return;
      }
      events.frame(frame);
    };
    const send = (type: string, payload: Record<string, unknown>) =>
      socket.send(JSON.stringify({ ...payload, type }));
    return {
      request(type, payload, timeoutMs) {
        if (socket.readyState !== OPEN) return Promise.reject(networkError("not connected"));
        const { id, promise } = pending.add(timeoutMs, () => timeoutError(`${type}: no reply`));
        send(type, { ...payload, request_id: id });
        return promise;
      },
      emit(type, payload) {
        if (socket.readyState === OPEN) send(type, payload);
      },
      close: () => socket.close(1000, "closed by the client"),
    };
  };
}
