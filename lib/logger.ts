import winston from "winston";

export type Logger = winston.Logger;

const SECRET_KEYS = /^(password|token|authorization|jwt_secret|secret|secret_access_key|cookie)$/i;

/** Replaces secrets in log fields, including `token=` in URLs. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string")
    return value.replace(/([?&](?:token|access_token)=)[^&\s]+/gi, "$1[redacted]");
  if (!value || typeof value !== "object" || depth > 4) return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      SECRET_KEYS.test(key) ? "[redacted]" : redact(child, depth + 1),
    ]),
  );
}

const redactFormat = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === "level" || key === "stack") continue;
    info[key] = SECRET_KEYS.test(key) ? "[redacted]" : redact(info[key]);
  }
  return info;
});

/** The one logger: JSON lines (or pretty for humans), secrets redacted. */
export function createLogger(options: { level: string; format: "json" | "pretty" }): Logger {
  const silent = options.level === "silent";
  return winston.createLogger({
    level: silent ? "error" : options.level,
    silent,
    format: winston.format.combine(
      redactFormat(),
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      options.format === "pretty"
        ? winston.format.combine(winston.format.colorize(), winston.format.simple())
        : winston.format.json(),
    ),
    transports: [new winston.transports.Console({ stderrLevels: ["error", "warn"] })],
  });
}
