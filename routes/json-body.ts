import type { RequestHandler } from "express";
import { AppError } from "../lib/errors";

const hasBody = (headers: Record<string, unknown>): boolean =>
  headers["transfer-encoding"] !== undefined ||
  (headers["content-length"] !== undefined && headers["content-length"] !== "0");

/**
 * After `express.json()`: a request without a body gets `{}` (so validation names the
 * missing fields instead of a handler reading a property of undefined), and a body that is
 * not JSON is refused with 400, except the multipart upload of `POST /files`.
 */
export const jsonBody: RequestHandler = (req, _res, next) => {
  if (req.body !== undefined) return next();
  if (!hasBody(req.headers)) {
    req.body = {};
    return next();
  }
  if (req.is("multipart/form-data")) return next();
  const message = "the body must be JSON (Content-Type: application/json)";
  next(new AppError("validation_error", message, { details: [{ field: "(body)", message }] }));
};
