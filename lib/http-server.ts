import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { Config } from "../config/load-config";
import { AppError } from "./errors";

/** The one listening server: REST, Socket.IO and /ws share it (HTTPS and WSS with TLS). */
export type HttpServer = http.Server | https.Server;

/**
 * Header bytes a request (or upgrade) may carry: more is answered 431 and the connection
 * closed by Node's parser, before any handler runs. Node's default, made explicit.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Headers a request may carry. Node keeps at most one more (and drops the rest unseen);
 * `headerLimitError` refuses a request that reaches that many.
 */
export const MAX_REQUEST_HEADERS = 100;

/** `validation_error` for a request (REST or handshake) with too many headers, else undefined. */
export function headerLimitError(req: http.IncomingMessage): AppError | undefined {
  if (req.rawHeaders.length / 2 <= MAX_REQUEST_HEADERS) return undefined;
  const message = `at most ${MAX_REQUEST_HEADERS} request headers are accepted`;
  return new AppError("validation_error", message, { details: [{ field: "headers", message }] });
}

/**
 * HTTPS when `server.tls.cert` and `server.tls.key` are set (files read once at start; a
 * missing or unreadable file stops the process with the key named), plain HTTP otherwise.
 * Only one of cert/key set is a configuration error.
 */
export function createHttpServer(config: Config, handler?: http.RequestListener): HttpServer {
  const server = createServer(config, handler);
  server.maxHeadersCount = MAX_REQUEST_HEADERS + 1;
  // Explicit, so a slow or idle client cannot hold a connection (slowloris); upgraded
  // realtime connections leave these checks once upgraded.
  server.headersTimeout = config.server.headers_timeout;
  server.requestTimeout = Math.max(config.server.request_timeout, config.server.headers_timeout);
  server.keepAliveTimeout = config.server.keep_alive_timeout;
  return server;
}

function createServer(config: Config, handler?: http.RequestListener): HttpServer {
  const { cert, key, ca } = config.server.tls;
  const limits = {
    maxHeaderSize: MAX_HEADER_BYTES,
    // How often Node looks for requests past those timeouts (its default, 30 s, would let a
    // 20 s timeout run to 50 s).
    connectionsCheckingInterval: Math.max(
      100,
      Math.min(5000, Math.floor(config.server.headers_timeout / 4)),
    ),
  };
  if (!cert && !key) return http.createServer(limits, handler);
  if (!cert || !key) {
    throw new Error("invalid configuration server.tls: cert and key must be set together");
  }
  const read = (file: string, name: string) => {
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new Error(
        `invalid configuration server.tls.${name}: cannot read ${file}: ${(error as Error).message}`,
      );
    }
  };
  return https.createServer(
    {
      ...limits,
      cert: read(cert, "cert"),
      key: read(key, "key"),
      ...(ca ? { ca: read(ca, "ca") } : {}),
      minVersion: "TLSv1.2",
    },
    handler,
  );
}

/** The scheme clients use to reach this server. */
export function serverScheme(server: HttpServer): "http" | "https" {
  return server instanceof https.Server ? "https" : "http";
}
