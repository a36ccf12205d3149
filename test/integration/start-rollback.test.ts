import assert from "node:assert/strict";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { createApp } from "../../lib/app";
import { backends } from "../support/backends";
import { privateDatabase, PrivateDatabase } from "../support/private-database";
import { PrivateRedis, startPrivateRedis } from "../support/private-redis";
import { testConfig } from "../support/test-app";

/**
 * One list of resources gives both the shutdown order and the rollback of a start that fails:
 * whatever opened before the failure is closed. Counted where it shows: connections the
 * server side still holds (a fresh PostgreSQL database, a private Redis). Only on the real
 * services: the embedded backend has no Redis and no server-side connection list.
 */
const services = backends().find((backend) => backend.name === "services");
if (services) {
  describe("start rollback [services]", () => {
    let database: PrivateDatabase;
    let redis: PrivateRedis;
    let admin: Redis;

    before(async () => {
      database = await privateDatabase(services);
      redis = await startPrivateRedis();
      admin = new Redis(redis.url, { connectionName: "test-admin" });
    });
    after(async () => {
      admin.disconnect();
      await redis.stop();
      await database.drop();
    });

    const config = (overrides: Record<string, unknown> = {}) =>
      testConfig(services, {
        database: { url: database.url },
        redis: { url: redis.url, key_prefix: "rollback:" },
        ...overrides,
      });

    async function openConnections() {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ count: string }>(
          "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        );
        const redisClients = String(await admin.call("CLIENT", "LIST"))
          .split("\n")
          .filter((line) => line && !line.includes("name=test-admin"));
        return { postgres: Number(rows[0].count), redis: redisClients.length };
      } finally {
        await client.end();
      }
    }

    /** The servers see a closed connection a moment after the client closed it. */
    async function connectionsOnceSettled() {
      let counts = await openConnections();
      for (let tries = 0; tries < 40 && (counts.postgres || counts.redis); tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        counts = await openConnections();
      }
      return counts;
    }

    it("a wiring that fails after the database, Redis and realtime opened closes them all", async () => {
      // File storage initialises after the connections and realtime: a file where its
      // directory should be makes it fail there.
      const blocker = path.join(await fs.mkdtemp(path.join(os.tmpdir(), "rollback-")), "file");
      await fs.writeFile(blocker, "not a directory");
      await assert.rejects(createApp(await config({ storage: { path: blocker } })));
      assert.deepEqual(await connectionsOnceSettled(), { postgres: 0, redis: 0 });
    });

    it("a start that fails to listen closes everything it started, and stop() still resolves", async () => {
      const taken = net.createServer();
      await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
      const { port } = taken.address() as net.AddressInfo;
      try {
        const app = await createApp(await config({ server: { http_port: port } }));
        assert.ok((await openConnections()).postgres > 0, "the app holds connections before start");
        await assert.rejects(app.start(), /EADDRINUSE/);
        assert.deepEqual(await connectionsOnceSettled(), { postgres: 0, redis: 0 });
        await app.stop();
      } finally {
        taken.close();
      }
    });
  });
}
