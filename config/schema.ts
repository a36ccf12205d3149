import Joi from "joi";
import { INTEGRATION_KEYS } from "./integration-keys";
import { SAFETY_KEYS, SAFETY_RATE_LIMIT_KEYS } from "./safety-keys";
import { NOTIFICATION_KEYS, NOTIFICATION_RATE_LIMIT_KEYS } from "./notification-keys";
import { PUSH_KEYS } from "./push-keys";

/** One configuration key: where it lives in config.yaml, its env variable, and its rule. */
export interface ConfigKey {
  path: string;
  env?: string;
  schema: Joi.Schema;
  description: string;
  /** Written as "500ms", "6s", "24h" or milliseconds; loaded as milliseconds. */
  duration?: boolean;
}

const duration = Joi.alternatives(
  Joi.number().integer().min(0),
  Joi.string().pattern(/^\d+(ms|s|m|h|d)$/),
);
const port = Joi.number().integer().min(0).max(65535);
const optionalString = Joi.string().allow("").empty("");

/**
 * Every key the service reads. The loader builds the joi schema, the env overlay and
 * config.example.yaml's documentation from this one table.
 */
export const CONFIG_KEYS: ConfigKey[] = [
  {
    path: "server.http_port",
    env: "HTTP_PORT",
    schema: port.default(9097),
    description: "HTTP, Socket.IO and /ws port (0 picks a free one)",
  },
  {
    path: "server.host",
    env: "HTTP_HOST",
    schema: Joi.string().default("0.0.0.0"),
    description: "Address to bind",
  },
  {
    path: "server.websocket_path",
    env: "WEBSOCKET_PATH",
    schema: Joi.string().pattern(/^\//).default("/ws"),
    description: "Path of the raw WebSocket endpoint",
  },
  {
    path: "server.allowed_origins",
    env: "ALLOWED_ORIGINS",
    schema: Joi.array().items(Joi.string()).single().default([]),
    description:
      "Origins of other sites whose pages may open Socket.IO and /ws connections; the service's own origin always may. '*' allows any (refused in production)",
  },
  {
    path: "server.tls.cert",
    env: "TLS_CERT",
    schema: optionalString,
    description: "PEM certificate file: serves HTTPS and WSS on the same port",
  },
  {
    path: "server.tls.key",
    env: "TLS_KEY",
    schema: optionalString,
    description: "PEM private key file",
  },
  {
    path: "server.tls.ca",
    env: "TLS_CA",
    schema: optionalString,
    description: "Optional PEM CA chain file",
  },
  {
    path: "server.workers",
    env: "WORKERS",
    schema: Joi.alternatives(
      Joi.number().integer().min(0).max(256),
      Joi.string().valid("auto"),
    ).default(1),
    description:
      "Node processes serving the one port, each a full node of the cluster (0 or 'auto': one per CPU). More than 1 needs Redis and a PostgreSQL server, and no server.tls (terminate TLS in front)",
  },
  {
    path: "server.shutdown_timeout",
    env: "SHUTDOWN_TIMEOUT",
    schema: duration.default("10s"),
    description: "Deadline for a graceful shutdown",
    duration: true,
  },
  {
    path: "server.shutdown_drain_delay",
    env: "SHUTDOWN_DRAIN_DELAY",
    schema: duration.default("5s"),
    description:
      "On shutdown, how long /readyz answers 503 while REST is still served and new realtime connections are refused, before the listener closes (at most half of shutdown_timeout; a second SIGTERM skips the rest)",
    duration: true,
  },
  {
    path: "server.headers_timeout",
    env: "HEADERS_TIMEOUT",
    schema: duration.default("20s"),
    description:
      "Time a client has to send a request's headers (408 and the connection closed after it)",
    duration: true,
  },
  {
    path: "server.request_timeout",
    env: "REQUEST_TIMEOUT",
    schema: duration.default("120s"),
    description:
      "Time a client has to send a whole request, body included (uploads: keep it above max_file_size at your slowest clients' speed)",
    duration: true,
  },
  {
    path: "server.keep_alive_timeout",
    env: "KEEP_ALIVE_TIMEOUT",
    schema: duration.default("5s"),
    description:
      "How long an idle keep-alive connection stays open (keep it above the upstream idle timeout of a proxy that reuses connections)",
    duration: true,
  },
  {
    path: "server.json_limit",
    env: "JSON_LIMIT",
    schema: Joi.string().default("256kb"),
    description: "Largest JSON body accepted (413 above)",
  },
  {
    path: "server.trust_proxy",
    env: "TRUST_PROXY",
    schema: Joi.alternatives(Joi.boolean(), Joi.number(), Joi.string()).default(false),
    description: "Express trust proxy setting (for client IPs behind a load balancer)",
  },
  {
    path: "server.production",
    env: "PRODUCTION",
    schema: Joi.boolean().default(false),
    description:
      "Production mode: refuses to start without auth.jwt_secret (also set by NODE_ENV=production)",
  },
  {
    path: "server.metrics_token",
    env: "METRICS_TOKEN",
    schema: optionalString,
    description:
      "Bearer token GET /metrics requires (Prometheus: authorization.credentials); unset: open in development, not served in production",
  },

  {
    path: "database.url",
    env: "DATABASE_URL",
    schema: optionalString,
    description: "PostgreSQL URL; unset uses embedded PostgreSQL (PGlite)",
  },
  {
    path: "database.host",
    env: "DATABASE_HOST",
    schema: optionalString,
    description: "PostgreSQL host (alternative to database.url)",
  },
  {
    path: "database.port",
    env: "DATABASE_PORT",
    schema: port.default(5432),
    description: "PostgreSQL port",
  },
  {
    path: "database.name",
    env: "DATABASE_NAME",
    schema: Joi.string().default("messaging"),
    description: "PostgreSQL database name",
  },
  {
    path: "database.user",
    env: "DATABASE_USER",
    schema: Joi.string().default("postgres"),
    description: "PostgreSQL user",
  },
  {
    path: "database.password",
    env: "DATABASE_PASSWORD",
    schema: optionalString,
    description: "PostgreSQL password",
  },
  {
    path: "database.path",
    env: "DATABASE_PATH",
    schema: Joi.string().default("./data/pglite"),
    description: "Embedded database directory ('memory://' keeps nothing)",
  },
  {
    path: "database.pool_max",
    env: "DATABASE_POOL_MAX",
    schema: Joi.number().integer().min(1).max(200).default(10),
    description: "Connection pool size",
  },
  {
    path: "database.send_lanes",
    env: "DATABASE_SEND_LANES",
    schema: Joi.number().integer().min(1).max(64).default(1),
    description:
      "Concurrent statements storing messages (each also numbers its events under the event log's lock, so more lanes mostly wait on each other); sends that arrive while a lane is busy are batched into its next statement",
  },
  {
    path: "database.send_gather",
    env: "DATABASE_SEND_GATHER",
    schema: duration.default("10ms"),
    description:
      "Under load (database.send_gather_rate sends/s or more per lane), the shortest time between two message-storing statements of a lane, so each stores more messages: a statement's fixed cost is several messages' worth of database CPU. Sends wait at most this long; fewer sends go at once. 0 turns it off",
  },
  {
    path: "database.send_gather_rate",
    env: "DATABASE_SEND_GATHER_RATE",
    schema: Joi.number().integer().min(0).default(250),
    description: "Sends per second (per lane) from which database.send_gather applies",
  },
  {
    path: "database.send_gather_batch",
    env: "DATABASE_SEND_GATHER_BATCH",
    schema: Joi.number().integer().min(1).max(200).default(10),
    description: "Sends waiting that start a statement without waiting out database.send_gather",
  },
  {
    path: "database.embedded_in_production",
    env: "DATABASE_EMBEDDED_IN_PRODUCTION",
    schema: Joi.boolean().default(false),
    description:
      "Allows the embedded database (no database.url or database.host) in production mode; without it such a start is refused",
  },

  {
    path: "redis.url",
    env: "REDIS_URL",
    schema: optionalString,
    description: "Redis URL; unset runs single-node with in-process adapter and presence",
  },
  {
    path: "redis.host",
    env: "REDIS_HOST",
    schema: optionalString,
    description: "Redis host (alternative to redis.url)",
  },
  { path: "redis.port", env: "REDIS_PORT", schema: port.default(6379), description: "Redis port" },
  {
    path: "redis.db",
    env: "REDIS_DB",
    schema: Joi.number().integer().min(0).default(0),
    description: "Redis database number",
  },
  {
    path: "redis.key_prefix",
    env: "REDIS_KEY_PREFIX",
    schema: Joi.string().default("msg:"),
    description: "Prefix of every Redis key and channel (several deployments can share one Redis)",
  },

  {
    path: "nats.url",
    env: "NATS_URL",
    schema: optionalString,
    description: "NATS URL; unset keeps events in-process",
  },
  {
    path: "nats.stream",
    env: "NATS_STREAM",
    schema: Joi.string().default("MESSAGING"),
    description: "JetStream stream name",
  },
  {
    path: "nats.subject_prefix",
    env: "NATS_SUBJECT_PREFIX",
    schema: Joi.string().default("messaging"),
    description: "Subjects are <prefix>.<aggregate>.<event>",
  },
  {
    path: "nats.storage",
    env: "NATS_STORAGE",
    schema: Joi.string().valid("file", "memory").default("file"),
    description: "JetStream storage",
  },
  {
    path: "nats.replicas",
    env: "NATS_REPLICAS",
    schema: Joi.number().integer().min(1).max(5).default(1),
    description: "JetStream replicas",
  },
  {
    path: "nats.max_age",
    env: "NATS_MAX_AGE",
    schema: duration.default("7d"),
    description: "How long JetStream keeps events",
    duration: true,
  },
  {
    path: "nats.duplicate_window",
    env: "NATS_DUPLICATE_WINDOW",
    schema: duration.default("2m"),
    description: "JetStream de-duplication window (Nats-Msg-Id)",
    duration: true,
  },

  {
    path: "storage.type",
    env: "STORAGE_TYPE",
    schema: Joi.string().valid("local", "s3").default("local"),
    description: "Where uploaded files are kept",
  },
  {
    path: "storage.path",
    env: "STORAGE_PATH",
    schema: Joi.string().default("./uploads"),
    description: "Directory for local storage",
  },
  {
    path: "storage.max_file_size",
    env: "MAX_FILE_SIZE",
    schema: Joi.number().integer().min(1).default(10485760),
    description: "Largest upload in bytes (413 above)",
  },
  {
    path: "storage.refused_types",
    env: "REFUSED_FILE_TYPES",
    schema: Joi.array()
      .items(Joi.string())
      .single()
      .default([
        "text/html",
        "image/svg+xml",
        "application/javascript",
        "text/javascript",
        "application/x-msdownload",
        "application/x-elf",
        "application/x-mach-binary",
        "application/x-sh",
        "application/xhtml+xml",
        "application/x-executable",
      ]),
    description: "Sniffed MIME types refused with 415",
  },
  { path: "storage.s3.bucket", env: "S3_BUCKET", schema: optionalString, description: "S3 bucket" },
  {
    path: "storage.s3.region",
    env: "S3_REGION",
    schema: Joi.string().default("us-east-1"),
    description: "S3 region",
  },
  {
    path: "storage.s3.endpoint",
    env: "S3_ENDPOINT",
    schema: optionalString,
    description: "S3-compatible endpoint URL",
  },
  {
    path: "storage.s3.access_key_id",
    env: "S3_ACCESS_KEY_ID",
    schema: optionalString,
    description: "S3 access key",
  },
  {
    path: "storage.s3.secret_access_key",
    env: "S3_SECRET_ACCESS_KEY",
    schema: optionalString,
    description: "S3 secret key",
  },
  {
    path: "storage.s3.force_path_style",
    env: "S3_FORCE_PATH_STYLE",
    schema: Joi.boolean().default(true),
    description: "Path-style bucket URLs (most self-hosted S3 servers need it)",
  },

  {
    path: "auth.jwt_secret",
    env: "JWT_SECRET",
    schema: optionalString.min(16),
    description:
      "HS256 secret; unset: generated and kept in the data directory (refused in production)",
  },
  {
    path: "auth.password_cost",
    env: "PASSWORD_COST",
    schema: Joi.number().integer().min(10).max(20).default(17),
    description: "scrypt cost as log2(N): 17 is OWASP's recommendation (about 0.5 s per hash here)",
  },
  {
    path: "auth.hash_concurrency",
    env: "PASSWORD_HASH_CONCURRENCY",
    schema: Joi.number().integer().min(1).max(64).default(2),
    description:
      "Password hashes computed at once (logins and registrations): each holds one of libuv's 4 threads, shared with file I/O and DNS, and 128 MiB at cost 17",
  },
  {
    path: "auth.hash_queue",
    env: "PASSWORD_HASH_QUEUE",
    schema: Joi.number().integer().min(0).default(32),
    description:
      "Password hashes waiting for a free slot; past it a login or registration is answered 503 unavailable with Retry-After",
  },
  {
    path: "auth.hash_per_address",
    env: "PASSWORD_HASH_PER_ADDRESS",
    schema: Joi.number().integer().min(1).default(2),
    description:
      "Password hashes one client address may have running or waiting; past it 429 rate_limited with Retry-After",
  },
  {
    path: "auth.token_expiry",
    env: "TOKEN_EXPIRY",
    schema: duration.default("24h"),
    description: "Lifetime of issued tokens",
    duration: true,
  },

  {
    path: "logging.level",
    env: "LOG_LEVEL",
    schema: Joi.string()
      .valid("error", "warn", "info", "http", "verbose", "debug", "silly", "silent")
      .default("info"),
    description: "Log level",
  },
  {
    path: "logging.format",
    env: "LOG_FORMAT",
    schema: Joi.string().valid("json", "pretty").default("json"),
    description: "Log format",
  },

  {
    path: "events.retention",
    env: "EVENT_RETENTION",
    schema: duration.default("7d"),
    description: "How long the sync log keeps events (older cursors get 410 resync_required)",
    duration: true,
  },
  {
    path: "events.poll_interval",
    env: "EVENT_POLL_INTERVAL",
    schema: duration.default("500ms"),
    description: "How often each node sweeps for unsequenced events and missed batches",
    duration: true,
  },
  {
    path: "events.relay_lease",
    env: "EVENT_RELAY_LEASE",
    schema: duration.default("30s"),
    description:
      "How long a node's relay lease (the right to publish the next batch) lasts; a crashed node's batch is republished after it (keep well below nats.duplicate_window)",
    duration: true,
  },
  {
    path: "events.relay_gather",
    env: "EVENT_RELAY_GATHER",
    schema: duration.default("20ms"),
    description:
      "Shortest time between two claims of the outbox relay: under load one claim takes the events of several sends (fewer database round trips), at the cost of this much latency towards NATS consumers",
    duration: true,
  },
  {
    path: "events.scan_window",
    env: "EVENT_SCAN_WINDOW",
    schema: Joi.number().integer().min(1).default(10000),
    description:
      "Most log positions one GET /sync page or one resume step reads: a user with few events in a busy log gets a short page with has_more and a cursor past what was read",
  },
  {
    path: "events.publish_window",
    env: "EVENT_PUBLISH_WINDOW",
    schema: Joi.number().integer().min(1).default(256),
    description: "Unawaited JetStream publishes in flight",
  },

  {
    path: "realtime.max_payload",
    env: "WS_MAX_PAYLOAD",
    schema: Joi.number().integer().min(1024).default(65536),
    description: "Largest client frame in bytes (close 1009 above)",
  },
  {
    path: "realtime.send_buffer_cap",
    env: "WS_SEND_BUFFER_CAP",
    schema: Joi.number().integer().min(1024).default(4194304),
    description: "Bytes queued to a slow client before it is disconnected",
  },
  {
    path: "realtime.heartbeat_interval",
    env: "WS_HEARTBEAT_INTERVAL",
    schema: duration.default("25s"),
    description: "Ping interval; a peer that misses one is dropped",
    duration: true,
  },
  {
    path: "realtime.typing_timeout",
    env: "TYPING_TIMEOUT",
    schema: duration.default("6s"),
    description: "A typing.start without typing.stop ends after this",
    duration: true,
  },
  {
    path: "realtime.typing_throttle",
    env: "TYPING_THROTTLE",
    schema: duration.default("2s"),
    description: "At most one relayed typing.start per user and conversation per this interval",
    duration: true,
  },
  {
    path: "realtime.max_connections_per_user",
    env: "WS_MAX_CONNECTIONS_PER_USER",
    schema: Joi.number().integer().min(1).default(20),
    description:
      "Open realtime connections (Socket.IO and /ws together) one user may hold on a node; another is refused like a rate limit",
  },
  {
    path: "realtime.node_sweep_interval",
    env: "NODE_SWEEP_INTERVAL",
    schema: duration.default("30s"),
    description:
      "How often a node looks for nodes that died without leaving the Redis routing directory; one found gone twice in a row is forgotten",
    duration: true,
  },
  {
    path: "presence.ttl",
    env: "PRESENCE_TTL",
    schema: duration.default("60s"),
    description: "A connection whose node stops refreshing it expires after this",
    duration: true,
  },
  {
    path: "presence.offline_grace",
    env: "PRESENCE_OFFLINE_GRACE",
    schema: duration.default("5s"),
    description:
      "Wait after the last connection closes before announcing offline (no flapping on reconnect)",
    duration: true,
  },
  {
    path: "presence.record_retention",
    env: "PRESENCE_RECORD_RETENTION",
    schema: duration.default("30d"),
    description:
      "A user's presence record (last seen) is forgotten this long after their last connection; a chosen status is kept",
    duration: true,
  },

  {
    path: "rate_limits.rest_per_minute",
    env: "RATE_LIMIT_REST",
    schema: Joi.number().integer().min(1).default(1200),
    description: "REST requests per user per minute",
  },
  {
    path: "rate_limits.ip_per_minute",
    env: "RATE_LIMIT_IP",
    schema: Joi.number().integer().min(1).default(3000),
    description:
      "Requests and realtime handshakes per IP per minute, before authentication (client IP as server.trust_proxy says)",
  },
  {
    path: "rate_limits.messages_per_10s",
    env: "RATE_LIMIT_MESSAGES",
    schema: Joi.number().integer().min(1).default(100),
    description: "Messages sent per user per 10 s (all transports)",
  },
  {
    path: "rate_limits.frames_per_10s",
    env: "RATE_LIMIT_FRAMES",
    schema: Joi.number().integer().min(1).default(300),
    description: "Realtime frames per connection per 10 s",
  },
  {
    path: "rate_limits.logins_per_15m",
    env: "RATE_LIMIT_LOGINS",
    schema: Joi.number().integer().min(1).default(20),
    description: "Login attempts per username and IP per 15 min",
  },
  {
    path: "rate_limits.auth_per_15m",
    env: "RATE_LIMIT_AUTH",
    schema: Joi.number().integer().min(1).default(100),
    description:
      "Login and registration attempts per client address per 15 min, whatever the username",
  },
  {
    path: "rate_limits.uploads_per_minute",
    env: "RATE_LIMIT_UPLOADS",
    schema: Joi.number().integer().min(1).default(30),
    description: "Uploads per user per minute",
  },
  {
    path: "rate_limits.connections_per_minute",
    env: "RATE_LIMIT_CONNECTIONS",
    schema: Joi.number().integer().min(1).default(60),
    description:
      "New realtime connections per user per minute, checked at the handshake (429 on /ws, connect_error rate_limited on Socket.IO)",
  },
  ...SAFETY_RATE_LIMIT_KEYS,
  ...NOTIFICATION_RATE_LIMIT_KEYS,
  ...INTEGRATION_KEYS,
  ...SAFETY_KEYS,
  ...NOTIFICATION_KEYS,
  ...PUSH_KEYS,
];
