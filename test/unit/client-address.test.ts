import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { clientAddress, compileTrustProxy } from "../../lib/client-address";

/** A request from `peer` whose proxies appended `forwardedFor`. */
function request(peer: string, forwardedFor?: string): IncomingMessage {
  const headers = forwardedFor ? { "x-forwarded-for": forwardedFor } : {};
  const socket = { remoteAddress: peer };
  return { headers, socket, connection: socket } as unknown as IncomingMessage;
}

describe("clientAddress (server.trust_proxy, as Express reads it)", () => {
  const forwarded = request("10.0.0.2", "203.0.113.7, 10.0.0.1");

  it("is the peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    assert.equal(clientAddress(forwarded, compileTrustProxy(false)), "10.0.0.2");
  });

  it("takes the first forwarded address when every hop is trusted", () => {
    assert.equal(clientAddress(forwarded, compileTrustProxy(true)), "203.0.113.7");
  });

  it("walks as many hops as a number says", () => {
    assert.equal(clientAddress(forwarded, compileTrustProxy(1)), "10.0.0.1");
    assert.equal(clientAddress(forwarded, compileTrustProxy(2)), "203.0.113.7");
  });

  it("trusts only the listed addresses and subnets", () => {
    assert.equal(clientAddress(forwarded, compileTrustProxy("10.0.0.0/24")), "203.0.113.7");
    assert.equal(clientAddress(forwarded, compileTrustProxy("10.0.0.2")), "10.0.0.1");
    assert.equal(clientAddress(forwarded, compileTrustProxy("192.168.0.1")), "10.0.0.2");
  });

  it("is `unknown` for a socket already gone", () => {
    assert.equal(clientAddress(request(""), compileTrustProxy(true)), "unknown");
  });
});
