import { io, Socket } from "socket.io-client";

/** Any server → client frame: `type` plus the contract's fields. */
export interface Frame {
  type: string;
  cursor?: string;
  data?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  [field: string]: unknown;
}

export interface ConnectionHandlers {
  onFrame(frame: Frame): void;
  /** "up" after (re)connecting and authenticating, "down" while cut off. */
  onState(state: "up" | "down", detail: string): void;
  /** First ready of this connection (resumed says whether `since` was sent). */
  onReady(resumed: boolean): void;
  onUnauthorized(): void;
  onResyncRequired(): void;
}

/** The realtime events the client listens to (the contract's server → client types). */
const EVENTS = [
  "message.new",
  "message.updated",
  "message.deleted",
  "reaction.added",
  "reaction.removed",
  "typing.indicator",
  "presence.changed",
  "message.read",
  "conversation.created",
  "conversation.updated",
  "conversation.deleted",
  "member.added",
  "member.removed",
];

/**
 * The Socket.IO connection. Keeps the cursor of the last stored event it received and
 * reconnects with `auth.since` set to it, so the server replays whatever was missed
 * before live events resume.
 */
export class Realtime {
  private socket: Socket | null = null;
  cursor: string | null = null;

  constructor(private readonly handlers: ConnectionHandlers) {}

  connect(token: string): void {
    this.disconnect();
    let resumed = false;
    const socket = io({
      // A function, so every reconnect sends the newest cursor.
      auth: (cb) => {
        resumed = this.cursor !== null;
        cb(this.cursor ? { token, since: this.cursor } : { token });
      },
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
    });
    this.socket = socket;
    socket.on("ready", (frame: Frame) => {
      if (!this.cursor && frame.data?.cursor) this.cursor = frame.data.cursor;
      this.handlers.onState("up", "Connected");
      this.handlers.onReady(resumed);
    });
    socket.on("error", (frame: Frame | undefined) => {
      const code = (frame as { error?: { code?: string } } | undefined)?.error?.code;
      if (code === "resync_required") {
        this.cursor = null;
        this.handlers.onResyncRequired();
      }
    });
    for (const type of EVENTS) {
      socket.on(type, (frame: Frame) => {
        if (frame.cursor) this.cursor = frame.cursor;
        this.handlers.onFrame({ ...frame, type });
      });
    }
    socket.on("connect_error", (error: Error & { data?: { retry_after?: number } }) => {
      if (error.message === "unauthorized") {
        this.disconnect();
        this.handlers.onUnauthorized();
        return;
      }
      this.handlers.onState("down", "Cannot reach the server. Retrying…");
      // A refusal by the server's handshake (too many connections, a node shutting down)
      // is not retried by socket.io itself: try again later, spread out.
      if (error.message === "rate_limited" || error.message === "unavailable") {
        const delay = (error.data?.retry_after ?? 1) * 1000 * (1 + Math.random());
        setTimeout(() => {
          if (this.socket === socket) socket.connect();
        }, delay);
      }
    });
    socket.on("disconnect", (reason) => {
      this.handlers.onState("down", "Connection lost. Reconnecting…");
      // A server-side disconnect is not retried by socket.io itself.
      if (reason === "io server disconnect") socket.connect();
    });
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  /** Emits with an ack; rejects with the contract error or on timeout. */
  request<T>(type: string, payload: object, timeoutMs = 8000): Promise<T> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.reject(new Error("not connected"));
    return new Promise((resolve, reject) => {
      socket
        .timeout(timeoutMs)
        .emit(
          type,
          payload,
          (err: Error | null, reply: { data?: T; error?: { code: string; message: string } }) => {
            if (err) reject(err);
            else if (reply?.error)
              reject(Object.assign(new Error(reply.error.message), reply.error));
            else resolve(reply?.data as T);
          },
        );
    });
  }

  /** Fire and forget (typing, presence). */
  send(type: string, payload: object): void {
    if (this.socket?.connected) this.socket.emit(type, payload);
  }

  disconnect(): void {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
  }
}
