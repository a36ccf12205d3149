/**
 * WebSocket close codes the raw /ws endpoint uses (RFC 6455 §7.4.1). Clients may rely on
 * them: 1001 means "reconnect, possibly to another node"; 1008/1009 mean "fix the client".
 */
export const CLOSE_CODES = {
  /** A clean close requested by either side. */
  normal: 1000,
  /** The node is shutting down: reconnect (with `since`) and you will be served elsewhere. */
  goingAway: 1001,
  /**
   * The peer broke a rule: it kept sending frames past twice its `rate_limits.frames_per_10s`
   * budget after being answered `rate_limited` (missed heartbeats are dropped, not closed).
   */
  policyViolation: 1008,
  /** A frame over `realtime.max_payload` bytes (the ws library closes with this). */
  messageTooBig: 1009,
  /** An unexpected server error. */
  internalError: 1011,
  /** The connection stopped reading: its send buffer went over `realtime.send_buffer_cap`. */
  slowConsumer: 1013,
  /**
   * Try again later: the resume (`since`) could not be served now, as the database was
   * unavailable; reconnect with the same `since` (the `error` frame before says `unavailable`).
   */
  tryAgainLater: 1013,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];
