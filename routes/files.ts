import { RequestHandler, Router } from "express";
import path from "node:path";
import type { Config } from "../config/load-config";
import { pipeline } from "node:stream/promises";
import { uploadMiddleware } from "../lib/files/upload-middleware";
import type { Services } from "../lib/services";
import { callerId } from "./auth-middleware";

/** `filename*=UTF-8''…` (RFC 5987/6266) with an ASCII fallback for old clients. */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, "_");
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** `POST /files` (multipart, field `file`), `GET /files/:id`, `DELETE /files/:id`. */
export function filesRouter(services: Services, config: Config["storage"]): Router {
  const router = Router();
  // Beside local storage (same file system); for s3 `storage.path` only holds these.
  const incoming = path.join(path.resolve(config.path), ".incoming");
  // Counted before multer reads a byte: a refused upload costs no disk.
  const uploadBudget: RequestHandler = async (req, _res, next) => {
    await services.rateLimits.enforce("upload", callerId(req));
    next();
  };
  router.post(
    "/",
    uploadBudget,
    uploadMiddleware(config.max_file_size, incoming),
    async (req, res) => {
      res.status(201).json(await services.files.upload(callerId(req), req.file));
    },
  );
  router.get("/:id", async (req, res) => {
    const { file, stream } = await services.files.download(callerId(req), req.params.id);
    res.setHeader(
      "Content-Type",
      file.content_type === "text/plain" ? "text/plain; charset=utf-8" : file.content_type,
    );
    res.setHeader("Content-Length", String(file.size));
    res.setHeader("Content-Disposition", contentDisposition(file.filename));
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
    res.setHeader("Cache-Control", "private, no-cache");
    res.setHeader("ETag", `"${file.sha256}"`);
    // Headers are sent: a storage failure now can only cut the response short.
    await pipeline(stream, res).catch(() => res.destroy());
  });
  router.delete("/:id", async (req, res) => {
    await services.files.deleteFile(callerId(req), req.params.id);
    res.status(204).end();
  });
  return router;
}
