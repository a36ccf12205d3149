import type { ConnectionState } from "../client/src/index";
import { socketIoTransport } from "../client/src/index";
import { RealtimeConnection } from "../client/src/realtime/realtime-connection";

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
  /** Every ready (resumed says whether the connection picked up from a cursor). */
  onReady(resumed: boolean): void;
  onUnauthorized(): void;
  onResyncRequired(): void;
}

/**
 * The realtime connection: the SDK's, over Socket.IO on the page's origin. It reconnects
 * with backoff and jitter and resumes from the last event cursor (`auth.since`), so the
 * server replays whatever was missed before live events resume.
 */
export class Realtime {
  private connection: RealtimeConnection | null = null;

  constructor(private readonly handlers: ConnectionHandlers) {}

  connect(token: string): void {
    this.disconnect();
    const announce = (state: ConnectionState) => {
      if (state === "disconnected") this.handlers.onState("down", "Connection lost. Reconnecting…");
    };
    this.connection = new RealtimeConnection(
      {
        url: "",
        token,
        transport: socketIoTransport(),
        backoff: { initialDelayMs: 250, maxDelayMs: 4000 },
        tokenStillValid: async () => {
          const response = await fetch("/api/v1/users/me", {
            headers: { authorization: `Bearer ${token}` },
          });
          return response.status !== 401;
        },
      },
      {
        ready: ({ resumed }) => {
          this.handlers.onState("up", "Connected");
          this.handlers.onReady(resumed);
        },
        frame: (frame) => this.handlers.onFrame(frame as unknown as Frame),
        resyncRequired: () => this.handlers.onResyncRequired(),
        unauthorized: () => this.handlers.onUnauthorized(),
        state: announce,
      },
    );
    this.connection.start();
  }

  get connected(): boolean {
    return this.connection?.connected ?? false;
  }

  /** Emits with an ack; rejects with the contract error (MessagingError) or on timeout. */
  request<T>(type: string, payload: object, timeoutMs = 8000): Promise<T> {
    if (!this.connection) return Promise.reject(new Error("not connected"));
    return this.connection.request(type, { ...payload }, timeoutMs) as Promise<T>;
  }

  /** Fire and forget (typing, presence). */
  send(type: string, payload: object): void {
    this.connection?.emit(type, { ...payload });
  }

  disconnect(): void {
    this.connection?.stop();
    this.connection = null;
  }
}
