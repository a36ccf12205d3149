import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import type { FileStorage } from "../../lib/files/file-storage";
import { createFileStorage } from "../../lib/files/create-file-storage";
import { startS3Server, TestS3Server } from "../support/s3-server";

interface Implementation {
  name: string;
  start(): Promise<{ storage: FileStorage; stop(): Promise<void> }>;
}

const s3Defaults = { region: "us-east-1", force_path_style: true };
const baseConfig = (directory: string) => ({
  type: "local" as const,
  path: directory,
  max_file_size: 1024,
  refused_types: [],
  s3: s3Defaults,
});

const implementations: Implementation[] = [
  {
    name: "local",
    async start() {
      const directory = await fs.mkdtemp(path.join(os.tmpdir(), "local-storage-"));
      const storage = createFileStorage(baseConfig(directory));
      return {
        storage,
        stop: () => fs.rm(directory, { recursive: true, force: true }),
      };
    },
  },
  {
    name: "s3",
    async start() {
      const server: TestS3Server = await startS3Server();
      const storage = createFileStorage({
        ...baseConfig("unused"),
        type: "s3",
        s3: server.s3Config(`bucket-${crypto.randomBytes(4).toString("hex")}`),
      });
      return {
        storage,
        async stop() {
          await storage.close();
          await server.stop();
        },
      };
    },
  },
];

for (const implementation of implementations) {
  describe(`FileStorage contract [${implementation.name}]`, () => {
    let storage: FileStorage;
    let stop: () => Promise<void>;
    let scratch: string;

    before(async () => {
      ({ storage, stop } = await implementation.start());
      await storage.init();
      await storage.init(); // idempotent: an existing directory / bucket is fine
      scratch = await fs.mkdtemp(path.join(os.tmpdir(), "storage-src-"));
    });
    after(async () => {
      await stop();
      await fs.rm(scratch, { recursive: true, force: true });
    });

    const key = () => crypto.randomUUID();

    it("stores a file from a path and leaves the source in place", async () => {
      const source = path.join(scratch, "a.bin");
      const bytes = crypto.randomBytes(200_000);
      await fs.writeFile(source, bytes);
      const k = key();
      await storage.put(k, source, { contentType: "application/octet-stream" });
      assert.deepEqual(await buffer(await storage.get(k)), bytes);
      assert.deepEqual(await fs.readFile(source), bytes);
    });

    it("stores a stream", async () => {
      const k = key();
      await storage.put(k, Readable.from([Buffer.from("hello "), Buffer.from("world")]));
      assert.equal((await buffer(await storage.get(k))).toString(), "hello world");
    });

    it("stores an empty file", async () => {
      const k = key();
      await storage.put(k, Readable.from([]));
      assert.equal((await buffer(await storage.get(k))).length, 0);
    });

    it("leaves nothing under the key when the source stream fails midway", async () => {
      const k = key();
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1000, 1));
          this.destroy(new Error("client went away"));
        },
      });
      await assert.rejects(storage.put(k, failing), /client went away/);
      await assert.rejects(storage.get(k), (error: { code?: string }) => {
        assert.equal(error.code, "not_found");
        return true;
      });
    });

    it("rejects get of a missing key with not_found", async () => {
      await assert.rejects(storage.get(key()), { code: "not_found" });
    });

    it("deletes, and deleting a missing key is fine", async () => {
      const k = key();
      await storage.put(k, Readable.from([Buffer.from("x")]));
      await storage.delete(k);
      await assert.rejects(storage.get(k), { code: "not_found" });
      await storage.delete(k);
    });

    it("refuses keys that are not server-generated names", async () => {
      for (const bad of ["../etc/passwd", "a/b", "", ".hidden", "x".repeat(300)]) {
        await assert.rejects(storage.put(bad, Readable.from([])), /invalid storage key/);
      }
    });
  });
}

describe("createFileStorage", () => {
  it("throws on an unknown storage type and on s3 without a bucket", () => {
    assert.throws(
      () => createFileStorage({ ...baseConfig("x"), type: "ftp" as never }),
      /unknown storage.type "ftp"/,
    );
    assert.throws(
      () => createFileStorage({ ...baseConfig("x"), type: "s3" }),
      /storage.s3.bucket is required/,
    );
  });

  it("rejects init when the S3 server cannot be reached", async () => {
    const storage = createFileStorage({
      ...baseConfig("x"),
      type: "s3",
      s3: {
        ...s3Defaults,
        bucket: "b",
        endpoint: "http://127.0.0.1:1",
        access_key_id: "a",
        secret_access_key: "b",
      },
    });
    await assert.rejects(storage.init());
    await storage.close();
  });
});
