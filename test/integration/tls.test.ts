import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { backends } from "../support/backends";
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

function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

const [backend] = backends();

describe("TLS (server.tls.cert / key)", () => {
  let tls: ReturnType<typeof selfSignedCertificate>;
  before(() => {
    tls = selfSignedCertificate();
  });
  after(() => fs.rmSync(tls.dir, { recursive: true, force: true }));

  it("serves HTTPS on the one port with the configured certificate", async () => {
    const { url } = await startTestApp(backend, {
      server: { tls: { cert: tls.cert, key: tls.key } },
    });
    assert.match(url, /^https:\/\//);
    const res = await httpsGet(`${url}/healthz`, fs.readFileSync(tls.cert));
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { status: "ok" });
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
