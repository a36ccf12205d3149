/** The validated, frozen configuration. Durations are milliseconds. */
export interface Config {
  readonly server: {
    http_port: number;
    host: string;
    websocket_path: string;
    /** Worker processes on the one port ("auto" and 0 resolved to the CPU count). */
    workers: number;
    allowed_origins: string[];
    tls: { cert?: string; key?: string; ca?: string };
    shutdown_timeout: number;
    shutdown_drain_delay: number;
    json_limit: string;
    headers_timeout: number;
    request_timeout: number;
    keep_alive_timeout: number;
    metrics_token?: string;
    trust_proxy: boolean | number | string;
    production: boolean;
  };
  readonly database: {
    url?: string;
    host?: string;
    port: number;
    name: string;
    user: string;
    password?: string;
    path: string;
    pool_max: number;
    send_lanes: number;
    send_gather: number;
    send_gather_rate: number;
    send_gather_batch: number;
    embedded_in_production: boolean;
  };
  readonly redis: { url?: string; host?: string; port: number; db: number; key_prefix: string };
  readonly nats: {
    url?: string;
    stream: string;
    subject_prefix: string;
    storage: "file" | "memory";
    replicas: number;
    max_age: number;
    duplicate_window: number;
  };
  readonly storage: {
    type: "local" | "s3";
    path: string;
    max_file_size: number;
    refused_types: string[];
    s3: {
      bucket?: string;
      region: string;
      endpoint?: string;
      access_key_id?: string;
      secret_access_key?: string;
      force_path_style: boolean;
    };
  };
  readonly auth: {
    jwt_secret?: string;
    token_expiry: number;
    password_cost: number;
    hash_concurrency: number;
    hash_queue: number;
    hash_per_address: number;
  };
  readonly logging: { level: string; format: "json" | "pretty" };
  readonly events: {
    retention: number;
    poll_interval: number;
    publish_window: number;
    relay_lease: number;
    relay_gather: number;
    scan_window: number;
  };
  readonly realtime: {
    max_payload: number;
    send_buffer_cap: number;
    heartbeat_interval: number;
    typing_timeout: number;
    typing_throttle: number;
    max_connections_per_user: number;
    node_sweep_interval: number;
  };
  readonly presence: { ttl: number; offline_grace: number; record_retention: number };
  readonly rate_limits: {
    rest_per_minute: number;
    ip_per_minute: number;
    messages_per_10s: number;
    frames_per_10s: number;
    logins_per_15m: number;
    auth_per_15m: number;
    uploads_per_minute: number;
    connections_per_minute: number;
    api_key_per_minute: number;
    reports_per_hour: number;
    mention_all_per_hour: number;
  };
  readonly admin: { users: string[] };
  readonly webhooks: {
    timeout: number;
    max_attempts: number;
    retry_base: number;
    retry_max: number;
    disable_after: number;
    poll_interval: number;
    lease: number;
    concurrency: number;
    secret_key?: string;
  };
  readonly moderation: {
    url?: string;
    secret?: string;
    timeout: number;
    on_failure: "open" | "closed";
    word_list: string[];
    word_list_action: "reject" | "mask";
  };
  readonly sessions: { access_token_expiry: number; refresh_token_expiry: number };
  readonly blocks: { history: "collapse" | "hide" };
  readonly notifications: {
    direct_level: "all" | "mentions" | "none";
    group_level: "all" | "mentions" | "none";
  };
  readonly accounts: {
    deleted_messages: "erase" | "keep";
    export_expiry: number;
    job_poll_interval: number;
    batch_size: number;
  };
  readonly retention: {
    messages: number;
    interval: number;
    batch_size: number;
    batch_pause: number;
  };
  readonly push: {
    enabled: boolean;
    grace: number;
    payload: "full" | "ids";
    vapid: { public_key?: string; private_key?: string; subject: string };
    allow_http: boolean;
    timeout: number;
    ttl: number;
    max_attempts: number;
    retry_base: number;
    retry_max: number;
    poll_interval: number;
    lease: number;
    concurrency: number;
    retention: number;
  };
}
