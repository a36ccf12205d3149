import { SCHEMAS } from "../lib/openapi/components";
import { NOTIFICATION_SCHEMAS } from "../lib/openapi/notification-components";
import { CLIENT_MESSAGE_CATALOG, SERVER_EVENT_CATALOG } from "./protocol-catalog";
import {
  clientAckName,
  clientMessageName,
  frameSchemaComponents,
  serverFrameName,
} from "./protocol-schemas";

type Json = Record<string, unknown>;

/** The two transports of the one protocol, as AsyncAPI channels. */
const CHANNELS = {
  ws: {
    address: "/ws",
    title: "Raw WebSocket",
    description:
      "JSON text frames with a `type`. Connect to `/ws?token=<jwt>[&since=<cursor>]` " +
      "(or `Authorization: Bearer`). Requests with a `request_id` are answered by an `ack` " +
      "or `error` frame echoing it.",
  },
  socketio: {
    address: "/socket.io/",
    title: "Socket.IO",
    description:
      "Socket.IO v4: `io(url, {auth: {token, since?}})`. Each frame is an event named by its " +
      "`type` whose payload is the same object a raw client gets. Requests passing an ack " +
      "callback are answered through it with `{data}` or `{error}`.",
  },
} as const;
type ChannelId = keyof typeof CHANNELS;

const camel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);
const channelRef = (channel: ChannelId) => ({ $ref: `#/channels/${channel}` });
const messageRef = (channel: ChannelId, id: string) => ({
  $ref: `#/channels/${channel}/messages/${id}`,
});

function componentMessages(): Json {
  const messages: Json = {};
  for (const [type, entry] of Object.entries(SERVER_EVENT_CATALOG)) {
    const name = serverFrameName(type);
    messages[name] = {
      name: type,
      title: type,
      summary: entry.summary,
      payload: { $ref: `#/components/schemas/${name}` },
      examples: [{ name: type, payload: entry.example }],
    };
  }
  for (const [type, entry] of Object.entries(CLIENT_MESSAGE_CATALOG)) {
    const name = clientMessageName(type);
    messages[name] = {
      name: type,
      title: type,
      summary: entry.summary,
      payload: { $ref: `#/components/schemas/${name}` },
      examples: [{ name: type, payload: entry.example }],
    };
  }
  messages.SocketIoAck = {
    name: "ack callback",
    summary: "The reply a Socket.IO ack callback receives: `{data}` or `{error}`.",
    payload: {
      oneOf: [
        { type: "object", required: ["data"], properties: { data: {} } },
        {
          type: "object",
          required: ["error"],
          properties: { error: { $ref: "#/components/schemas/ErrorBody" } },
        },
      ],
    },
  };
  return messages;
}

function channel(id: ChannelId): Json {
  const names = [
    ...Object.keys(SERVER_EVENT_CATALOG).map(serverFrameName),
    ...Object.keys(CLIENT_MESSAGE_CATALOG).map(clientMessageName),
    ...(id === "socketio" ? ["SocketIoAck"] : []),
  ];
  const { address, title, description } = CHANNELS[id];
  return {
    address,
    title,
    description,
    servers: [{ $ref: `#/servers/${id}` }],
    messages: Object.fromEntries(
      names.map((name) => [camel(name), { $ref: `#/components/messages/${name}` }]),
    ),
  };
}

/** Server → client frames are operations the service sends; client messages, ones it receives. */
function operations(): Json {
  const result: Json = {};
  for (const id of Object.keys(CHANNELS) as ChannelId[]) {
    for (const [type, entry] of Object.entries(SERVER_EVENT_CATALOG)) {
      const name = serverFrameName(type);
      result[`${id}Send${name}`] = {
        action: "send",
        channel: channelRef(id),
        summary: entry.summary,
        messages: [messageRef(id, camel(name))],
      };
    }
    for (const [type, entry] of Object.entries(CLIENT_MESSAGE_CATALOG)) {
      const name = clientMessageName(type);
      const replies =
        id === "ws"
          ? [messageRef(id, "ackEvent"), messageRef(id, "errorEvent")]
          : [messageRef(id, "socketIoAck")];
      result[`${id}Receive${name}`] = {
        action: "receive",
        channel: channelRef(id),
        summary: entry.summary,
        description: `Ack \`data\`: \`#/components/schemas/${clientAckName(type)}\`.`,
        messages: [messageRef(id, camel(name))],
        reply: { channel: channelRef(id), messages: replies },
      };
    }
  }
  return result;
}

/**
 * The AsyncAPI 3.0 document of the realtime protocol (both transports, every frame),
 * generated from the protocol catalog and its schemas; served at /api/v1/asyncapi.json.
 */
export function buildAsyncApiDocument(): Json {
  const server = (pathname: string, description: string) => ({
    host: "localhost:9097",
    pathname,
    protocol: "ws",
    description,
    security: [{ $ref: "#/components/securitySchemes/token" }],
  });
  return {
    asyncapi: "3.0.0",
    info: {
      title: "Messaging service realtime protocol",
      version: "1",
      description:
        "One protocol over two transports: raw WebSocket (`/ws`) and Socket.IO. Stored " +
        "events carry a `cursor`; reconnect with `since` = the last cursor to receive what " +
        "was missed, then live events. Generated from sockets/protocol-catalog.ts; the REST " +
        "API is /api/v1/openapi.json. Details: docs/protocol.md.",
    },
    defaultContentType: "application/json",
    servers: {
      ws: server("/ws", "The service's raw WebSocket endpoint (`server.websocket_path`)."),
      socketio: server("/socket.io/", "The service's Socket.IO endpoint."),
    },
    channels: { ws: channel("ws"), socketio: channel("socketio") },
    operations: operations(),
    components: {
      schemas: { ...SCHEMAS, ...NOTIFICATION_SCHEMAS, ...frameSchemaComponents() },
      messages: componentMessages(),
      securitySchemes: {
        token: {
          type: "httpApiKey",
          name: "token",
          in: "query",
          description:
            "An HS256 JWT (`sub` = user id). Socket.IO clients may pass it as `auth.token`.",
        },
      },
    },
  };
}
