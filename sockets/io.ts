import type http from "node:http";
import { Server, ServerOptions, Socket } from "socket.io";
import { WebSocket } from "ws";
import { ClientConnection, FrameChannel, OutgoingFrame } from "../lib/realtime/connection-registry";
import { originAllowed } from "./origin";
import { clientAddress, compileTrustProxy } from "../lib/client-address";
import { errorBody } from "../lib/errors";
import { headerLimitError } from "../lib/http-server";
import type { Logger } from "../lib/logger";
import {
  admitConnection,
  clientError,
  ClientFrame,
  ConnectionContext,
  OpenConnections,
} from "./protocol";
import type { TransportDeps } from "./transport-deps";

type Ack = (response: unknown) => void;

/** Socket.IO's Client as its adapters use it (socket.io-adapter's broadcast). */
interface PacketWriter {
  writeToEngine(packet: string, options: PacketOptions): void;
}
interface PacketOptions {
  preEncoded: true;
  /** The whole WebSocket frame: engine.io writes it as it is to websocket transports. */
  wsPreEncodedFrame?: unknown;
}

/**
 * A frame as Socket.IO sends it to every recipient, built once, the way socket.io-adapter
 * builds a broadcast: the EVENT packet of the main namespace (`2["type",{...}]`, what
 * socket.io-parser makes of `emit(type, payload)`, from the frame's one JSON), and its
 * complete WebSocket frame (engine.io message `4` + packet, text opcode, unmasked), so no
 * recipient costs a serialisation or a UTF-8 encoding of its own.
 */
function packetOf(frame: OutgoingFrame): { packet: string; options: PacketOptions } {
  const packet = `2[${JSON.stringify(frame.type)},${frame.json}]`;
  const wsPreEncodedFrame = (
    WebSocket as unknown as { Sender: { frame(data: Buffer, options: object): unknown } }
  ).Sender.frame(Buffer.from(`4${packet}`), {
    readOnly: false,
    mask: false,
    rsv1: false,
    opcode: 1,
    fin: true,
  });
  return { packet, options: { preEncoded: true, wsPreEncodedFrame } };
}

/**
 * Creates the Socket.IO server on the HTTP server: Origin allow-list and header count
 * (`allowRequest`, engine.io answers 403),
 * the handshake rule (`admitConnection`: token from `auth.token` or `?token=`, connection
 * budget, shutdown drain) refused as a `connect_error` whose message is the contract's code
 * (`unauthorized`, `rate_limited`, `unavailable`) and whose `data` is the error body plus
 * `retry_after` (seconds) when rate limited or unavailable; frames up to
 * `realtime.max_payload`, no per-message deflate, heartbeats every
 * `realtime.heartbeat_interval`. `adapter` comes from lib/realtime (Redis when configured).
 */
export function createSocketIoServer(
  server: http.Server,
  deps: Pick<TransportDeps, "config" | "services">,
  openConnections: OpenConnections,
  adapter?: ServerOptions["adapter"],
): Server {
  const { config, services } = deps;
  const allowed = config.server.allowed_origins;
  const io = new Server(server, {
    serveClient: false,
    transports: ["polling", "websocket"],
    maxHttpBufferSize: config.realtime.max_payload,
    perMessageDeflate: false,
    pingInterval: config.realtime.heartbeat_interval,
    pingTimeout: Math.min(20000, config.realtime.heartbeat_interval),
    // Our /ws upgrade handler answers other paths; engine.io must not destroy them.
    destroyUpgrade: false,
    cors: { origin: allowed.includes("*") ? true : allowed },
    allowRequest: (req, callback) => {
      const refusal =
        headerLimitError(req)?.message ??
        (originAllowed(allowed, req.headers.origin, req.headers.host)
          ? null
          : "origin not allowed");
      callback(refusal, refusal === null);
    },
    ...(adapter ? { adapter } : {}),
  });

  const trustProxy = compileTrustProxy(config.server.trust_proxy);
  io.use((socket, next) => {
    const { auth, query } = socket.handshake;
    const token = typeof auth?.token === "string" ? auth.token : query.token;
    admitConnection(
      services,
      token,
      clientAddress(socket.request, trustProxy),
      openConnections,
    ).then(
      (userId) => {
        socket.data.userId = userId;
        next();
      },
      (error: unknown) => {
        const body = clientError(error, services.logger, { transport: "socket.io" });
        next(Object.assign(new Error(body.code), { data: body }));
      },
    );
  });
  return io;
}

/** A socket's context for the dispatcher; a rule breaker gets an `error` event, then is cut. */
function connectionContext(socket: Socket, logger: Logger): ConnectionContext {
  return {
    userId: socket.data.userId as string,
    connectionId: socket.id,
    transport: "socket.io",
    closeForViolation: (error) => {
      logger.warn("disconnecting a Socket.IO connection that broke a rule", {
        connection_id: socket.id,
        reason: error.message,
      });
      socket.emit("error", { type: "error", error: errorBody(error) });
      socket.disconnect(true);
    },
  };
}

/**
 * Serves Socket.IO connections: each socket opens a session with the realtime core (which
 * delivers every event and keeps presence), and its events go to the dispatcher, answered
 * through the ack callback (`{data}` / `{error}`).
 */
export function serveSocketIo(io: Server, deps: TransportDeps): void {
  const { config, sessions, logger } = deps;

  // Capped in packets: engine.io queues whole packets while a client is not reading.
  const maxQueuedPackets = Math.max(64, Math.floor(config.realtime.send_buffer_cap / 1024));
  const backedUp = (socket: Socket | undefined): boolean => {
    const queued = (socket?.conn as unknown as { writeBuffer?: unknown[] } | undefined)
      ?.writeBuffer;
    if (!socket || (queued?.length ?? 0) <= maxQueuedPackets) return false;
    logger.warn("closing a slow Socket.IO connection", { connection_id: socket.id });
    socket.conn.close();
    return true;
  };

  /**
   * Writes a frame's pre-encoded packet to the socket's engine.io connection, as Socket.IO's
   * adapters do for a broadcast (`client.writeToEngine`): see packetOf.
   */
  const write = (socket: Socket | undefined, frame: OutgoingFrame): void => {
    if (!socket || backedUp(socket)) return;
    const { packet, options } = frame.encodedFor("socket.io", packetOf);
    (socket.client as unknown as PacketWriter).writeToEngine(packet, options);
  };

  const channel: FrameChannel = {
    name: "socket.io",
    sendMany: (connections, frame) => {
      for (const connection of connections) write(io.sockets.sockets.get(connection.id), frame);
    },
  };

  io.on("connection", (socket) => {
    const userId = socket.data.userId as string;
    const context = connectionContext(socket, logger);
    const connection: ClientConnection = {
      id: socket.id,
      userId,
      channel,
      send: (frame) => write(socket, frame),
      // Closing the transport (not a Socket.IO disconnect) makes clients reconnect.
      closeForShutdown: () => socket.conn.close(),
      closeForViolation: (error) => context.closeForViolation(error),
      closeForRetry: () => socket.conn.close(),
    };
    const since = socket.handshake.auth?.since;
    const session = sessions.open(connection, typeof since === "string" ? since : undefined);
    socket.conn.on("heartbeat", () => session.alive());
    socket.onAny((event: string, ...args: unknown[]) => onEvent(socket, context, event, args));
    socket.once("disconnect", () => session.close());
  });

  const onEvent = (
    socket: Socket,
    context: ConnectionContext,
    event: string,
    args: unknown[],
  ): void => {
    const ack = typeof args[args.length - 1] === "function" ? (args.pop() as Ack) : undefined;
    const raw = args[0];
    const payload =
      raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    const requestId = payload.request_id;
    const frame: ClientFrame = {
      type: event,
      requestId:
        typeof requestId === "string" || typeof requestId === "number" ? requestId : undefined,
      payload,
    };
    deps.dispatch(context, frame).then(
      (data) => ack?.({ data }),
      (error: unknown) => {
        const body = clientError(error, logger, { connection_id: socket.id });
        if (ack) ack({ error: body });
        else {
          const rid = frame.requestId === undefined ? {} : { request_id: frame.requestId };
          socket.emit("error", { type: "error", ...rid, error: body });
        }
      },
    );
  };
}
