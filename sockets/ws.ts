import type http from "node:http";
import type { Duplex } from "node:stream";
import { RawData, WebSocket, WebSocketServer } from "ws";
import { clientAddress, compileTrustProxy } from "../lib/client-address";
import { AppError, errorBody, toAppError } from "../lib/errors";
import { headerLimitError } from "../lib/http-server";
import { newId } from "../lib/ids";
import { ClientConnection, FrameChannel, OutgoingFrame } from "../lib/realtime/connection-registry";
import { CLOSE_CODES } from "./close-codes";
import { originAllowed } from "./origin";
import {
  admitConnection,
  clientError,
  ClientFrame,
  ConnectionContext,
  parseRawFrame,
} from "./protocol";
import type { TransportDeps } from "./transport-deps";

/** The raw /ws endpoint: started with the HTTP server, closed on shutdown. */
export interface WsTransport {
  /** Refuses new upgrades and waits (bounded) for open sockets to close. */
  close(): Promise<void>;
}

interface Peer {
  ws: WebSocket;
  connection: ClientConnection;
  context: ConnectionContext;
  alive: boolean;
  closing: boolean;
}

/**
 * Writes an HTTP refusal (the contract's error body, `Retry-After` when rate limited) on a
 * socket that asked to upgrade, then closes it.
 */
function refuseUpgrade(socket: Duplex, error: AppError): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: errorBody(error) });
  const retryAfter = error.retryAfter === undefined ? "" : `Retry-After: ${error.retryAfter}\r\n`;
  socket.end(
    `HTTP/1.1 ${error.status} ${error.code}\r\nContent-Type: application/json\r\n${retryAfter}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Closes with `code`, and drops the socket if the peer does not finish the close in 1 s. */
function closePeer(peer: Peer, code: number, reason: string): void {
  if (peer.closing) return;
  peer.closing = true;
  peer.ws.close(code, reason);
  setTimeout(() => peer.ws.terminate(), 1000).unref();
}

/**
 * A raw JSON WebSocket server on `server.websocket_path` of the HTTP server: Origin and
 * token checked before the upgrade (403 / 401), frames over `realtime.max_payload` closed
 * with 1009, ping/pong heartbeats dropping dead peers, and a slow reader (send buffer over
 * `realtime.send_buffer_cap`) closed with 1013 rather than buffered without bound.
 */
export function attachWsServer(server: http.Server, deps: TransportDeps): WsTransport {
  const { config, services, sessions, logger } = deps;
  const openConnections = {
    count: (userId: string) => sessions.openCount(userId),
    max: config.realtime.max_connections_per_user,
  };
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.realtime.max_payload,
    perMessageDeflate: false,
    clientTracking: false,
  });
  const peers = new Set<Peer>();
  let accepting = true;

  const channel: FrameChannel = {
    name: "ws",
    sendMany: (connections, frame) => {
      for (const connection of connections) connection.send(frame);
    },
  };

  const send = (peer: Peer, frame: OutgoingFrame): void => {
    if (peer.ws.readyState !== WebSocket.OPEN || peer.closing) return;
    if (peer.ws.bufferedAmount > config.realtime.send_buffer_cap) {
      logger.warn("closing a slow /ws connection", { connection_id: peer.connection.id });
      closePeer(peer, CLOSE_CODES.slowConsumer, "send buffer full");
      return;
    }
    peer.ws.send(frame.bytes, { binary: false });
  };

  const reply = (peer: Peer, frame: ClientFrame, result: Promise<unknown>): void => {
    const context = { connection_id: peer.connection.id, user_id: peer.connection.userId };
    result.then(
      (data) => {
        if (frame.requestId === undefined) return;
        send(peer, new OutgoingFrame({ type: "ack", request_id: frame.requestId, data }));
      },
      (error: unknown) => {
        const body = clientError(error, logger, context);
        const requestId = frame.requestId === undefined ? {} : { request_id: frame.requestId };
        send(peer, new OutgoingFrame({ type: "error", ...requestId, error: body }));
      },
    );
  };

  const onMessage = (peer: Peer, data: RawData, isBinary: boolean): void => {
    if (peer.closing) return;
    // The server keeps ws's default binaryType ("nodebuffer"): every frame is one Buffer.
    const frame = parseRawFrame(isBinary ? "" : (data as Buffer).toString(), isBinary);
    reply(peer, frame, deps.dispatch(peer.context, frame));
  };

  const onConnection = (ws: WebSocket, userId: string, since: string | undefined): void => {
    const id = newId();
    const peer: Peer = { ws, alive: true, closing: false } as Peer;
    peer.connection = {
      id,
      userId,
      channel,
      send: (frame) => send(peer, frame),
      closeForShutdown: () => ws.close(CLOSE_CODES.goingAway, "server shutting down"),
      closeForViolation: (error) => peer.context.closeForViolation(error),
      closeForRetry: () => closePeer(peer, CLOSE_CODES.tryAgainLater, "resume failed, reconnect"),
    };
    peer.context = {
      userId,
      connectionId: id,
      transport: "ws",
      closeForViolation: (error) => {
        logger.warn("closing a /ws connection that broke a rule", {
          connection_id: id,
          reason: error.message,
        });
        closePeer(peer, CLOSE_CODES.policyViolation, error.message);
      },
    };
    peers.add(peer);
    const session = sessions.open(peer.connection, since);
    ws.on("pong", () => {
      peer.alive = true;
      session.alive();
    });
    ws.on("message", (data, isBinary) => onMessage(peer, data, isBinary));
    ws.on("error", (error) => logger.debug("/ws socket error", { error: error.message }));
    ws.once("close", () => {
      peers.delete(peer);
      session.close();
    });
  };

  const trustProxy = compileTrustProxy(config.server.trust_proxy);
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== config.server.websocket_path) {
      // Socket.IO (engine.io) answers its own path; anything else is not ours either.
      if (!url.pathname.startsWith("/socket.io/"))
        refuseUpgrade(socket, new AppError("not_found", "no WebSocket here"));
      return;
    }
    socket.on("error", () => socket.destroy());
    const tooManyHeaders = headerLimitError(req);
    if (tooManyHeaders) return refuseUpgrade(socket, tooManyHeaders);
    if (!accepting) return refuseUpgrade(socket, new AppError("unavailable", "shutting down"));
    if (!originAllowed(config.server.allowed_origins, req.headers.origin, req.headers.host)) {
      return refuseUpgrade(socket, new AppError("forbidden", "origin not allowed"));
    }
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const since = url.searchParams.get("since") ?? undefined;
    const token = url.searchParams.get("token") ?? bearer;
    admitConnection(services, token, clientAddress(req, trustProxy), openConnections).then(
      (userId) => {
        if (!accepting || socket.destroyed) return socket.destroy();
        wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, userId, since));
      },
      (error: unknown) => refuseUpgrade(socket, toAppError(error)),
    );
  };
  server.on("upgrade", onUpgrade);

  const heartbeat = setInterval(() => {
    for (const peer of peers) {
      if (!peer.alive) {
        peer.ws.terminate();
        continue;
      }
      peer.alive = false;
      peer.ws.ping();
    }
  }, config.realtime.heartbeat_interval);
  heartbeat.unref();

  return {
    async close() {
      accepting = false;
      clearInterval(heartbeat);
      server.off("upgrade", onUpgrade);
      for (const peer of peers) peer.ws.close(CLOSE_CODES.goingAway, "server shutting down");
      const deadline = Date.now() + Math.min(config.server.shutdown_timeout, 2000);
      while (peers.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const peer of peers) peer.ws.terminate();
    },
  };
}
