import type { FileObject } from "../types.js";

/** A send kept until the service has acknowledged it (or it failed for good). */
export interface OutboxEntry {
  /** The idempotency key: every resend carries it, so the service stores the message once. */
  client_msg_id: string;
  conversation_id: string;
  content: string;
  metadata?: Record<string, unknown>;
  parent_id?: string | null;
  attachments?: FileObject[];
  /** The sender, once known: entries of another user are never sent. */
  user_id?: string;
  /** When it was queued (local clock). */
  created_at: string;
  /** Queue order, kept across reloads. */
  order: number;
  /** `sending` until acknowledged; `failed` when the service refused it (see `error`). */
  state: "sending" | "failed";
  error?: { code: string; message: string };
}

/** The message.send payload of an entry (files by id). */
export function sendPayload(entry: OutboxEntry): Record<string, unknown> {
  return {
    conversation_id: entry.conversation_id,
    content: entry.content,
    client_msg_id: entry.client_msg_id,
    ...(entry.metadata ? { metadata: entry.metadata } : {}),
    ...(entry.parent_id ? { parent_id: entry.parent_id } : {}),
    ...(entry.attachments?.length ? { attachments: entry.attachments.map((f) => f.id) } : {}),
  };
}

/**
 * Where the outbox keeps its entries. A persistent one (IndexedDB, a key-value store)
 * keeps unsent messages across reloads and crashes; every call must have reached the
 * storage when its promise resolves.
 */
export interface OutboxStorage {
  load(): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  remove(clientMsgId: string): Promise<void>;
}

/** Keeps entries in memory only: a reload forgets unsent messages. */
export function memoryStorage(): OutboxStorage {
  const entries = new Map<string, OutboxEntry>();
  return {
    load: async () => [...entries.values()].map((entry) => ({ ...entry })),
    put: async (entry) => void entries.set(entry.client_msg_id, { ...entry }),
    remove: async (id) => void entries.delete(id),
  };
}

/** A string key-value store: `localStorage`, React Native's AsyncStorage, a file… */
export interface KeyValueStore {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
}

/**
 * Keeps the whole outbox as one JSON value under `key` (one key per user, e.g.
 * `outbox:<user id>`). Writes are serialised, so a later write never lands first.
 */
export function keyValueStorage(store: KeyValueStore, key = "messaging.outbox"): OutboxStorage {
  let chain: Promise<unknown> = Promise.resolve();
  const read = async (): Promise<Record<string, OutboxEntry>> =>
    JSON.parse((await store.getItem(key)) ?? "{}") as Record<string, OutboxEntry>;
  const update = (change: (all: Record<string, OutboxEntry>) => void): Promise<void> => {
    const next = chain.then(async () => {
      const all = await read();
      change(all);
      await store.setItem(key, JSON.stringify(all));
    });
    chain = next.catch(() => undefined);
    return next;
  };
  return {
    load: async () => {
      await chain;
      return Object.values(await read());
    },
    put: (entry) =>
      update((all) => {
        all[entry.client_msg_id] = entry;
      }),
    remove: (id) =>
      update((all) => {
        delete all[id];
      }),
  };
}
