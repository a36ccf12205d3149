import type { ErrorRequestHandler, RequestHandler } from "express";
import { AppError, errorBody, toAppError } from "../lib/errors";
import type { Logger } from "../lib/logger";

/** Maps body-parser failures to the contract's codes (multer's: lib/files/upload-middleware). */
function fromFrameworkError(error: unknown): AppError | undefined {
  const e = error as { type?: string; status?: number; code?: string; message?: string };
  if (e.type === "entity.too.large") return new AppError("payload_too_large", "payload too large");
  if (e.type === "entity.parse.failed")
    return new AppError("validation_error", "body is not valid JSON");
  if (e.type === "encoding.unsupported" || e.type === "charset.unsupported") {
    return new AppError("unsupported_media_type", "unsupported encoding");
  }
  // The router refuses a path parameter that is not valid percent-encoding.
  if (error instanceof URIError && e.status === 400) {
    return new AppError("validation_error", "path is not valid percent-encoding");
  }
  if (error instanceof AppError) return undefined;
  if (e.status && e.status >= 400 && e.status < 500 && e.type) {
    return new AppError("validation_error", "request could not be read");
  }
  // A body that does not decompress (Content-Encoding gzip / deflate / br): zlib's error,
  // wrapped by body-parser with a 400 and no type.
  if (e.status === 400 || /^(Z_|ERR__ERROR)/.test(e.code ?? "")) {
    return new AppError("validation_error", "body could not be decoded");
  }
  return undefined;
}

/** The one REST error mapper: contract body, no stack traces, unknown errors logged once. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const appError = fromFrameworkError(error) ?? toAppError(error);
    if (appError.code === "internal" || appError.code === "unavailable") {
      logger.error("request failed", {
        req_id: res.locals.requestId,
        method: req.method,
        path: req.path,
        code: appError.code,
        error: (error as Error)?.stack ?? String(error),
      });
    }
    if (appError.retryAfter !== undefined)
      res.setHeader("Retry-After", String(appError.retryAfter));
    if (res.headersSent) return res.end();
    res.status(appError.status).json({ error: errorBody(appError) });
  };
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => {
  next(new AppError("not_found", "no such route"));
};
