import { io } from "socket.io-client";
import { ClientErrorCode, errorFromBody, networkError, timeoutError } from "../errors.js";
import type { ErrorBody, ServerFrame } from "../types.js";
import { PendingRequests, TransportFactory } from "./transport.js";

export interface SocketIoTransportOptions {
  /**
   * Socket.IO's transports. Long-polling first needs sticky sessions behind a load
   * balancer. @default ["websocket"]
   */
  transports?: ("websocket" | "polling")[];
}

type Reply = { data?: unknown; error?: ErrorBody };

/** Socket.IO (`/socket.io/`): `auth: {token, since}`; replies through ack callbacks. */
export function socketIoTransport(options: SocketIoTransportOptions = {}): TransportFactory {
  return (target, events) => {
    const auth = target.since
      ? { token: target.token, since: target.since }
      : { token: target.token };
    const socket = io(target.url || undefined, {
      auth,
      reconnection: false,
      forceNew: true,
      transports: options.transports ?? ["websocket"],
    });
    const pending = new PendingRequests();
    let opened = false;
    let closed = false;
    const close = (message: string, code?: ClientErrorCode, retryAfter?: number) => {
      if (closed) return;
      closed = true;
      socket.removeAllListeners();
      socket.offAny();
      socket.disconnect();
      pending.rejectAll(networkError(`connection closed: ${message}`));
      events.close({ opened, message, code, retryAfter });
    };
    socket.on("connect", () => {
      opened = true;
    });
    socket.on(
      "connect_error",
      (error: Error & { data?: Partial<ErrorBody> & { retry_after?: number } }) => {
        const code = error.data?.code as ClientErrorCode | undefined;
        close(error.message, code, error.data?.retry_after);
      },
    );
    socket.on("disconnect", (reason) => close(reason));
    // Closed before the handshake finished: Socket.IO itself would wait for its 20 s timeout.
    socket.io.engine?.on("close", (reason: string) => close(reason));
    socket.onAny((type: string, payload: unknown) => {
      const body = payload && typeof payload === "object" ? payload : {};
      events.frame({ ...body, type } as ServerFrame);
    });
    return {
      request(type, payload, timeoutMs) {
        if (!socket.connected) return Promise.reject(networkError("not connected"));
        const { id, promise } = pending.add(timeoutMs, () => timeoutError(`${type}: no ack`));
        socket.emit(type, payload, (reply: Reply) => {
          if (reply?.error) pending.settle(id, undefined, errorFromBody(reply.error));
          else pending.settle(id, reply?.data);
        });
        return promise;
      },
      emit(type, payload) {
        if (socket.connected) socket.emit(type, payload);
      },
      close: () => close("closed by the client"),
    };
  };
}
