/** The contract's objects (one definition, shared with the server). */
export type {
  Conversation,
  FileObject,
  Member,
  Message,
  Presence,
  PresenceStatus,
  ReadPointer,
  Reaction,
  Receipt,
  SearchHit,
} from "../lib/domain/types";

export interface User {
  id: string;
  username: string;
  display_name: string | null;
  created_at: string;
}
