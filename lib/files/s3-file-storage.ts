import crypto from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { Config } from "../../config/load-config";
import { notFound } from "../errors";
import { FileStorage, assertStorageKey } from "./file-storage";

const isMissing = (error: unknown): boolean => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === "NoSuchKey" || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
};

/**
 * Objects in an S3 bucket on AWS or any S3-compatible server (MinIO, Ceph, Garage…):
 * `endpoint` and path-style addressing are configurable. An object only becomes visible
 * once its PUT completed, so an aborted upload leaves nothing behind.
 */
export class S3FileStorage implements FileStorage {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: Config["storage"]["s3"]) {
    if (!config.bucket) throw new Error("storage.s3.bucket is required for storage.type s3");
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.force_path_style,
      // Newer SDKs send aws-chunked bodies with trailing checksums by default, which many
      // S3-compatible servers do not understand; checksums only where the API needs them.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      credentials:
        config.access_key_id && config.secret_access_key
          ? { accessKeyId: config.access_key_id, secretAccessKey: config.secret_access_key }
          : undefined,
    });
  }

  /** Rejects when the server cannot be reached; creates the bucket when it does not exist. */
  async init(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      if (!isMissing(error)) throw error;
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  async put(
    key: string,
    source: string | Readable,
    options: { contentType?: string } = {},
  ): Promise<void> {
    assertStorageKey(key);
    if (typeof source !== "string") {
      // A PUT needs the length up front: spool a stream to a temporary file first.
      const spool = path.join(os.tmpdir(), `s3-spool-${crypto.randomBytes(8).toString("hex")}`);
      try {
        await pipeline(source, createWriteStream(spool, { flags: "wx" }));
        return await this.put(key, spool, options);
      } finally {
        await fs.rm(spool, { force: true });
      }
    }
    const { size } = await fs.stat(source);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: createReadStream(source),
        ContentLength: size,
        ContentType: options.contentType ?? "application/octet-stream",
      }),
    );
  }

  async get(key: string): Promise<Readable> {
    assertStorageKey(key);
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      return response.Body as Readable;
    } catch (error) {
      if (isMissing(error)) throw notFound("file");
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertStorageKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
