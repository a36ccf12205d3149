import { io as ioClient, Socket } from "socket.io-client";
import WebSocket from "ws";

export type Frame = Record<string, any> & { type: string };

/** A connected realtime client of either transport, collecting every frame it receives. */
export interface RealtimeClient {
  readonly kind: "socket.io" | "ws";
  /** Every frame received so far, in order. */
  readonly frames: Frame[];
  /**
   * Sends a client→server message and resolves with the reply: `{data}` or `{error}`
   * (Socket.IO ack; the ack/error frame with the same request_id on /ws).
   */
  request(type: string, payload: Record<string, unknown>): Promise<{ data?: any; error?: any }>;
  /** Sends without waiting for any reply (raw text on /ws, a plain emit on Socket.IO). */
  sendRaw(type: string, payload: unknown): void;
  close(): void;
  /** Resolves when the connection closes: the ws close code, or the Socket.IO reason. */
  readonly closed: Promise<{ code?: number; reason: string }>;
}

export interface ConnectOptions {
  since?: string;
  origin?: string;
  transports?: ("websocket" | "polling")[];
  /** The certificate to trust for https / wss (a test's self-signed one). */
  ca?: Buffer;
}

const WAIT_MS = 8000;
const consumed = new WeakMap<RealtimeClient, Set<Frame>>();
const waiters = new WeakMap<RealtimeClient, Set<() => void>>();

function received(client: RealtimeClient, frame: Frame): void {
  client.frames.push(frame);
  for (const wake of waiters.get(client) ?? []) wake();
}

/**
 * The first frame of `type` (matching `predicate`) not returned by an earlier call, already
 * received or still to come. Rejects, listing what did arrive, when none comes in 8 s.
 */
export function nextEvent(
  client: RealtimeClient,
  type: string,
  predicate: (frame: Frame) => boolean = () => true,
): Promise<Frame> {
  return nextFrame(client, (f) => f.type === type && predicate(f), type);
}

/** The first not-yet-returned frame matching `predicate` (see nextEvent). */
export function nextFrame(
  client: RealtimeClient,
  predicate: (frame: Frame) => boolean,
  what = "matching frame",
): Promise<Frame> {
  const used = consumed.get(client) ?? new Set<Frame>();
  consumed.set(client, used);
  const set = waiters.get(client) ?? new Set<() => void>();
  waiters.set(client, set);
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const frame = client.frames.find((f) => !used.has(f) && predicate(f));
      if (!frame) return false;
      used.add(frame);
      set.delete(wake);
      clearTimeout(timer);
      resolve(frame);
      return true;
    };
    const wake = (): void => void check();
    const timer = setTimeout(() => {
      set.delete(wake);
      const seen = client.frames.map((f) => f.type).join(", ");
      reject(new Error(`no ${what} on ${client.kind} client; received: [${seen}]`));
    }, WAIT_MS);
    if (!check()) set.add(wake);
  });
}

/** Frames of a type received so far (for "arrived exactly once" assertions). */
export function framesOf(client: RealtimeClient, type: string, predicate?: (f: Frame) => boolean) {
  return client.frames.filter((f) => f.type === type && (!predicate || predicate(f)));
}

/** Connects a Socket.IO client; resolves once connected (rejects with connect_error). */
export function connectIo(url: string, token: string, options: ConnectOptions = {}) {
  const socket: Socket = ioClient(url, {
    auth: options.since ? { token, since: options.since } : { token },
    transports: options.transports ?? ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: options.origin ? { origin: options.origin } : undefined,
    ...(options.ca ? { ca: options.ca.toString() } : {}),
  });
  const client: RealtimeClient = {
    kind: "socket.io",
    frames: [],
    request: (type, payload) => socket.timeout(WAIT_MS).emitWithAck(type, payload),
    sendRaw: (type, payload) => void socket.emit(type, payload),
    close: () => void socket.disconnect(),
    closed: new Promise((resolve) => socket.once("disconnect", (reason) => resolve({ reason }))),
  };
  socket.onAny((_event, payload) => received(client, payload as Frame));
  return new Promise<RealtimeClient & { socket: Socket }>((resolve, reject) => {
    socket.once("connect", () => resolve(Object.assign(client, { socket })));
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Thrown when /ws refuses the handshake. */
export class HandshakeRefused extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: Record<string, string | string[] | undefined> = {},
  ) {
    super(`handshake refused with ${status}`);
  }
}

/** Connects a raw /ws client; resolves once open (rejects with HandshakeRefused). */
export function connectWs(url: string, token: string | null, options: ConnectOptions = {}) {
  const target = new URL("/ws", url.replace(/^http/, "ws"));
  if (token !== null) target.searchParams.set("token", token);
  if (options.since) target.searchParams.set("since", options.since);
  const ws = new WebSocket(target, {
    headers: options.origin ? { origin: options.origin } : {},
    ...(options.ca ? { ca: options.ca } : {}),
  });
  let requestCounter = 0;
  const client: RealtimeClient = {
    kind: "ws",
    frames: [],
    request: async (type, payload) => {
      requestCounter += 1;
      const requestId = `r${requestCounter}`;
      ws.send(JSON.stringify({ ...payload, type, request_id: requestId }));
      const reply = await nextFrame(
        client,
        (f) => (f.type === "ack" || f.type === "error") && f.request_id === requestId,
        `reply to ${type}`,
      );
      return reply.type === "ack" ? { data: reply.data } : { error: reply.error };
    },
    sendRaw: (type, payload) =>
      ws.send(
        typeof payload === "string" ? payload : JSON.stringify({ ...(payload as object), type }),
      ),
    close: () => ws.close(),
    closed: new Promise((resolve) =>
      ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
    ),
  };
  ws.on("message", (data) => received(client, JSON.parse((data as Buffer).toString()) as Frame));
  return new Promise<RealtimeClient & { ws: WebSocket }>((resolve, reject) => {
    ws.once("open", () => resolve(Object.assign(client, { ws })));
    ws.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => reject(new HandshakeRefused(res.statusCode ?? 0, body, res.headers)));
    });
    ws.once("error", (error) => reject(error));
  });
}

/** Connects to /ws expecting a refusal: its status, headers and the error of its body. */
export async function refusedWs(url: string, token: string | null, options: ConnectOptions = {}) {
  const outcome = await connectWs(url, token, options).then(
    (client) => {
      client.close();
      throw new Error("the /ws handshake was accepted");
    },
    (error: unknown) => error,
  );
  if (!(outcome instanceof HandshakeRefused)) throw outcome;
  const { error } = JSON.parse(outcome.body) as { error: { code: string; message: string } };
  return { status: outcome.status, headers: outcome.headers, error };
}

/** Connects with Socket.IO expecting a refusal: the connect_error's message and data. */
export async function refusedIo(url: string, token: string, options: ConnectOptions = {}) {
  const outcome = await connectIo(url, token, options).then(
    (client) => {
      client.close();
      throw new Error("the Socket.IO connection was accepted");
    },
    (error: Error & { data?: any }) => error,
  );
  return { message: outcome.message, data: outcome.data };
}

/** Closes clients opened by a test (call from afterEach). */
export function closeAll(clients: RealtimeClient[]): void {
  for (const client of clients.splice(0)) client.close();
}

/**
 * One Socket.IO and one raw /ws connection of the same user, both past `ready`; they are
 * added to `clients` (for closeAll).
 */
export async function connectBoth(
  url: string,
  token: string,
  clients: RealtimeClient[],
  options: ConnectOptions = {},
): Promise<[RealtimeClient, RealtimeClient]> {
  const io = await connectIo(url, token, options);
  clients.push(io);
  const ws = await connectWs(url, token, options);
  clients.push(ws);
  await Promise.all([nextEvent(io, "ready"), nextEvent(ws, "ready")]);
  return [io, ws];
}
