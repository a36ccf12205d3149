import fs from "node:fs/promises";
import type { Readable } from "node:stream";
import { AppError, notFound, validationError } from "../../errors";
import { newId } from "../../ids";
import type { Logger } from "../../logger";
import type { FileStorage } from "../../files/file-storage";
import { sniffContentType, textUnderBinaryName } from "../../files/sniff-content-type";
import { sha256OfFile } from "../../files/sha256-of-file";
import type { FileRepository } from "../../store/file-repository";
import { toFileObject } from "../../store/message-repository";
import { uuid, validate } from "../../validation";
import type { FileService, UploadedFile } from "../contracts";
import type { FileObject } from "../types";

export interface FileServiceOptions {
  maxFileSize: number;
  /** Sniffed content types refused with 415 unsupported_media_type. */
  refusedTypes: string[];
}

/** A file name safe to store and show: NFC, no path, no control characters, ≤ 255 chars. */
export function cleanFilename(name: string): string {
  const base = name.normalize("NFC").split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, "")
    .trim();
  return [...(cleaned === "" || cleaned === "." || cleaned === ".." ? "file" : cleaned)]
    .slice(0, 255)
    .join("");
}

/**
 * Uploads, downloads and deletes files. The upload's temporary file is removed on every
 * path; the stored object gets a server-generated key (the file's id).
 */
export class DefaultFileService implements FileService {
  private readonly refused: Set<string>;

  constructor(
    private readonly files: FileRepository,
    private readonly storage: FileStorage,
    private readonly logger: Logger,
    private readonly options: FileServiceOptions,
  ) {
    this.refused = new Set(options.refusedTypes.map((type) => type.toLowerCase()));
  }

  async upload(
    callerId: string,
    file: (UploadedFile & { sha256?: string }) | undefined,
  ): Promise<FileObject> {
    if (!file) throw validationError("file", "a multipart field named file is required");
    try {
      if (file.size > this.options.maxFileSize) {
        throw new AppError("payload_too_large", "file is larger than the maximum size");
      }
      const filename = cleanFilename(file.originalname ?? "");
      const contentType = await sniffContentType(file.path, filename);
      if (this.refused.has(contentType)) {
        throw new AppError("unsupported_media_type", `files of type ${contentType} are refused`);
      }
      if (textUnderBinaryName(filename, contentType)) {
        throw new AppError(
          "unsupported_media_type",
          "the file's bytes are text, not what its name says",
        );
      }
      const id = newId();
      const sha256 = file.sha256 ?? (await sha256OfFile(file.path));
      await this.storage.put(id, file.path, { contentType });
      try {
        const row = await this.files.insert({
          id,
          uploader_id: callerId,
          filename,
          content_type: contentType,
          size: file.size,
          sha256,
          storage_key: id,
        });
        return toFileObject(row);
      } catch (error) {
        await this.storage.delete(id).catch(() => undefined);
        throw error;
      }
    } finally {
      await fs.rm(file.path, { force: true });
    }
  }

  async download(
    callerId: string,
    fileId: unknown,
  ): Promise<{ file: FileObject; stream: Readable }> {
    const id = validate(uuid().required().label("id"), fileId).toLowerCase();
    const row = await this.files.findReadable(id, callerId);
    if (!row) throw notFound("file");
    return { file: toFileObject(row), stream: await this.storage.get(row.storage_key) };
  }

  async deleteFile(callerId: string, fileId: unknown): Promise<void> {
    const id = validate(uuid().required().label("id"), fileId).toLowerCase();
    const row = await this.files.deleteOwn(id, callerId);
    if (!row) throw notFound("file");
    // The row is gone, so nobody can reach the bytes any more; a failed removal only
    // leaves an orphan object behind, which is logged.
    await this.storage.delete(row.storage_key).catch((error: unknown) => {
      this.logger.warn("could not remove a deleted file's bytes", {
        file_id: id,
        error: String(error),
      });
    });
  }
}
