import type {
  ClientAcks,
  ClientMessages,
  components,
  ServerFrames,
} from "./generated/api-types.js";
import { ERROR_STATUS, STORED_EVENT_TYPES } from "./generated/api-types.js";

type Schemas = components["schemas"];

/** The contract's objects, as generated from the service's OpenAPI document. */
export type User = Schemas["User"];
export type Member = Schemas["Member"];
export type Conversation = Schemas["Conversation"];
export type Message = Schemas["Message"];
export type FileObject = Schemas["File"];
export type Reaction = Schemas["Reaction"];
export type Presence = Schemas["Presence"];
export type PresenceStatus = Presence["status"];
export type ReadPointer = Schemas["ReadPointer"];
export type Receipt = Schemas["Receipt"];
export type SearchHit = Schemas["SearchHit"];
export type AuthResult = Schemas["AuthResult"];
export type ErrorBody = Schemas["ErrorBody"];

/** A contract error code (`not_found`, `rate_limited`, …). */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** A list page: follow `next_cursor` until it is null. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export type { ClientAcks, ClientMessages, ServerFrames };
export type ServerFrameType = keyof ServerFrames;
export type ServerFrame = ServerFrames[ServerFrameType];
/** A frame that changes stored state: it has a `cursor` and is replayed on resume. */
export type StoredEventType = (typeof STORED_EVENT_TYPES)[number];
export type StoredEvent = ServerFrames[StoredEventType];
export type ClientMessageType = keyof ClientMessages;

export const isStoredEvent = (frame: { type: string }): frame is StoredEvent =>
  (STORED_EVENT_TYPES as readonly string[]).includes(frame.type);
