import type { Readable } from "node:stream";
import type { MessageRow } from "../store/message-repository";
import type { Page } from "../validation";
import type {
  Conversation,
  FileObject,
  Member,
  Message,
  Presence,
  PresenceStatus,
  ReadPointer,
  Receipt,
  ReceiptStatus,
  SearchHit,
} from "./types";
import type { Tx } from "../store/handles";

/**
 * The domain services every transport calls (REST, Socket.IO and raw /ws alike). Each
 * method validates its own raw input (ids included) and enforces authorisation: anything
 * the caller may not see is `not_found`. Inputs typed `unknown` are validated inside.
 */
export interface ConversationService {
  /** `created` false when an existing direct conversation is returned (REST answers 200). */
  createConversation(
    callerId: string,
    input: unknown,
  ): Promise<{ conversation: Conversation; created: boolean }>;
  listConversations(callerId: string, query: unknown): Promise<Page<Conversation>>;
  getConversation(callerId: string, conversationId: unknown): Promise<Conversation>;
  updateConversation(
    callerId: string,
    conversationId: unknown,
    input: unknown,
  ): Promise<Conversation>;
  deleteConversation(callerId: string, conversationId: unknown): Promise<void>;
  addMember(callerId: string, conversationId: unknown, input: unknown): Promise<Member>;
  removeMember(callerId: string, conversationId: unknown, userId: unknown): Promise<void>;
  /** Ids of the other members, for ephemeral relays (typing); not_found for a non-member. */
  otherMemberIds(callerId: string, conversationId: unknown): Promise<string[]>;
  /** Users who share at least one conversation with userId (who hears their presence). */
  contactIds(userId: string): Promise<string[]>;
}

export interface MessageService {
  /** `created` false when a retried client_msg_id returned the first message (REST 200). */
  sendMessage(
    callerId: string,
    conversationId: unknown,
    input: unknown,
  ): Promise<{ message: Message; created: boolean }>;
  /** Newest first with cursor paging, or `after_seq` for catch-up (oldest first). */
  listMessages(callerId: string, conversationId: unknown, query: unknown): Promise<Page<Message>>;
  listReplies(callerId: string, messageId: unknown, query: unknown): Promise<Page<Message>>;
  getMessage(callerId: string, messageId: unknown): Promise<Message>;
  editMessage(callerId: string, messageId: unknown, input: unknown): Promise<Message>;
  deleteMessage(callerId: string, messageId: unknown): Promise<void>;
  /**
   * Deletes any message (service admins); `within` runs first in the same transaction
   * (the audit entry, a restriction check that may throw).
   */
  deleteAnyMessage(
    messageId: unknown,
    within: (trx: Tx, row: MessageRow) => Promise<void>,
  ): Promise<void>;
  listEdits(
    callerId: string,
    messageId: unknown,
  ): Promise<{ content: string; edited_at: string }[]>;
  /** `created` false when the same user already had that reaction (REST 200). */
  addReaction(
    callerId: string,
    messageId: unknown,
    input: unknown,
  ): Promise<{ created: boolean; message: Message }>;
  removeReaction(callerId: string, messageId: unknown, emoji: unknown): Promise<void>;
  markRead(callerId: string, messageId: unknown): Promise<ReadPointer>;
  listReceipts(callerId: string, messageId: unknown): Promise<Receipt[]>;
  /** sent → delivered → read per member (direct) or as counts (group). */
  receiptStatus(callerId: string, messageId: unknown): Promise<ReceiptStatus>;
}

export interface SearchService {
  searchMessages(callerId: string, query: unknown): Promise<Page<SearchHit>>;
  searchConversations(callerId: string, query: unknown): Promise<Page<Conversation>>;
}

export interface UploadedFile {
  originalname: string;
  /** Where multer put the bytes (disk storage); the service moves them to storage. */
  path: string;
  size: number;
}

export interface FileService {
  upload(callerId: string, file: UploadedFile | undefined): Promise<FileObject>;
  /** The file and a stream of its bytes, if the caller may read it. */
  download(callerId: string, fileId: unknown): Promise<{ file: FileObject; stream: Readable }>;
  deleteFile(callerId: string, fileId: unknown): Promise<void>;
}

export interface PresenceService {
  getPresence(userId: unknown): Promise<Presence>;
  listOnline(query: unknown): Promise<Page<Presence>>;
  /** A realtime connection opened / is alive / closed on this node. */
  connectionOpened(userId: string, connectionId: string): Promise<void>;
  connectionAlive(userId: string, connectionId: string): Promise<void>;
  connectionClosed(userId: string, connectionId: string): Promise<void>;
  /** presence.update: a chosen status, kept until changed. */
  setStatus(userId: string, input: unknown): Promise<Presence>;
  statusOf(userId: string): Promise<PresenceStatus>;
}

export interface SyncPage {
  data: Record<string, unknown>[];
  next_cursor: string;
  has_more: boolean;
  /**
   * On the page that catches up (has_more false): the caller's badges, counting exactly the
   * events up to `badges.cursor` (a later page may still bring events it already counts).
   */
  badges?: {
    unread_count: number;
    mention_count: number;
    conversations: { conversation_id: string; unread_count: number; mention_count: number }[];
    cursor: string;
  };
}

export interface SyncService {
  /** GET /sync: the caller's events after `since`, oldest first; 410 resync_required if pruned. */
  sync(callerId: string, query: unknown): Promise<SyncPage>;
  /** The cursor of the newest event so far (the `ready` frame's cursor). */
  currentCursor(): Promise<string>;
}
