import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import type { Config } from "../config/load-config";

/** The one listening server: REST, Socket.IO and /ws share it (HTTPS and WSS with TLS). */
export type HttpServer = http.Server | https.Server;

/**
 * HTTPS when `server.tls.cert` and `server.tls.key` are set (files read once at start; a
 * missing or unreadable file stops the process with the key named), plain HTTP otherwise.
 * Only one of cert/key set is a configuration error.
 */
export function createHttpServer(config: Config, handler?: http.RequestListener): HttpServer {
  const { cert, key, ca } = config.server.tls;
  if (!cert && !key) return http.createServer(handler);
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
