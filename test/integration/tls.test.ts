import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { backends } from "../support/backends";
import { uniqueUsername } from "../support/factories";
import {
  closeAll,
  connectIo,
  connectWs,
  nextEvent,
  RealtimeClient,
} from "../support/realtime-clients";
import { startTestApp } from "../support/test-app";

/** A self-signed certificate for localhost / 127.0.0.1 in a temp directory. */
function selfSignedCertificate(): { dir: string; cert: string; key: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "msg-tls-"));
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  execFileSync(
    "openssl",
    ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
      .concat(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
      .concat(["-keyout", key, "-out", cert]),
    { stdio: "ignore" },
  );
  return { dir, cert, key };
}

/** One HTTPS request trusting `ca`; JSON in (when `body` is given) and text out. */
function httpsRequest(
  url: string,
  ca: Buffer,
  options: { method?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = options.token
    ? { authorization: `Bearer ${options.token}` }
    : {};
  if (options.body !== undefined) headers["content-type"] = "application/json";
  return new Promise((resolve, reject) => {
    const req = https.request(url, { ca, method: options.method ?? "GET", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

/** POSTs JSON over HTTPS and returns the parsed body, asserting 201. */
async function httpsCreate(url: string, ca: Buffer, body: unknown, token?: string) {
  const res = await httpsRequest(url, ca, { method: "POST", body, token });
  assert.equal(res.status, 201, res.body);
  return JSON.parse(res.body);
}

for (const backend of backends()) {
  describe(`TLS (server.tls.cert / key) [${backend.name}]`, () => {
    let tls: ReturnType<typeof selfSignedCertificate>;
    before(() => {
      tls = selfSignedCertificate();
    });
    after(() => fs.rmSync(tls.dir, { recursive: true, force: true }));
    const clients: RealtimeClient[] = [];
    afterEach(() => closeAll(clients));

    it("serves HTTPS on the one port with the configured certificate", async () => {
      const { url } = await startTestApp(backend, {
        server: { tls: { cert: tls.cert, key: tls.key } },
      });
      assert.match(url, /^https:\/\//);
      const res = await httpsRequest(`${url}/healthz`, fs.readFileSync(tls.cert));
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body), { status: "ok" });
    });

    it("serves raw /ws over wss:// and Socket.IO over https on the same port: ready, then message.new", async () => {
      const { url } = await startTestApp(backend, {
        server: { tls: { cert: tls.cert, key: tls.key } },
      });
      const ca = fs.readFileSync(tls.cert);
      const password = "correct horse battery";
      const register = (username: string) =>
        httpsCreate(`${url}/api/v1/auth/register`, ca, { username, password });
      const alice = await register(uniqueUsername("tls"));
      const bob = await register(uniqueUsername("tls"));
      const group = await httpsCreate(
        `${url}/api/v1/conversations`,
        ca,
        { type: "group", name: "over tls", member_ids: [bob.user.id] },
        alice.token,
      );
      const ws = await connectWs(url, bob.token, { ca });
      const io = await connectIo(url, bob.token, { ca });
      clients.push(ws, io);
      assert.match(ws.ws.url, /^wss:\/\//);
      for (const client of [ws, io]) {
        assert.equal((await nextEvent(client, "ready")).data.user_id, bob.user.id, client.kind);
      }
      const sent = await httpsCreate(
        `${url}/api/v1/conversations/${group.id}/messages`,
        ca,
        { content: "sent over https" },
        alice.token,
      );
      for (const client of [ws, io]) {
        const frame = await nextEvent(client, "message.new", (f) => f.data.id === sent.id);
        assert.equal(frame.data.content, "sent over https", client.kind);
      }
    });

    it("refuses a client that does not trust the certificate", async () => {
      const { url } = await startTestApp(backend, {
        server: { tls: { cert: tls.cert, key: tls.key } },
      });
      await assert.rejects(
        new Promise((resolve, reject) => https.get(`${url}/healthz`, resolve).on("error", reject)),
        /self[- ]signed/i,
      );
    });

    it("refuses to start when a certificate file cannot be read, naming the key", async () => {
      await assert.rejects(
        startTestApp(backend, { server: { tls: { cert: "/nonexistent/cert.pem", key: tls.key } } }),
        /server\.tls\.cert/,
      );
    });
  });
}
