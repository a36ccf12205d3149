import assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { MessagingClient } from "../../client/src/index";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversation-fixtures";
import { registerUser, TestUser } from "../support/factories";
import { assertExactlyOnce, closeClients, sdkClient, storedOnServer } from "../support/sdk-clients";
import { TcpProxy } from "../support/tcp-proxy";
import { startTestApp, stopTestApp, TestApp } from "../support/test-app";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CHILD = path.join(__dirname, "..", "support", "sdk-child.ts");

/** Runs the SDK child; resolves with it once it printed `until` (or with its output at exit). */
function runChild(
  args: string[],
  until?: string,
): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  let errors = "";
  child.stderr!.on("data", (chunk) => (errors += chunk));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk) => {
      output += chunk;
      if (until && output.includes(until)) resolve({ child, output });
    });
    child.once("exit", (code) =>
      code === 0
        ? resolve({ child, output })
        : reject(new Error(`child exited ${code}: ${errors}`)),
    );
  });
}

for (const backend of backends()) {
  describe(`client SDK killed mid-send and restarted on a persistent outbox [${backend.name}]`, function () {
    this.timeout(60_000);
    let node: TestApp;
    let alice: TestUser;
    let bob: TestUser;
    let proxy: TcpProxy;
    let dir: string;

    before(async () => {
      node = await startTestApp(backend);
      [alice, bob] = await Promise.all([
        registerUser(node.url, "alice"),
        registerUser(node.url, "bob"),
      ]);
    });
    beforeEach(async () => {
      proxy = await TcpProxy.start(node.url);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdk-outbox-"));
    });
    afterEach(async () => {
      await proxy.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("sends what was queued before the kill exactly once, and shows it once, in seq order", async () => {
      const { id } = await createGroup(alice, [bob]);
      const file = path.join(dir, "outbox.json");
      const contents = ["first before the crash", "second", "third", "fourth"];
      const args = [proxy.url, alice.token, file, id];
      // Acks are swallowed from the moment the child is connected: the first send reaches
      // the service and is stored, the child never hears so, and is killed.
      const { child } = await runChild([...args, "send", JSON.stringify(contents)], "connected");
      proxy.dropDownstream = true;
      child.stdin!.write("go\n");
      await storedOnServer(bob, id, contents[0]);
      const queued = () => Object.keys(JSON.parse(fs.readFileSync(file, "utf8"))).length;
      for (let i = 0; i < 200 && queued() < contents.length; i++) await sleep(20);
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      proxy.dropDownstream = false;
      proxy.cut();
      assert.equal(Object.keys(JSON.parse(fs.readFileSync(file, "utf8"))).length, contents.length);

      const { output } = await runChild([...args, "resume", "[]"]);
      const result = JSON.parse(output.trim().split("\n").pop()!);
      assert.equal(result.queued, contents.length);
      const shown = result.messages as { content: string; seq: number; pending?: string }[];
      assert.deepEqual(
        shown.filter((m) => m.pending),
        [],
      );
      assert.deepEqual(
        shown.map((m) => m.content),
        contents,
      );
      assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")), {}, "the outbox is empty");
      const res = await bob.api.get(`/api/v1/conversations/${id}/messages?limit=100`);
      assert.deepEqual(
        res.body.data.map((m: { content: string }) => m.content).reverse(),
        contents,
      );
    });
  });
}

// Two nodes share the event log and fan-out through Redis: only where Redis runs.
for (const backend of backends().filter((candidate) => candidate.redisUrl)) {
  describe(`client SDK moving to the other node mid-send [${backend.name}]`, () => {
    const clients: MessagingClient[] = [];
    afterEach(() => closeClients(clients));

    for (const kind of ["socket.io", "ws"] as const) {
      it(`resumes on node B over ${kind} when node A dies with a send unanswered`, async () => {
        const nodeA = await startTestApp(backend);
        const nodeB = await startTestApp(backend);
        const [alice, bob] = await Promise.all([
          registerUser(nodeA.url, "alice"),
          registerUser(nodeB.url, "bob"),
        ]);
        const { id } = await createGroup(alice, [bob]);
        const proxy = await TcpProxy.start(nodeA.url);
        try {
          const client = await sdkClient(proxy.url, alice, kind, clients);
          const bobs = await sdkClient(nodeB.url, bob, kind, clients);
          await client.sent((await client.send(id, "hello from A")).client_msg_id);
          proxy.dropDownstream = true;
          const unanswered = await client.send(id, "unanswered on A");
          await storedOnServer(bob, id, "unanswered on A");
          // Node A dies (its connections drop first); the address now leads to node B.
          // Meanwhile bob keeps talking.
          proxy.retarget(nodeB.url);
          proxy.dropDownstream = false;
          proxy.cut();
          nodeA.app.realtime.presence.abandon();
          await stopTestApp(nodeA.app);
          await bobs.sent((await bobs.send(id, "bob while alice was away")).client_msg_id);
          const later = await client.send(id, "after the move");
          await client.sent(unanswered.client_msg_id);
          await client.sent(later.client_msg_id);
          const contents = [
            "hello from A",
            "unanswered on A",
            "bob while alice was away",
            "after the move",
          ];
          // bob reads the service's history from node B (node A is gone).
          await assertExactlyOnce(client, bob, id, contents);
          await assertExactlyOnce(bobs, bob, id, contents);
        } finally {
          await proxy.stop();
        }
      });
    }
  });
}
