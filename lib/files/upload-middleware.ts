import type { RequestHandler } from "express";
import multer from "multer";
import { AppError } from "../errors";
import { HashingDiskStorage } from "./hashing-disk-storage";

/**
 * A failed multipart read → the contract's error: a file over the size limit is 413
 * `payload_too_large`; every other refusal by multer (a limit on parts, fields, names, a
 * field other than `file`, a missing field name) and a body busboy cannot parse (truncated,
 * no closing boundary, malformed part headers) is 400 `validation_error`. A storage
 * failure (a system error: disk full, permissions) stays an internal error.
 */
export function uploadError(error: unknown): unknown {
  if (error instanceof AppError || (error as NodeJS.ErrnoException).syscall) return error;
  if (error instanceof multer.MulterError) {
    if (error.code === "LIMIT_FILE_SIZE") {
      return new AppError("payload_too_large", "file is larger than the maximum size");
    }
    const field = error.field ?? "file";
    const message = `upload refused: ${error.message}`;
    return new AppError("validation_error", message, { details: [{ field, message }] });
  }
  const message = `malformed multipart body: ${(error as Error)?.message ?? "unreadable"}`;
  return new AppError("validation_error", message, { details: [{ field: "file", message }] });
}

/**
 * multer for `POST /files`: one file in the field `file`, explicit limits on everything a
 * client controls (size, parts, fields, names, headers), streamed to a temporary file
 * with its sha256 in `temporaryDirectory`. A refused upload is answered (errors mapped by
 * `uploadError`) once its temporary file is gone.
 */
export function uploadMiddleware(maxFileSize: number, temporaryDirectory: string): RequestHandler {
  const storage = new HashingDiskStorage(temporaryDirectory);
  const upload = multer({
    storage,
    // Browsers send UTF-8 file names without a charset parameter.
    defParamCharset: "utf8",
    limits: {
      fileSize: maxFileSize,
      files: 1,
      fields: 5,
      fieldNameSize: 100,
      fieldSize: 1024,
      headerPairs: 20,
      parts: 6,
    },
  }).single("file");
  return (req, res, next) =>
    upload(req, res, (error?: unknown) => {
      if (!error) return next();
      void storage.settled(req).then(() => next(uploadError(error)));
    });
}
