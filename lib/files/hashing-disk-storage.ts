import crypto from "node:crypto";
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Request } from "express";
import type { StorageEngine } from "multer";

type UploadFile = Express.Multer.File & { sha256?: string };

/**
 * A multer storage engine: writes each upload to a temporary file under `directory`,
 * computing its sha256 and size while the bytes stream past. A failed or aborted upload
 * removes its temporary file (multer calls `_removeFile` for the ones it had accepted).
 * multer answers a malformed body as soon as busboy fails, before a write in progress has
 * cleaned up: `settled(req)` waits for that, so a refusal is sent with nothing left behind.
 */
export class HashingDiskStorage implements StorageEngine {
  private readonly writes = new WeakMap<Request, Promise<void>[]>();

  constructor(private readonly directory: string) {}

  /** Resolves once every write this storage started for `req` is finished or removed. */
  async settled(req: Request): Promise<void> {
    await Promise.all(this.writes.get(req) ?? []);
  }

  _handleFile(
    req: Request,
    file: UploadFile,
    callback: (error?: unknown, info?: Partial<UploadFile>) => void,
  ): void {
    const target = path.join(this.directory, `upload-${crypto.randomBytes(12).toString("hex")}`);
    // Known before the first byte, so multer can clean it up if the request aborts.
    file.path = target;
    const hash = crypto.createHash("sha256");
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    const written = fs
      .mkdir(this.directory, { recursive: true })
      .then(() => pipeline(file.stream, meter, createWriteStream(target, { flags: "wx" })))
      .then(
        () => callback(null, { path: target, size, sha256: hash.digest("hex") }),
        async (error: unknown) => {
          await fs.rm(target, { force: true });
          callback(error);
        },
      );
    this.writes.set(req, [...(this.writes.get(req) ?? []), written]);
  }

  _removeFile(_req: Request, file: UploadFile, callback: (error: Error | null) => void): void {
    fs.rm(file.path, { force: true }).then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }
}
