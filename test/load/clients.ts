import { io, Socket } from "socket.io-client";
import WebSocket from "ws";
import type { ClientSpec } from "./types";

/** The part of a Message the generator reads. */
export interface LoadMessage {
  id: string;
  conversation_id: string;
  sender_id: string;
  seq: number;
  created_at: string;
  /** The load tool's tag: run, message number, intended time, phase (x: not timed). */
  metadata?: { load?: { r: string; i: number; t: number; p: number; x?: 1 } };
}

/** An ack: an error code (and the server's retry hint, seconds) or the stored message. */
export type AckCallback = (
  error: string | null,
  message?: LoadMessage,
  retryAfterS?: number,
) => void;

export interface ConnectionHandlers {
  /** A `message.new`, with the event's resume cursor. */
  onMessage(message: LoadMessage, cursor?: string): void;
  onClose(reason: string): void;
  /** `ready`'s cursor (where a later resume can start). */
  onReady?(cursor: string | undefined): void;
  /** `presence.changed` (only listened for when set). */
  onPresence?(userId: string, status: string): void;
  /** An `error` frame that answers no request (a resume that failed). */
  onError?(code: string): void;
}

interface ErrorReply {
  code?: string;
  retry_after?: number;
}

/** One client connection over Socket.IO or raw /ws, speaking the contract's protocol. */
export interface LoadConnection {
  send(frame: Record<string, unknown>, ack: AckCallback): void;
  /** Bare baseline servers only: join the rooms of these conversations. */
  join(conversationIds: string[]): Promise<void>;
  close(): void;
}

/** Opens a connection and resolves once the server said `ready`. */
export function openConnection(
  spec: ClientSpec,
  handlers: ConnectionHandlers,
  timeoutMs: number,
): Promise<LoadConnection> {
  return spec.transport === "io"
    ? openSocketIo(spec, handlers, timeoutMs)
    : openRawWs(spec, handlers, timeoutMs);
}

function openSocketIo(
  spec: ClientSpec,
  handlers: ConnectionHandlers,
  timeoutMs: number,
): Promise<LoadConnection> {
  return new Promise((resolve, reject) => {
    const socket: Socket = io(spec.url, {
      auth: spec.since ? { token: spec.token, since: spec.since } : { token: spec.token },
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      timeout: timeoutMs,
      // Passed through to the `ws` client by engine.io-client.
      ...({ localAddress: spec.localAddress, perMessageDeflate: false } as object),
    });
    let ready = false;
    const timer = setTimeout(() => fail("timeout"), timeoutMs);
    function fail(reason: string) {
      clearTimeout(timer);
      socket.disconnect();
      reject(new Error(reason));
    }
    socket.on("connect_error", (error) => fail(error.message || "connect_error"));
    socket.on("message.new", (payload: { data?: LoadMessage; cursor?: string }) => {
      if (payload?.data) handlers.onMessage(payload.data, payload.cursor);
    });
    if (handlers.onPresence) {
      socket.on("presence.changed", (payload: { user_id: string; status: string }) =>
        handlers.onPresence!(payload.user_id, payload.status),
      );
    }
    socket.on("error", (payload: { request_id?: unknown; error?: ErrorReply }) => {
      if (payload?.request_id === undefined) handlers.onError?.(payload?.error?.code ?? "error");
    });
    socket.on("disconnect", (reason) => {
      if (ready) handlers.onClose(reason);
    });
    socket.once("ready", (payload: { data?: { cursor?: string } }) => {
      ready = true;
      clearTimeout(timer);
      handlers.onReady?.(payload?.data?.cursor);
      resolve({
        send(frame, ack) {
          socket.emit(
            String(frame.type),
            frame,
            (reply: { data?: LoadMessage; error?: ErrorReply }) =>
              reply?.error
                ? ack(reply.error.code ?? "error", undefined, reply.error.retry_after)
                : ack(null, reply?.data),
          );
        },
        join: (conversationIds) =>
          new Promise((done) => socket.emit("join", { conversation_ids: conversationIds }, done)),
        close: () => socket.disconnect(),
      });
    });
  });
}

function openRawWs(
  spec: ClientSpec,
  handlers: ConnectionHandlers,
  timeoutMs: number,
): Promise<LoadConnection> {
  return new Promise((resolve, reject) => {
    const since = spec.since ? `&since=${encodeURIComponent(spec.since)}` : "";
    const url = `${spec.url.replace(/^http/, "ws")}/ws?token=${encodeURIComponent(spec.token)}${since}`;
    const socket = new WebSocket(url, {
      localAddress: spec.localAddress,
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
    });
    const pending = new Map<string, AckCallback>();
    let nextRequest = 0;
    let ready = false;
    const timer = setTimeout(() => fail("timeout"), timeoutMs);
    function fail(reason: string) {
      clearTimeout(timer);
      socket.terminate();
      reject(new Error(reason));
    }
    socket.on("unexpected-response", (_req, res) => fail(`http ${res.statusCode}`));
    socket.on("error", (error) => {
      if (!ready) fail(error.message);
    });
    socket.on("close", (code) => {
      for (const ack of pending.values()) ack("closed");
      pending.clear();
      if (ready) handlers.onClose(`close ${code}`);
    });
    const connection: LoadConnection = {
      send(frame, ack) {
        const requestId = String(++nextRequest);
        pending.set(requestId, ack);
        socket.send(JSON.stringify({ ...frame, request_id: requestId }));
      },
      join(conversationIds) {
        return new Promise((done) =>
          connection.send({ type: "join", conversation_ids: conversationIds }, () => done()),
        );
      },
      close: () => socket.close(),
    };
    socket.on("message", (raw) => {
      const frame = JSON.parse((raw as Buffer).toString());
      switch (frame.type) {
        case "message.new":
          return handlers.onMessage(frame.data, frame.cursor);
        case "presence.changed":
          return handlers.onPresence?.(frame.user_id, frame.status);
        case "ack":
        case "error": {
          if (frame.type === "error" && frame.request_id === undefined) {
            return handlers.onError?.(frame.error?.code ?? "error");
          }
          const ack = pending.get(frame.request_id);
          if (!ack) return;
          pending.delete(frame.request_id);
          return frame.type === "ack"
            ? ack(null, frame.data)
            : ack(frame.error?.code ?? "error", undefined, frame.error?.retry_after);
        }
        case "ready":
          ready = true;
          clearTimeout(timer);
          handlers.onReady?.(frame.data?.cursor);
          return resolve(connection);
      }
    });
  });
}
