import type { Config } from "../../config/load-config";
import type { FileStorage } from "./file-storage";
import { LocalFileStorage } from "./local-file-storage";
import { S3FileStorage } from "./s3-file-storage";

/**
 * The storage named by `config.storage.type`.
 * @throws Error on an unknown type or an s3 type without a bucket
 */
export function createFileStorage(config: Config["storage"]): FileStorage {
  switch (config.type) {
    case "local":
      return new LocalFileStorage(config.path);
    case "s3":
      return new S3FileStorage(config.s3);
    default:
      throw new Error(`unknown storage.type "${String((config as { type: unknown }).type)}"`);
  }
}
