import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/** The keys a browser makes for one push subscription (RFC 8291 §2: ua_public, auth). */
export interface BrowserKeys {
  ecdh: crypto.ECDH;
  p256dh: string;
  auth: string;
}

export function browserKeys(): BrowserKeys {
  const ecdh = crypto.createECDH("prime256v1");
  ecdh.generateKeys();
  return {
    ecdh,
    p256dh: ecdh.getPublicKey().toString("base64url"),
    auth: crypto.randomBytes(16).toString("base64url"),
  };
}

/**
 * Decrypts an `aes128gcm` Web Push body (RFC 8188 framing, RFC 8291 keys) with the
 * subscription's private key and auth secret, as a browser does: written here from the
 * RFCs with node:crypto, independent of the library that encrypted it.
 */
export function decryptWebPush(body: Buffer, keys: BrowserKeys): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20];
  const senderPublic = body.subarray(21, 21 + idLength);
  const records = body.subarray(21 + idLength);
  assert.equal(idLength, 65, "keyid is the sender's uncompressed P-256 key");
  assert.ok(records.length <= recordSize, "one record");
  const ecdhSecret = keys.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([
    Buffer.from("WebPush: info\0"),
    keys.ecdh.getPublicKey(),
    senderPublic,
  ]);
  const ikm = hkdf(ecdhSecret, Buffer.from(keys.auth, "base64url"), keyInfo, 32);
  const cek = hkdf(ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16);
  const nonce = hkdf(ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12);
  const decipher = crypto.createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const padded = Buffer.concat([
    decipher.update(records.subarray(0, records.length - 16)),
    decipher.final(),
  ]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  assert.equal(padded[end], 2, "last-record delimiter");
  return padded.subarray(0, end).toString("utf8");
}

const hkdf = (ikm: Buffer, salt: Buffer, info: Buffer, length: number): Buffer =>
  Buffer.from(crypto.hkdfSync("sha256", ikm, salt, info, length));

/**
 * Checks a VAPID `Authorization: vapid t=<jwt>, k=<key>` header (RFC 8292): an ES256 JWT
 * for the push service's origin, signed by `k`. @returns the key and the claims
 */
export function verifyVapid(header: string | undefined, audience: string) {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  assert.ok(match, `a VAPID Authorization header, got ${header}`);
  const [, jwt, k] = match;
  const [head, claims, signature] = jwt.split(".");
  const raw = Buffer.from(k, "base64url");
  const key = crypto.createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: raw.subarray(1, 33).toString("base64url"),
      y: raw.subarray(33, 65).toString("base64url"),
    },
    format: "jwk",
  });
  const valid = crypto.verify(
    "sha256",
    Buffer.from(`${head}.${claims}`),
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(signature, "base64url"),
  );
  assert.ok(valid, "the VAPID JWT is signed by k");
  const payload = JSON.parse(Buffer.from(claims, "base64url").toString()) as {
    aud: string;
    exp: number;
    sub: string;
  };
  assert.equal(payload.aud, audience);
  assert.ok(payload.exp * 1000 > Date.now());
  return { publicKey: k, claims: payload };
}

/** One request a peer received. */
export interface PeerRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** How to answer the n-th request (0-based): a status and a JSON body. */
export type PeerResponder = (
  request: PeerRequest,
  index: number,
) => { status?: number; body?: unknown } | undefined;

const WAIT_MS = 15_000;

/**
 * A real HTTP server on loopback that records every request and answers as told: the far
 * end of Web Push (a push service) and of the Matrix Push Gateway API in tests.
 */
export class PushPeer {
  readonly requests: PeerRequest[] = [];
  private readonly waiters = new Set<() => void>();
  private responder: PeerResponder;

  private constructor(
    private readonly server: http.Server,
    readonly origin: string,
    private readonly defaultStatus: number,
  ) {
    this.responder = () => undefined;
  }

  /** @param defaultStatus 201 for a push service (RFC 8030), 200 for a gateway */
  static async start(defaultStatus: number): Promise<PushPeer> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const peer = new PushPeer(server, `http://127.0.0.1:${port}`, defaultStatus);
    server.on("request", (req, res) => peer.handle(req, res));
    return peer;
  }

  respond(responder: PeerResponder): void {
    this.responder = responder;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = { path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks) };
      const index = this.requests.length;
      this.requests.push(request);
      const answer = this.responder(request, index) ?? {};
      res.writeHead(answer.status ?? this.defaultStatus, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body ?? {}));
      for (const wake of this.waiters) wake();
    });
  }

  /** Resolves once `predicate` holds over the requests so far (checked after each answer). */
  waitFor(predicate: (requests: PeerRequest[]) => boolean, what = "requests"): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.requests)) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`push peer: no ${what} in time; got ${this.requests.length} requests`));
      }, WAIT_MS);
      this.waiters.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Checks a `POST /_matrix/push/v1/notify` body against the Matrix Push Gateway API:
 * `notification` with `devices[{app_id, pushkey, pushkey_ts, data}]` and `counts`.
 */
export function checkMatrixNotify(body: any): any {
  assert.equal(typeof body, "object");
  const { notification } = body;
  assert.equal(typeof notification, "object");
  assert.equal(typeof notification.event_id, "string");
  assert.equal(typeof notification.room_id, "string");
  assert.ok(["high", "low"].includes(notification.prio));
  assert.equal(typeof notification.counts?.unread, "number");
  assert.ok(Array.isArray(notification.devices) && notification.devices.length >= 1);
  for (const device of notification.devices) {
    assert.equal(typeof device.app_id, "string");
    assert.equal(typeof device.pushkey, "string");
    assert.ok(Number.isInteger(device.pushkey_ts));
    assert.equal(typeof (device.data ?? {}), "object");
  }
  if (notification.content !== undefined) {
    assert.equal(notification.type, "m.room.message");
    assert.equal(typeof notification.sender, "string");
    assert.equal(notification.content.msgtype, "m.text");
    assert.equal(typeof notification.content.body, "string");
  }
  return notification;
}
