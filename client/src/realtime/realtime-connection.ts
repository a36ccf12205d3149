import { MessagingError, networkError } from "../errors.js";
import { resolveUrl, TokenSource, UrlSource } from "../rest/rest-transport.js";
import type { ServerFrame, ServerFrames } from "../types.js";
import { backoffDelay, BackoffOptions } from "./backoff.js";
import type { CloseReason, Transport, TransportFactory } from "./transport.js";

export type ConnectionState = "idle" | "connecting" | "connected" | "disconnected" | "closed";

export interface ConnectionHooks {
  /** After every `ready`: `resumed` says whether it picked up from a cursor. */
  ready(info: { userId: string; resumed: boolean }): void;
  /** Every other frame, in order (stored events after their cursor is taken). */
  frame(frame: ServerFrame): void;
  /** The cursor was too old (or not understood): what was missed must be reloaded. */
  resyncRequired(): void;
  /** The token was refused; reconnecting stops unless the token is a function. */
  unauthorized(): void;
  state(state: ConnectionState): void;
}

export interface ConnectionOptions {
  url: UrlSource;
  token: TokenSource;
  transport: TransportFactory;
  backoff?: BackoffOptions;
  /** The cursor to resume from (e.g. kept from an earlier session). @default null */
  cursor?: string | null;
  /** True while the token is still good (asked when a handshake failed without a reason). */
  tokenStillValid(): Promise<boolean>;
}

/**
 * One logical realtime connection: reconnects with backoff and jitter, resumes from the
 * last cursor it saw (`since`), and tells its owner when a resync is needed.
 */
export class RealtimeConnection {
  private transport: Transport | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readyCursor: string | null = null;
  private current: ConnectionState = "idle";
  /** The cursor of the newest stored event received (resume point). */
  cursor: string | null;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {
    this.cursor = options.cursor ?? null;
  }

  get state(): ConnectionState {
    return this.current;
  }

  get connected(): boolean {
    return this.current === "connected";
  }

  start(): void {
    if (this.current !== "idle" && this.current !== "closed") return;
    void this.open();
  }

  stop(): void {
    this.setState("closed");
    clearTimeout(this.timer);
    const transport = this.transport;
    this.transport = null;
    transport?.close();
  }

  /** Sends a client message over the open connection; rejects at once when there is none. */
  request(type: string, payload: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    if (!this.transport || !this.connected) return Promise.reject(networkError("not connected"));
    return this.transport.request(type, payload, timeoutMs);
  }

  emit(type: string, payload: Record<string, unknown>): void {
    if (this.connected) this.transport?.emit(type, payload);
  }

  private setState(state: ConnectionState): void {
    if (this.current === state) return;
    this.current = state;
    this.hooks.state(state);
  }

  private async open(): Promise<void> {
    this.setState("connecting");
    const { token } = this.options;
    const value = typeof token === "function" ? await token() : token;
    if (this.current === "closed") return;
    if (!value) return this.refused();
    const since = this.cursor;
    let transport: Transport | null = null;
    try {
      transport = this.options.transport(
        { url: resolveUrl(this.options.url), token: value, since },
        {
          frame: (frame) => {
            if (this.transport === transport) this.onFrame(frame, since !== null);
          },
          close: (reason) => {
            if (this.transport === transport) void this.onClose(reason);
          },
        },
      );
    } catch (error) {
      this.setState("closed");
      throw error;
    }
    this.transport = transport;
  }

  private onFrame(frame: ServerFrame, resumed: boolean): void {
    if (frame.type === "ready") {
      const ready = frame as ServerFrames["ready"];
      this.readyCursor = ready.data.cursor;
      if (!resumed) this.cursor = ready.data.cursor;
      this.attempt = 0;
      this.setState("connected");
      this.hooks.ready({ userId: ready.data.user_id, resumed });
      return;
    }
    if (frame.type === "error" && !("request_id" in frame && frame.request_id !== undefined)) {
      const code = frame.error.code;
      // A resume that failed: live events go on from the ready cursor; the gap must be reloaded.
      if (code === "resync_required" || (code === "validation_error" && resumed)) {
        this.cursor = this.readyCursor;
        this.hooks.resyncRequired();
        return;
      }
    }
    if ("cursor" in frame && typeof frame.cursor === "string") this.cursor = frame.cursor;
    this.hooks.frame(frame);
  }

  private async onClose(reason: CloseReason): Promise<void> {
    this.transport = null;
    if (this.current === "closed") return;
    this.setState("disconnected");
    let refused = reason.code === "unauthorized";
    if (!refused && !reason.opened && !reason.code) {
      refused = !(await this.options.tokenStillValid().catch(() => true));
    }
    if (refused) return this.refused();
    const delay =
      reason.retryAfter !== undefined
        ? reason.retryAfter * 1000 * (1 + Math.random() / 2)
        : backoffDelay(this.attempt++, this.options.backoff);
    this.schedule(delay);
  }

  /** The token was refused: with a token function the app may refresh it, so keep trying. */
  private refused(): void {
    this.hooks.unauthorized();
    if (typeof this.options.token === "function" && this.current !== "closed") {
      this.setState("disconnected");
      this.schedule(backoffDelay(this.attempt++, this.options.backoff));
    } else {
      this.stop();
    }
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.current !== "closed") void this.open().catch(() => undefined);
    }, delay);
  }
}

export const isTransientError = (error: unknown): boolean =>
  !(error instanceof MessagingError) || error.transient;
