import type { OutboxEntry, OutboxStorage } from "./outbox-storage.js";

/* Minimal structural types of the IndexedDB API, so the SDK compiles without the DOM lib. */
interface Req<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface Tx {
  objectStore(name: string): {
    getAll(): Req<OutboxEntry[]>;
    put(value: OutboxEntry): Req<unknown>;
    delete(key: string): Req<unknown>;
  };
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  error: unknown;
}
interface Db {
  objectStoreNames: { contains(name: string): boolean };
  createObjectStore(name: string, options: { keyPath: string }): unknown;
  transaction(name: string, mode: "readonly" | "readwrite"): Tx;
}
export interface IndexedDbFactory {
  open(name: string, version: number): Req<Db> & { onupgradeneeded: (() => void) | null };
}

export interface IndexedDbStorageOptions {
  /** The database name; one per user, e.g. `messaging-outbox:<user id>`. */
  name?: string;
  /** @default globalThis.indexedDB */
  indexedDB?: IndexedDbFactory;
}

const STORE = "outbox";

/** Keeps the outbox in IndexedDB (browsers): unsent messages survive reloads and crashes. */
export function indexedDbStorage(options: IndexedDbStorageOptions = {}): OutboxStorage {
  const factory = options.indexedDB ?? (globalThis as { indexedDB?: IndexedDbFactory }).indexedDB;
  let opened: Promise<Db> | undefined;
  const db = () =>
    (opened ??= new Promise<Db>((resolve, reject) => {
      if (!factory) throw new Error("IndexedDB is not available here");
      const request = factory.open(options.name ?? "messaging-outbox", 1);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE)) {
          request.result.createObjectStore(STORE, { keyPath: "client_msg_id" });
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    }));
  /** Runs one request in its own transaction and resolves once that transaction committed. */
  const run = async <T>(
    mode: "readonly" | "readwrite",
    op: (s: ReturnType<Tx["objectStore"]>) => Req<T>,
  ) => {
    const tx = (await db()).transaction(STORE, mode);
    const request = op(tx.objectStore(STORE));
    return new Promise<T>((resolve, reject) => {
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? request.error);
    });
  };
  return {
    load: () => run("readonly", (store) => store.getAll()),
    put: async (entry) => void (await run("readwrite", (store) => store.put(entry))),
    remove: async (id) => void (await run("readwrite", (store) => store.delete(id))),
  };
}
