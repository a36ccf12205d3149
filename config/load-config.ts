import fs from "node:fs";
import os from "node:os";
import Joi from "joi";
import yaml from "js-yaml";
import { CONFIG_KEYS } from "./schema";
import type { Config } from "./types";

export type { Config } from "./types";

/** Thrown when a configuration value is invalid; `key` names the offending setting. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`invalid configuration ${key}: ${message}`);
  }
}

type Tree = Record<string, unknown>;

function setPath(tree: Tree, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = tree;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
    node = node[part] as Tree;
  }
  node[parts[parts.length - 1]] = value;
}

function getPath(tree: Tree, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree);
}

/** Builds the joi object for the nested config from the flat key table. */
function buildSchema(): Joi.ObjectSchema {
  const tree: Tree = {};
  for (const key of CONFIG_KEYS) setPath(tree, key.path, key.schema);
  const toJoi = (node: Tree): Joi.ObjectSchema =>
    Joi.object(
      Object.fromEntries(
        Object.entries(node).map(([name, child]) => [
          name,
          Joi.isSchema(child) ? child : toJoi(child as Tree).default(),
        ]),
      ),
    ).unknown(false);
  return toJoi(tree);
}

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Turns `"500ms"`, `"6s"`, `"24h"` (or a number of ms) into milliseconds. */
export function durationMs(value: string | number): number {
  if (typeof value === "number") return value;
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  return Number(match[1]) * DURATION_UNITS[match[2]];
}

/** YAML `key:` with nothing after it is null: treated as unset, like a missing key. */
function dropNulls(tree: Tree): Tree {
  for (const [name, value] of Object.entries(tree)) {
    if (value === null) delete tree[name];
    else if (typeof value === "object" && !Array.isArray(value)) dropNulls(value as Tree);
  }
  return tree;
}

function readYaml(file: string): Tree {
  const parsed = yaml.load(fs.readFileSync(file, "utf8"));
  if (parsed === undefined || parsed === null) return {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(file, "the file must hold a mapping");
  }
  return dropNulls(parsed as Tree);
}

function envValue(raw: string): unknown {
  return raw.includes(",") ? raw.split(",").map((part) => part.trim()) : raw;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  file?: string | null;
  overrides?: Tree;
}

/**
 * Loads `config.yaml` (CONFIG_FILE, else ./config.yaml when present), overlays environment
 * variables, then `overrides` (what tests pass), validates and freezes the result.
 * @throws ConfigError naming the first bad key.
 */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const file =
    options.file !== undefined
      ? options.file
      : (env.CONFIG_FILE ?? (fs.existsSync("config.yaml") ? "config.yaml" : null));
  const tree: Tree = file ? readYaml(file) : {};
  for (const key of CONFIG_KEYS) {
    const raw = key.env ? env[key.env] : undefined;
    if (raw !== undefined && raw !== "") setPath(tree, key.path, envValue(raw));
  }
  if (env.NODE_ENV === "production" && getPath(tree, "server.production") === undefined) {
    setPath(tree, "server.production", true);
  }
  for (const [path, value] of flatten(options.overrides ?? {})) setPath(tree, path, value);

  const { value, error } = buildSchema().validate(tree, { abortEarly: true, convert: true });
  if (error) {
    const detail = error.details[0];
    throw new ConfigError(detail.path.join("."), detail.message);
  }
  const config = normalise(value) as unknown as Config;
  if (config.server.production) checkProduction(config);
  if (config.server.workers > 1) checkWorkers(config);
  return deepFreeze(config);
}

/** Settings that are fine on a laptop and a hole in production. */
function checkProduction(config: Config): void {
  const { database, server } = config;
  if (!database.url && !database.host && !database.embedded_in_production) {
    throw new ConfigError(
      "database.url",
      "required in production (set DATABASE_URL; database.embedded_in_production: true runs the embedded database anyway)",
    );
  }
  if (server.allowed_origins.includes("*")) {
    throw new ConfigError(
      "server.allowed_origins",
      "'*' is refused in production: list the origins of your web apps (the service's own origin is always allowed)",
    );
  }
}

/** Every worker is a full cluster node: it needs what lets nodes share users and data. */
function checkWorkers(config: Config): void {
  const { database, redis, server } = config;
  const why = `server.workers is ${server.workers}`;
  if (!database.url && !database.host) {
    throw new ConfigError(
      "server.workers",
      `${why}: set DATABASE_URL to a PostgreSQL server (the embedded database serves one process)`,
    );
  }
  if (!redis.url && !redis.host) {
    throw new ConfigError(
      "server.workers",
      `${why}: set REDIS_URL (workers reach each other's users through Redis)`,
    );
  }
  if (server.tls.cert || server.tls.key) {
    throw new ConfigError(
      "server.workers",
      `${why}: server.tls cannot be used with workers (the primary routes Socket.IO polling by reading the request, which TLS hides): terminate TLS in a proxy in front, or run one worker`,
    );
  }
}

function flatten(tree: Tree, prefix = ""): [string, unknown][] {
  return Object.entries(tree).flatMap(([name, value]) =>
    value && typeof value === "object" && !Array.isArray(value)
      ? flatten(value as Tree, `${prefix}${name}.`)
      : [[`${prefix}${name}`, value] as [string, unknown]],
  );
}

/** Durations become milliseconds and "auto" a count, so the rest of the code never parses strings. */
function normalise(value: Tree): Tree {
  const workers = getPath(value, "server.workers");
  // "auto" / 0: a full node per core; the default stays 1 because the database, Redis and
  // NATS often share the machine and want cores too.
  if (workers === "auto" || workers === 0)
    setPath(value, "server.workers", os.availableParallelism());
  for (const key of CONFIG_KEYS.filter((candidate) => candidate.duration)) {
    const raw = getPath(value, key.path);
    if (raw !== undefined) setPath(value, key.path, durationMs(raw as string | number));
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
