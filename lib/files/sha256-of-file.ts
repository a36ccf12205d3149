import crypto from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";

/** The hex sha256 of a file's bytes, streamed. */
export async function sha256OfFile(path: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}
