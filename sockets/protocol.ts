import Joi from "joi";
import {
  AppError,
  realtimeErrorBody,
  RealtimeErrorBody,
  toAppError,
  unavailable,
} from "../lib/errors";
import type { Logger } from "../lib/logger";
import type { Services } from "../lib/services";
import { validate } from "../lib/validation";

/**
 * The client→server message types, declared once: the contract's five, and reactions
 * (an addition, so bots and clients can react without REST).
 */
export const CLIENT_MESSAGE_TYPES = [
  "message.send",
  "message.read",
  "message.delivered",
  "typing.start",
  "typing.stop",
  "presence.update",
  "reaction.add",
  "reaction.remove",
] as const;
export type ClientMessageType = (typeof CLIENT_MESSAGE_TYPES)[number];

const requestId = Joi.alternatives(Joi.string().max(128), Joi.number()).optional();
const envelope = (type: ClientMessageType, fields: Record<string, Joi.Schema>) =>
  Joi.object({ type: Joi.string().valid(type), request_id: requestId, ...fields });

/**
 * Each type's payload. Shapes only: the services validate content, ids and membership,
 * exactly as for REST.
 */
export const CLIENT_MESSAGE_SCHEMAS: Record<ClientMessageType, Joi.ObjectSchema> = {
  "message.send": envelope("message.send", {
    conversation_id: Joi.string().required(),
    content: Joi.any(),
    metadata: Joi.any(),
    parent_id: Joi.any(),
    attachments: Joi.any(),
    client_msg_id: Joi.any(),
  }),
  "message.read": envelope("message.read", { message_id: Joi.string().required() }),
  "message.delivered": envelope("message.delivered", {
    conversation_id: Joi.string().required(),
    seq: Joi.any().required(),
  }),
  "typing.start": envelope("typing.start", { conversation_id: Joi.string().guid().required() }),
  "typing.stop": envelope("typing.stop", { conversation_id: Joi.string().guid().required() }),
  "presence.update": envelope("presence.update", { status: Joi.any().required() }),
  "reaction.add": envelope("reaction.add", {
    message_id: Joi.string().required(),
    emoji: Joi.any().required(),
  }),
  "reaction.remove": envelope("reaction.remove", {
    message_id: Joi.string().required(),
    emoji: Joi.any().required(),
  }),
};

/** Typing control the dispatcher calls (lib/realtime/typing-relay.ts). */
export interface TypingControl {
  start(userId: string, conversationId: string): Promise<void>;
  stop(userId: string, conversationId: string): Promise<void>;
}

/** Who sent a frame (one per connection, built by its transport). */
export interface ConnectionContext {
  userId: string;
  connectionId: string;
  transport: "socket.io" | "ws";
  /**
   * Ends the connection because the client broke a rule: close 1008 (policy violation, the
   * error's message as the reason) on /ws; on Socket.IO an `error` event with the error's
   * body, then a server-side disconnect (the client does not reconnect by itself).
   */
  closeForViolation(error: AppError): void;
}

/** A parsed client frame: its type, request_id (if any) and the whole payload. */
export interface ClientFrame {
  type: unknown;
  requestId?: string | number;
  payload: Record<string, unknown>;
  /** Why the frame could not be read (not JSON, binary): answered with this error. */
  invalid?: AppError;
}

export type Dispatch = (context: ConnectionContext, frame: ClientFrame) => Promise<unknown>;

const isClientType = (type: unknown): type is ClientMessageType =>
  typeof type === "string" && (CLIENT_MESSAGE_TYPES as readonly string[]).includes(type);

/**
 * The one dispatcher both transports use: validates a frame, calls the same service as
 * REST would, and resolves with the ack's `data` (or rejects with an AppError).
 */
export function createDispatcher(services: Services, typing: TypingControl): Dispatch {
  const handlers: Record<
    ClientMessageType,
    (userId: string, p: Record<string, unknown>, context: ConnectionContext) => unknown
  > = {
    "message.send": async (userId, p, context) => {
      const { type: _t, request_id: _r, conversation_id, ...input } = p;
      const sent = await services.messages.sendMessage(userId, conversation_id, input);
      if (sent.created) services.metrics.messageSent(context.transport);
      return sent.message;
    },
    "message.read": (userId, p) => services.messages.markRead(userId, p.message_id),
    "message.delivered": (userId, p) =>
      services.readState.acknowledgeDelivered(userId, p.conversation_id, { seq: p.seq }),
    "typing.start": async (userId, p) => {
      const conversationId = String(p.conversation_id).toLowerCase();
      await typing.start(userId, conversationId);
      return { conversation_id: conversationId, is_typing: true };
    },
    "typing.stop": async (userId, p) => {
      const conversationId = String(p.conversation_id).toLowerCase();
      await typing.stop(userId, conversationId);
      return { conversation_id: conversationId, is_typing: false };
    },
    "presence.update": (userId, p) => services.presence.setStatus(userId, { status: p.status }),
    "reaction.add": async (userId, p) =>
      (await services.messages.addReaction(userId, p.message_id, { emoji: p.emoji })).message,
    "reaction.remove": async (userId, p) => {
      await services.messages.removeReaction(userId, p.message_id, p.emoji);
      return { message_id: p.message_id, emoji: p.emoji };
    },
  };
  const closing = new Set<string>();
  const closeOnce = (context: ConnectionContext): void => {
    if (closing.has(context.connectionId)) return;
    closing.add(context.connectionId);
    // After this turn of the event loop, so the rate_limited answers already decided for
    // the frames before (a flood arrives in few reads) are written ahead of the close.
    setImmediate(() => {
      closing.delete(context.connectionId);
      context.closeForViolation(new AppError("rate_limited", "connection closed: too many frames"));
    });
  };
  return async (context, frame) => {
    // Every frame counts against the connection's budget, parseable or not; a connection
    // that keeps flooding past the refusals is closed.
    const verdict = await services.rateLimits.consumeFrame(context.connectionId);
    if (verdict === "close") closeOnce(context);
    if (verdict !== "ok") {
      throw new AppError("rate_limited", "too many frames, slow down", { retryAfter: 10 });
    }
    if (frame.invalid) throw frame.invalid;
    if (!isClientType(frame.type)) {
      throw new AppError("validation_error", `unknown message type ${describe(frame.type)}`, {
        details: [
          { field: "type", message: `type must be one of ${CLIENT_MESSAGE_TYPES.join(", ")}` },
        ],
      });
    }
    if (services.auth.isReadOnly(context.userId)) {
      throw new AppError("forbidden", "this bot's API key lacks the write scope");
    }
    const payload = validate(CLIENT_MESSAGE_SCHEMAS[frame.type], frame.payload) as Record<
      string,
      unknown
    >;
    return handlers[frame.type](context.userId, payload, context);
  };
}

const describe = (type: unknown): string =>
  typeof type === "string" ? JSON.stringify(type.slice(0, 64)) : `(${typeof type})`;

const unreadable = (message: string): ClientFrame => ({
  type: undefined,
  payload: {},
  invalid: new AppError("validation_error", message),
});

/**
 * A raw /ws frame → ClientFrame; one that is binary or not a JSON object comes back with
 * `invalid` set (the dispatcher counts it, then answers with that error).
 */
export function parseRawFrame(data: string, isBinary = false): ClientFrame {
  if (isBinary) return unreadable("binary frames are not supported");
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return unreadable("frame is not valid JSON");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    return unreadable("frame must be a JSON object with a type");
  }
  const payload = parsed as Record<string, unknown>;
  const requestId = payload.request_id;
  return {
    type: payload.type,
    requestId:
      typeof requestId === "string" || typeof requestId === "number" ? requestId : undefined,
    payload,
  };
}

/** The user's open connections on this node and their cap (`realtime.max_connections_per_user`). */
export interface OpenConnections {
  count(userId: string): number;
  max: number;
}

/**
 * The one handshake rule of both transports, applied before a connection opens: refused
 * with `unavailable` while the node drains for shutdown, `rate_limited` (with `retryAfter`)
 * past the client address's `rate_limits.ip_per_minute` (the budget REST spends before
 * authentication, so token guessing costs the same on every transport), `unauthorized`
 * without a valid token, `rate_limited` when the user already holds
 * `realtime.max_connections_per_user` connections on this node, and past the user's
 * `rate_limits.connections_per_minute` (both counted in Redis when configured, so across
 * nodes). Resolves with the user id.
 */
export async function admitConnection(
  services: Services,
  token: unknown,
  clientAddress: string,
  open: OpenConnections,
): Promise<string> {
  const draining = () => unavailable("server shutting down, connect again");
  if (services.health.isDraining) throw draining();
  await services.rateLimits.enforce("ip", clientAddress);
  const userId = await services.auth.realtimeUser(typeof token === "string" ? token : undefined);
  if (open.count(userId) >= open.max) {
    throw new AppError(
      "rate_limited",
      `at most ${open.max} open connections per user: close one before opening another`,
      { retryAfter: 5 },
    );
  }
  await services.rateLimits.enforce("connection", userId);
  if (services.health.isDraining) throw draining();
  return userId;
}

/** The error a client sees; unexpected ones are logged once with their stack. */
export function clientError(
  error: unknown,
  logger: Logger,
  context: Record<string, unknown>,
): RealtimeErrorBody {
  const appError = toAppError(error);
  if (appError.code === "internal") {
    logger.error("realtime request failed", {
      ...context,
      error: ((appError.cause as Error) ?? appError).stack,
    });
  }
  return realtimeErrorBody(appError);
}
