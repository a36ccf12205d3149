/** The validated, frozen configuration. Durations are milliseconds. */
export interface Config {
  readonly server: {
    http_port: number;
    host: string;
    websocket_path: string;
    allowed_origins: string[];
    tls: { cert?: string; key?: string; ca?: string };
    shutdown_timeout: number;
    shutdown_drain_delay: number;
    json_limit: string;
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
  readonly auth: { jwt_secret?: string; token_expiry: number; password_cost: number };
  readonly logging: { level: string; format: "json" | "pretty" };
  readonly events: {
    retention: number;
    poll_interval: number;
    publish_window: number;
    relay_lease: number;
    relay_gather: number;
  };
  readonly realtime: {
    max_payload: number;
    send_buffer_cap: number;
    heartbeat_interval: number;
    typing_timeout: number;
    typing_throttle: number;
  };
  readonly presence: { ttl: number; offline_grace: number; record_retention: number };
  readonly rate_limits: {
    rest_per_minute: number;
    ip_per_minute: number;
    messages_per_10s: number;
    frames_per_10s: number;
    logins_per_15m: number;
    uploads_per_minute: number;
    connections_per_minute: number;
  };
}
