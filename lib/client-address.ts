import type { IncomingMessage } from "node:http";
import proxyAddr from "proxy-addr";

/** `server.trust_proxy`: Express's `trust proxy` values. */
export type TrustProxySetting = boolean | number | string;

export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * The trust function of a `trust proxy` setting, compiled as Express does (true: every hop,
 * a number: that many hops, a string: comma-separated addresses or subnets), so REST and the
 * realtime handshakes agree on who the client is.
 */
export function compileTrustProxy(setting: TrustProxySetting): TrustProxy {
  if (setting === true) return () => true;
  if (typeof setting === "number") return (_address, hop) => hop < setting;
  if (typeof setting === "string") {
    return proxyAddr.compile(setting.split(",").map((part) => part.trim()));
  }
  return proxyAddr.compile([]);
}

/** The client's address: the peer, or the nearest untrusted `X-Forwarded-For` hop. */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  if (!req.socket?.remoteAddress) return "unknown";
  return proxyAddr(req, trust);
}
