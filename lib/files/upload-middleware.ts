import type { RequestHandler } from "express";
import multer from "multer";
import { HashingDiskStorage } from "./hashing-disk-storage";

/**
 * multer for `POST /files`: one file in the field `file`, explicit limits on everything a
 * client controls (size, parts, fields, names, headers), streamed to a temporary file
 * with its sha256 in `temporaryDirectory`.
 */
export function uploadMiddleware(maxFileSize: number, temporaryDirectory: string): RequestHandler {
  return multer({
    storage: new HashingDiskStorage(temporaryDirectory),
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
}
