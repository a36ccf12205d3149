import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversation-fixtures";
import { registerUser } from "../support/factories";
import { startTestApp } from "../support/test-app";

const run = promisify(execFile);
const root = path.join(__dirname, "..", "..");
const embedded = backends().find((b) => b.name === "embedded")!;

/** The runnable examples of docs/getting-started.md: `<!-- example: NAME -->` then a code block. */
function examples(): Map<string, string> {
  const page = fs.readFileSync(path.join(root, "docs", "getting-started.md"), "utf8");
  const found = new Map<string, string>();
  for (const match of page.matchAll(/<!-- example: (\S+) -->\s*```js\n([\s\S]*?)```/g)) {
    found.set(match[1], match[2]);
  }
  return found;
}

const CJS_SMOKE = `
const { MessagingClient, RestApi, REST_OPERATIONS, NotFoundError, memoryStorage } = require("@messaging-service/client");
const rest = new RestApi({ url: process.env.MESSAGING_URL, token: process.env.MESSAGING_TOKEN });
rest.conversation("0190f1c2-7a3b-7c4d-8e5f-0000000000c1").catch((error) => {
  if (!(error instanceof NotFoundError) || error.code !== "not_found") throw error;
  console.log("typed error", error.status, Object.keys(REST_OPERATIONS).length, typeof MessagingClient, typeof memoryStorage);
});
`;

const TS_SMOKE = `
import { MessagingClient, RestApi, type Message, type ServerFrames, isMessagingError } from "@messaging-service/client";
const client = new MessagingClient({ url: "http://localhost:9097", token: () => "t" });
client.on("message.new", (frame: ServerFrames["message.new"]) => { const m: Message = frame.data; void m.seq.toFixed(); });
const rest: RestApi = client.rest;
void rest.listMessages("id", { after_seq: 3 }).catch((e: unknown) => isMessagingError(e, "not_found"));
// @ts-expect-error: the query is typed from the OpenAPI document
void rest.listMessages("id", { after_seq: "three" });
`;

describe("client package from `npm pack`, in an empty project", function () {
  this.timeout(180_000);

  it("installs with its dependencies and runs the getting-started examples, as ESM, CJS and TypeScript", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sdk-package-"));
    try {
      const { stdout } = await run("npm", ["pack", "--pack-destination", dir, "--silent"], {
        cwd: path.join(root, "client"),
      });
      const tarball = path.join(dir, stdout.trim().split("\n").pop()!);
      const ws = JSON.parse(
        fs.readFileSync(path.join(root, "node_modules/ws/package.json"), "utf8"),
      );
      fs.writeFileSync(
        path.join(dir, "package.json"),
        '{ "name": "sdk-smoke", "private": true }\n',
      );
      const flags = ["--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--silent"];
      await run("npm", ["install", tarball, `ws@${ws.version}`, ...flags], { cwd: dir });
      const installed = path.join(dir, "node_modules", "@messaging-service", "client");
      assert.ok(fs.existsSync(path.join(installed, "dist/esm/index.d.ts")));
      assert.ok(!fs.existsSync(path.join(installed, "src")), "only the build is packed");

      const { url } = await startTestApp(embedded);
      const [alice, bob] = await Promise.all([
        registerUser(url, "alice"),
        registerUser(url, "bob"),
      ]);
      const { id } = await createGroup(alice, [bob]);
      const env = { ...process.env, MESSAGING_URL: url, MESSAGING_TOKEN: alice.token };

      const pages = examples();
      assert.deepEqual([...pages.keys()], ["send-and-receive.mjs", "offline-outbox.mjs"]);
      for (const [name, code] of pages) fs.writeFileSync(path.join(dir, name), code);
      const first = await run(process.execPath, ["send-and-receive.mjs"], { cwd: dir, env });
      assert.match(first.stdout, /stored as #1 in/);
      assert.match(first.stdout, /#1 .*: Hello from the SDK/);
      const second = await run(process.execPath, ["offline-outbox.mjs"], { cwd: dir, env });
      assert.match(second.stdout, /connection: connected/);
      assert.match(second.stdout, /pending: [1-3]/);
      assert.match(second.stdout, /outbox empty: true/);
      const history = await bob.api.get(`/api/v1/conversations/${id}/messages?limit=100`);
      const contents = history.body.data.map((m: { content: string }) => m.content).reverse();
      assert.deepEqual(contents, ["Hello from the SDK", "one", "two", "three"]);

      fs.writeFileSync(path.join(dir, "smoke.cjs"), CJS_SMOKE);
      const cjs = await run(process.execPath, ["smoke.cjs"], { cwd: dir, env });
      assert.match(cjs.stdout, /typed error 404 \d+ function function/);

      fs.writeFileSync(path.join(dir, "smoke.mts"), TS_SMOKE);
      // The same code as CommonJS (.cts): the "require" condition's declarations.
      fs.writeFileSync(path.join(dir, "smoke.cts"), TS_SMOKE);
      const tsc = require.resolve("typescript/bin/tsc");
      const options = ["--noEmit", "--strict", "--module", "node16", "--lib", "es2022,dom"];
      await run(process.execPath, [tsc, ...options, "smoke.mts", "smoke.cts"], { cwd: dir });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
