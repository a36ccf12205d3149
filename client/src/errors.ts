import { ERROR_STATUS } from "./generated/api-types.js";
import type { ErrorBody, ErrorCode } from "./types.js";

/** A code the SDK adds to the contract's: the request never got an answer. */
export type ClientErrorCode = ErrorCode | "network_error" | "timeout";

/**
 * Every failure the SDK reports: the contract's error (`code`, `status`, `details`,
 * `retryAfter`) or, with status 0, `network_error` / `timeout` when no answer came.
 * Each contract code has its own subclass (`NotFoundError`, `RateLimitedError`, …).
 */
export class MessagingError extends Error {
  override readonly name: string = "MessagingError";

  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly status: number = code in ERROR_STATUS ? ERROR_STATUS[code as ErrorCode] : 0,
    readonly details?: ErrorBody["details"],
    /** Seconds to wait before retrying (rate_limited). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  /**
   * True when the same request may succeed later unchanged: no answer, rate limited, or
   * the service unavailable. A send that fails so stays in the outbox and is retried.
   */
  get transient(): boolean {
    return ["network_error", "timeout", "rate_limited", "unavailable"].includes(this.code);
  }
}

type Details = ErrorBody["details"];
const subclass = (code: ErrorCode, name: string) =>
  class extends MessagingError {
    override readonly name = name;
    constructor(message: string, details?: Details, retryAfter?: number) {
      super(code, message, ERROR_STATUS[code], details, retryAfter);
    }
  };

export class ValidationError extends subclass("validation_error", "ValidationError") {}
export class UnauthorizedError extends subclass("unauthorized", "UnauthorizedError") {}
export class ForbiddenError extends subclass("forbidden", "ForbiddenError") {}
export class NotFoundError extends subclass("not_found", "NotFoundError") {}
export class ConflictError extends subclass("conflict", "ConflictError") {}
export class ResyncRequiredError extends subclass("resync_required", "ResyncRequiredError") {}
export class PayloadTooLargeError extends subclass("payload_too_large", "PayloadTooLargeError") {}
export class UnsupportedMediaTypeError extends subclass(
  "unsupported_media_type",
  "UnsupportedMediaTypeError",
) {}
/** The moderation hook or word list refused the message; `message` says why. */
export class RejectedError extends subclass("rejected", "RejectedError") {}
export class RateLimitedError extends subclass("rate_limited", "RateLimitedError") {}
export class InternalError extends subclass("internal", "InternalError") {}
export class UnavailableError extends subclass("unavailable", "UnavailableError") {}

/** One class per contract code: adding a code to the contract fails to compile here. */
const BY_CODE: Record<ErrorCode, new (m: string, d?: Details, r?: number) => MessagingError> = {
  validation_error: ValidationError,
  unauthorized: UnauthorizedError,
  forbidden: ForbiddenError,
  not_found: NotFoundError,
  conflict: ConflictError,
  resync_required: ResyncRequiredError,
  payload_too_large: PayloadTooLargeError,
  unsupported_media_type: UnsupportedMediaTypeError,
  rejected: RejectedError,
  rate_limited: RateLimitedError,
  internal: InternalError,
  unavailable: UnavailableError,
};

/** The typed error for a contract error body (REST, an ack, or an `error` frame). */
export function errorFromBody(
  body: Partial<ErrorBody> | undefined,
  status?: number,
  retryAfter?: number,
): MessagingError {
  const code = body?.code && body.code in BY_CODE ? body.code : codeForStatus(status);
  const message = body?.message ?? `request failed${status ? ` (${status})` : ""}`;
  return new BY_CODE[code](message, body?.details, retryAfter);
}

function codeForStatus(status: number | undefined): ErrorCode {
  const known = Object.entries(ERROR_STATUS).find(([, value]) => value === status);
  return known ? (known[0] as ErrorCode) : "internal";
}

export const networkError = (message = "the service cannot be reached"): MessagingError =>
  new MessagingError("network_error", message, 0);
export const timeoutError = (message = "no answer in time"): MessagingError =>
  new MessagingError("timeout", message, 0);

/** Narrows an unknown error to a MessagingError, optionally of one code. */
export function isMessagingError(error: unknown, code?: ClientErrorCode): error is MessagingError {
  return error instanceof MessagingError && (code === undefined || error.code === code);
}
