import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

// s3rver ships no types; only run() and close() are used.
const S3rver = require("s3rver") as new (options: Record<string, unknown>) => {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
};

export interface TestS3Server {
  /** storage.s3 config for a bucket on this server. */
  s3Config(bucket: string): {
    bucket: string;
    region: string;
    endpoint: string;
    access_key_id: string;
    secret_access_key: string;
    force_path_style: boolean;
  };
  stop(): Promise<void>;
}

/** A private S3-compatible server (s3rver) on a free port, keeping its data in a temp dir. */
export async function startS3Server(): Promise<TestS3Server> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), "s3rver-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", directory, silent: true });
  const { port } = await server.run();
  return {
    s3Config: (bucket) => ({
      bucket,
      region: "us-east-1",
      endpoint: `http://127.0.0.1:${port}`,
      access_key_id: "S3RVER",
      secret_access_key: "S3RVER",
      force_path_style: true,
    }),
    async stop() {
      await server.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}
