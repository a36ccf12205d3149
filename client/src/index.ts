/**
 * The messaging service's client SDK: typed REST, a self-healing realtime connection
 * (Socket.IO or raw WebSocket), an outbox that sends every message exactly once, and a
 * subscribable store. Start with `new MessagingClient({ url, token })`.
 */
export { MessagingClient } from "./messaging-client.js";
export type { MessagingClientOptions, SendOptions } from "./messaging-client.js";
export { RestApi, REST_OPERATIONS } from "./rest/rest-api.js";
export type { OperationKey } from "./rest/rest-api.js";
export { RestTransport } from "./rest/rest-transport.js";
export type { RestClientOptions, TokenSource, UrlSource } from "./rest/rest-transport.js";
export * from "./errors.js";
export { socketIoTransport } from "./realtime/socket-io-transport.js";
export type { SocketIoTransportOptions } from "./realtime/socket-io-transport.js";
export { wsTransport } from "./realtime/ws-transport.js";
export type {
  WebSocketConstructor,
  WebSocketLike,
  WsTransportOptions,
} from "./realtime/ws-transport.js";
export type {
  Transport,
  TransportFactory,
  TransportEvents,
  CloseReason,
} from "./realtime/transport.js";
export { backoffDelay } from "./realtime/backoff.js";
export type { BackoffOptions } from "./realtime/backoff.js";
export type { ConnectionState } from "./realtime/realtime-connection.js";
export { Outbox } from "./outbox/outbox.js";
export { memoryStorage, keyValueStorage } from "./outbox/outbox-storage.js";
export type { KeyValueStore, OutboxEntry, OutboxStorage } from "./outbox/outbox-storage.js";
export { indexedDbStorage } from "./outbox/indexeddb-storage.js";
export type { IndexedDbStorageOptions } from "./outbox/indexeddb-storage.js";
export { ChatStore, isPending, TYPING_SHOWN_MS } from "./store/chat-store.js";
export type { PendingMessage, ShownMessage, StoreChange } from "./store/chat-store.js";
export { randomId } from "./util/ids.js";
export * from "./types.js";
export type { components, paths } from "./generated/api-types.js";
