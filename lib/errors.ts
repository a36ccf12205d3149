/** The error codes of the contract's table, one HTTP status each. */
export const ERROR_STATUS = {
  validation_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  resync_required: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  /** Refused by message moderation (the hook or the word list); the message says why. */
  rejected: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  field: string;
  message: string;
}

export interface AppErrorOptions {
  details?: ErrorDetail[];
  cause?: unknown;
  /** Seconds a rate-limited client should wait (sets Retry-After). */
  retryAfter?: number;
}

/** A failure a client may see: its code, a safe message, optional field details. */
export class AppError extends Error {
  readonly status: number;
  readonly details?: ErrorDetail[];
  readonly retryAfter?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.status = ERROR_STATUS[code];
    this.details = options.details;
    this.retryAfter = options.retryAfter;
  }
}

export const notFound = (what = "resource"): AppError =>
  new AppError("not_found", `${what} not found`);
export const forbidden = (message = "not allowed"): AppError => new AppError("forbidden", message);
export const conflict = (message: string): AppError => new AppError("conflict", message);
/** Seconds a client is told to wait before retrying while a backing service is away. */
export const UNAVAILABLE_RETRY_AFTER = 1;

export const unavailable = (message: string): AppError =>
  new AppError("unavailable", message, { retryAfter: UNAVAILABLE_RETRY_AFTER });
export const unauthorized = (message = "authentication required"): AppError =>
  new AppError("unauthorized", message);
export const validationError = (field: string, message: string): AppError =>
  new AppError("validation_error", message, { details: [{ field, message }] });

/** PostgreSQL error codes that mean "the database is unreachable or going away". */
const UNAVAILABLE_PG_CODES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08003",
  "08006",
  "08001",
  "08004",
]);
const UNAVAILABLE_NET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
]);

/**
 * Maps anything thrown to an AppError. Unknown errors become `internal` (the caller logs
 * the original); a lost database or pool timeout becomes `unavailable`.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: string } | null)?.code;
  const message = (error as Error | null)?.message ?? "";
  // PostgreSQL class 22 (data exception): a value the database refused (a date out of its
  // range, text it cannot encode). Validation should have caught it; never a 500 for input.
  if (typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code) && "severity" in (error as object)) {
    return new AppError("validation_error", "a value in the request cannot be stored or compared", {
      cause: error,
    });
  }
  if (
    (code && (UNAVAILABLE_PG_CODES.has(code) || UNAVAILABLE_NET_CODES.has(code))) ||
    /Knex: Timeout acquiring a connection|Connection terminated|connection timeout/i.test(message)
  ) {
    return new AppError("unavailable", "a backing service is unavailable, try again", {
      cause: error,
      retryAfter: UNAVAILABLE_RETRY_AFTER,
    });
  }
  return new AppError("internal", "internal error", { cause: error });
}

/** The wire body of an error, the same on every transport. */
export function errorBody(error: AppError): {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
} {
  return error.details
    ? { code: error.code, message: error.message, details: error.details }
    : { code: error.code, message: error.message };
}

/** An error as a realtime client reads it: the wire body plus `retry_after` (seconds) when set. */
export interface RealtimeErrorBody extends ReturnType<typeof errorBody> {
  retry_after?: number;
}

export function realtimeErrorBody(error: AppError): RealtimeErrorBody {
  const body: RealtimeErrorBody = errorBody(error);
  if (error.retryAfter !== undefined) body.retry_after = error.retryAfter;
  return body;
}
