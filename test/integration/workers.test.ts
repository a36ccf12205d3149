import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { runId, TEST_REDIS_URL, testPostgresUrl } from "../support/backends";
import { waitUntil } from "../support/event-helpers";
import { registerUsers, TestUser } from "../support/factories";
import { freePort } from "../support/private-redis";
import {
  closeAll,
  connectIo,
  connectWs,
  framesOf,
  nextEvent,
  RealtimeClient,
} from "../support/realtime-clients";
import { deleteRedisPrefix } from "../support/service-cleanup";
import { ServiceProcess, spawnService } from "../support/service-process";

const REDIS_PREFIX = `msgtest:${runId}:workers:`;

interface Identity {
  id: number;
  pid: number;
}

/** `npm start` with WORKERS=2 on PostgreSQL and Redis, as a child process. */
function startService(port: number, databaseUrl: string): ServiceProcess {
  return spawnService({
    WORKERS: "2",
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: REDIS_PREFIX,
    HTTP_PORT: String(port),
    HTTP_HOST: "127.0.0.1",
    JWT_SECRET: "workers-test-secret-0123456789",
    PASSWORD_COST: "10",
    SHUTDOWN_DRAIN_DELAY: "0",
  });
}

async function whoAnswers(base: string): Promise<Identity> {
  const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { status: string; worker: Identity };
  assert.equal(body.status, "ok");
  return body.worker;
}

/** The workers seen over `tries` requests (each a new connection: workers close them). */
async function workersSeen(base: string, tries = 6): Promise<Map<number, number>> {
  const seen = new Map<number, number>();
  for (let i = 0; i < tries; i++) {
    const { id, pid } = await whoAnswers(base);
    seen.set(id, pid);
  }
  return seen;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function waitForOutput(read: () => string, pattern: RegExp, child: ChildProcess): Promise<void> {
  return waitUntil(async () => {
    if (child.exitCode !== null) throw new Error(`service exited: ${read()}`);
    return pattern.test(read());
  }, `output ${pattern}`);
}

async function directConversation(from: TestUser, to: TestUser): Promise<string> {
  const response = await from.api.post("/api/v1/conversations", {
    type: "direct",
    member_ids: [to.id],
  });
  assert.ok([200, 201].includes(response.status), JSON.stringify(response.body));
  return response.body.id as string;
}

describe("server.workers: two worker processes behind one port", function () {
  this.timeout(60_000);
  let service: ReturnType<typeof startService>;
  let base: string;
  const clients: RealtimeClient[] = [];

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = startService(port, await testPostgresUrl());
    await waitForOutput(service.output, /listening on/, service.child);
  });
  afterEach(() => closeAll(clients.splice(0)));
  after(async () => {
    if (service.child.exitCode === null) service.child.kill("SIGKILL");
    await deleteRedisPrefix(TEST_REDIS_URL, REDIS_PREFIX).catch(() => undefined);
  });

  it("serves from two worker processes, neither of them the primary", async () => {
    const seen = await workersSeen(base);
    assert.deepEqual([...seen.keys()].sort(), [1, 2]);
    const pids = [...seen.values()];
    assert.equal(new Set(pids).size, 2);
    assert.ok(!pids.includes(service.child.pid!));
    assert.match(service.output(), /worker 1 ready/);
    assert.match(service.output(), /worker 2 ready/);
  });

  it("keeps a Socket.IO long-polling session on its worker (sticky sessions)", async () => {
    const [polling, other] = await registerUsers(base, ["poll", "other"]);
    const conversationId = await directConversation(other, polling);
    // Without stickiness every other polling request would reach the worker that does not
    // hold the session and fail with "Session ID unknown".
    const client = await connectIo(base, polling.token, { transports: ["polling"] });
    const peer = await connectWs(base, other.token);
    clients.push(client, peer);
    await nextEvent(client, "ready");
    for (let i = 1; i <= 3; i++) {
      const sent = await client.request("message.send", {
        conversation_id: conversationId,
        content: `over polling ${i}`,
      });
      assert.equal(sent.error, undefined, JSON.stringify(sent.error));
      const heard = await nextEvent(peer, "message.new", (f) => f.data.sender_id === polling.id);
      assert.equal(heard.data.content, `over polling ${i}`);
      await peer.request("message.send", { conversation_id: conversationId, content: `back ${i}` });
      const back = await nextEvent(client, "message.new", (f) => f.data.sender_id === other.id);
      assert.equal(back.data.content, `back ${i}`);
    }
    assert.equal(client.socket.io.engine.transport.name, "polling");
  });

  it("upgrades a Socket.IO session from polling to WebSocket on its worker", async () => {
    const [user, other] = await registerUsers(base, ["upgrade", "peer"]);
    const conversationId = await directConversation(other, user);
    const client = await connectIo(base, user.token, { transports: ["polling", "websocket"] });
    clients.push(client);
    const engine = client.socket.io.engine;
    if (engine.transport.name !== "websocket") {
      await new Promise((resolve) => engine.once("upgrade", resolve));
    }
    await other.api.post(`/api/v1/conversations/${conversationId}/messages`, {
      content: "after the upgrade",
    });
    const heard = await nextEvent(client, "message.new");
    assert.equal(heard.data.content, "after the upgrade");
  });

  it("delivers across workers in order, once", async () => {
    const [reader, writer] = await registerUsers(base, ["reader", "writer"]);
    const conversationId = await directConversation(writer, reader);
    // Connections are dealt round-robin: of two in a row, one lands on each worker, so
    // whichever worker holds the writer, one reader connection is on the other.
    const readers = [await connectWs(base, reader.token), await connectWs(base, reader.token)];
    const readerIo = await connectIo(base, reader.token);
    const sender = await connectWs(base, writer.token);
    clients.push(...readers, readerIo, sender);
    const contents = Array.from({ length: 8 }, (_, i) => `cross ${i}`);
    for (const content of contents) {
      const sent = await sender.request("message.send", {
        conversation_id: conversationId,
        content,
      });
      assert.equal(sent.error, undefined, JSON.stringify(sent.error));
    }
    const marker = await sender.request("message.send", {
      conversation_id: conversationId,
      content: "marker",
    });
    for (const client of [...readers, readerIo]) {
      await nextEvent(client, "message.new", (f) => f.data.id === marker.data.id);
      const received = framesOf(client, "message.new").map((f) => f.data.content as string);
      assert.deepEqual(received, [...contents, "marker"], `${client.kind} client`);
    }
  });

  it("answers /metrics with the sum over both workers, whichever answers", async () => {
    const sentTotal = async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return [...text.matchAll(/^messaging_messages_sent_total\{[^}]*\} (\d+)$/gm)].reduce(
        (sum, match) => sum + Number(match[1]),
        0,
      );
    };
    // 6 messages in the polling test, 1 after the upgrade, 9 across workers: sent through both.
    assert.deepEqual([await sentTotal(), await sentTotal()], [16, 16]);
  });

  it("replaces a worker that dies", async () => {
    const before = await workersSeen(base);
    const victim = before.get(1)!;
    process.kill(victim, "SIGKILL");
    await waitUntil(
      async () => {
        const seen = await workersSeen(base, 2).catch(() => new Map<number, number>());
        return seen.has(1) && seen.get(1) !== victim;
      },
      `worker 1 is back: ${service.output().slice(-2000)}`,
    );
    assert.match(service.output(), /worker 1 exited; restarting/);
    assert.ok(!alive(victim));
  });

  it("stops every worker on SIGTERM and exits 0", async () => {
    const workers = [...(await workersSeen(base)).values()];
    assert.equal(workers.length, 2);
    service.child.kill("SIGTERM");
    assert.equal(await service.exited, 0, service.output());
    for (const pid of workers) assert.ok(!alive(pid), `worker ${pid} is gone`);
    assert.match(service.output(), /worker 1 exited/);
    assert.match(service.output(), /worker 2 exited/);
  });
});
