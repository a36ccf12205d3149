/** The contract's objects, as every transport sends them. Timestamps are ISO 8601 UTC. */

export type Role = "owner" | "admin" | "member";
export type ConversationType = "direct" | "group";
export type PresenceStatus = "online" | "away" | "busy" | "offline";

export interface Member {
  user_id: string;
  role: Role;
  joined_at: string;
  last_read_seq: number;
}

export interface FileObject {
  id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  uploader_id: string;
  created_at: string;
  url: string;
}

export interface Reaction {
  emoji: string;
  count: number;
  user_ids: string[];
}

/** How a reader sees messages of people they blocked (history, threads, last_message). */
export interface MessagePresenter {
  present(viewerId: string, messages: Message[]): Message[];
}

export interface Message {
  id: string;
  conversation_id: string;
  sender_id: string;
  seq: number;
  content: string | null;
  metadata: Record<string, unknown>;
  parent_id: string | null;
  reply_count: number;
  attachments: FileObject[];
  reactions: Reaction[];
  client_msg_id: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  /**
   * The members the message mentions by id (`@username`, `@all` in a group by its owner or
   * admins), resolved when it was sent; never the sender; empty on a tombstone.
   */
  mentions: string[];
  /**
   * Only in what a reader who blocked or muted the sender gets over REST (history, threads,
   * search never): true, and with `blocks.history: hide` no content or attachments either.
   */
  sender_blocked?: boolean;
}

export interface Conversation {
  id: string;
  type: ConversationType;
  name: string | null;
  description: string | null;
  metadata: Record<string, unknown>;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  last_seq: number;
  /**
   * The caller's view: messages after their read pointer, sent by others, not deleted
   * (nor from someone they blocked, nor replies they read in the thread).
   */
  unread_count: number;
  /** The caller's view: how many of the unread messages mention them. */
  mention_count: number;
  /** The caller's view: their notification level (the configured default until they choose). */
  notification_level: "all" | "mentions" | "none";
  /** The caller's view: notifications muted until then; null when not muted. */
  muted_until: string | null;
  last_message: Message | null;
  members: Member[];
}

export interface Presence {
  user_id: string;
  status: PresenceStatus;
  last_seen_at: string | null;
}

export interface ReadPointer {
  conversation_id: string;
  last_read_seq: number;
}

export interface Receipt {
  user_id: string;
  read_at: string;
}

/** A search hit: a Message plus a plain-text snippet with matches between \u0002 and \u0003. */
export type SearchHit = Message & { highlight: string };

/**
 * `GET /messages/:id/receipts?view=status`: sent → delivered → read. `status` is the
 * message's overall state (every recipient delivered, every recipient read); a direct
 * conversation lists its member, a group gives counts.
 */
export interface ReceiptStatus {
  message_id: string;
  conversation_type: ConversationType;
  status: "sent" | "delivered" | "read";
  members?: {
    user_id: string;
    status: "sent" | "delivered" | "read";
    delivered_at: string | null;
    read_at: string | null;
  }[];
  counts?: { recipients: number; delivered: number; read: number };
}
