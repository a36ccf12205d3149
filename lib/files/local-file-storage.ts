import crypto from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { notFound } from "../errors";
import { FileStorage, assertStorageKey } from "./file-storage";

/** Partial files older than this are left over from a crash and removed at start. */
const STALE_PARTIAL_MS = 60 * 60 * 1000;

/**
 * Files on local disk under `root/<last two key characters>/<key>`. Bytes are written to
 * `root/.partial/` first and renamed into place (same file system, so atomic); a failed
 * write removes its partial file.
 */
export class LocalFileStorage implements FileStorage {
  private readonly root: string;
  private readonly partials: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.partials = path.join(this.root, ".partial");
  }

  async init(): Promise<void> {
    await fs.mkdir(this.partials, { recursive: true });
    await fs.access(this.root, fs.constants.W_OK);
    const now = Date.now();
    for (const name of await fs.readdir(this.partials)) {
      const file = path.join(this.partials, name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat && now - stat.mtimeMs > STALE_PARTIAL_MS) await fs.rm(file, { force: true });
    }
  }

  private location(key: string): string {
    assertStorageKey(key);
    return path.join(this.root, key.slice(-2), key);
  }

  async put(key: string, source: string | Readable): Promise<void> {
    const target = this.location(key);
    const partial = path.join(this.partials, `${key}.${crypto.randomBytes(6).toString("hex")}`);
    await fs.mkdir(this.partials, { recursive: true });
    try {
      if (typeof source === "string") await fs.copyFile(source, partial);
      else await pipeline(source, createWriteStream(partial, { flags: "wx" }));
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(partial, target);
    } catch (error) {
      await fs.rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    const stream = createReadStream(this.location(key));
    await new Promise<void>((resolve, reject) => {
      stream.once("open", () => resolve());
      stream.once("error", (error: NodeJS.ErrnoException) =>
        reject(error.code === "ENOENT" ? notFound("file") : error),
      );
    });
    return stream;
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.location(key), { force: true });
  }

  async close(): Promise<void> {}
}
