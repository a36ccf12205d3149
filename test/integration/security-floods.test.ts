import assert from "node:assert/strict";
import net from "node:net";
import type { App } from "../../lib/app";
import { assertServing } from "../support/attack-checks";
import { backends } from "../support/backends";
import { registerUser, TestUser } from "../support/factories";
import {
  closeAll,
  connectIo,
  connectWs,
  framesOf,
  nextEvent,
  RealtimeClient,
} from "../support/realtime-clients";
import { startTestApp, stopTestApp } from "../support/test-app";

const FRAMES = 5;

/**
 * Writes one raw HTTP request and reads until the server closes the connection (every
 * refusal here ends with a close); resolves with the status line's code, 0 when none came.
 */
function rawRequest(port: number, head: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let text = "";
    const done = () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    socket.on("data", (chunk) => (text += chunk.toString("latin1")));
    socket.on("error", () => undefined); // a reset while we still write: closed, too
    socket.on("close", done);
    socket.write(head);
  });
}

/** 2,000 headers: `sized` ones pass Node's 16 KiB header limit, the others stay under it. */
const manyHeaders = (sized: boolean) =>
  Array.from({ length: 2000 }, (_, i) =>
    sized ? `x-flood-${i}: value-${i}\r\n` : `a${i}:\r\n`,
  ).join("");

const upgrade = (path: string) =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n`;

/** Sends `count` frames without waiting for replies. */
function flood(client: RealtimeClient, count: number, frame: () => unknown): void {
  for (let i = 0; i < count; i += 1) {
    client.sendRaw("typing.stop", frame());
  }
}

const rateLimited = (client: RealtimeClient) =>
  framesOf(client, "error", (frame) => frame.error?.code === "rate_limited");

for (const backend of backends()) {
  describe(`security: floods [${backend.name}]`, () => {
    let app: App;
    let url: string;
    let port: number;
    let user: TestUser;
    const clients: RealtimeClient[] = [];

    before(async () => {
      ({ app, url } = await startTestApp(backend, { rate_limits: { frames_per_10s: FRAMES } }));
      port = Number(new URL(url).port);
      user = await registerUser(url);
    });
    afterEach(() => closeAll(clients));
    after(() => stopTestApp(app));

    describe("realtime frames", () => {
      for (const [name, frame] of [
        ["valid frames", () => ({ conversation_id: "not-a-uuid" })],
        ["frames that are not JSON", () => "{not json"],
      ] as const) {
        it(`answers a flood of ${name} on /ws with rate_limited, then closes the connection with 1008`, async () => {
          const bystander = await connectWs(url, user.token);
          const ws = await connectWs(url, user.token);
          clients.push(bystander, ws);
          flood(ws, FRAMES * 4, frame);
          const closed = await ws.closed;
          assert.equal(closed.code, 1008, JSON.stringify(closed));
          assert.match(closed.reason, /too many frames/);
          // Frames FRAMES+1 … 2×FRAMES are answered rate_limited; the one after closes.
          assert.ok(rateLimited(ws).length >= FRAMES, "rate_limited before the close");
          const reply = await bystander.request("presence.update", { status: "online" });
          assert.ok(reply.data, "other connections of the user are unaffected");
          await assertServing(url, user);
        });
      }

      it("answers a flood on Socket.IO with rate_limited, then disconnects the client", async () => {
        const io = await connectIo(url, user.token);
        clients.push(io);
        flood(io, FRAMES * 4, () => ({ conversation_id: "not-a-uuid" }));
        assert.equal((await io.closed).reason, "io server disconnect");
        assert.ok(rateLimited(io).length > FRAMES, "rate_limited, then the closing error");
        const last = rateLimited(io).at(-1);
        assert.match(last?.error.message ?? "", /connection closed: too many frames/);
        const again = await connectIo(url, user.token);
        clients.push(again);
        await nextEvent(again, "ready");
        await assertServing(url, user);
      });
    });

    describe("2,000 headers", () => {
      for (const sized of [false, true]) {
        const kind = sized ? "over 16 KiB" : "under 16 KiB";
        it(`refuses them (${kind}) on a REST request, a /ws and a Socket.IO upgrade, and stays healthy`, async () => {
          const headers = manyHeaders(sized);
          const attempts = {
            rest: `GET /api/v1/users/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${user.token}\r\nConnection: close\r\n`,
            ws: upgrade(`/ws?token=${user.token}`),
            "socket.io": upgrade("/socket.io/?EIO=4&transport=websocket"),
            "socket.io polling": `GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\nConnection: close\r\n`,
          };
          for (const [name, head] of Object.entries(attempts)) {
            const res = await rawRequest(port, `${head}${headers}\r\n`);
            // engine.io answers its own refusals (400 on an upgrade, 403 on polling).
            const engine = name.startsWith("socket.io");
            const allowed = engine ? [0, 400, 403, 431] : [0, 400, 431];
            assert.ok(allowed.includes(res.status), `${name}: ${res.text.slice(0, 200)}`);
            if (res.status === 400 && !engine) {
              assert.match(res.text, /"code":"validation_error"/, name);
            }
          }
          await assertServing(url, user);
          const ws = await connectWs(url, user.token);
          clients.push(ws);
          await nextEvent(ws, "ready");
        });
      }
    });
  });
}
