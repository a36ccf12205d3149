import cluster from "node:cluster";
import { ConfigError, loadConfig } from "../config/load-config";
import { createApp } from "./app";
import { drainAndExit, drainOnSignals } from "./drain-on-signals";
import { createLogger, Logger } from "./logger";
import { startPrimary } from "./workers/primary";
import { startWorkerNode, WORKER_LISTEN } from "./workers/worker";
import { SLOT_ENV } from "./workers/worker-identity";
import type { Config } from "../config/load-config";

/**
 * `npm start`: load config, start the service, drain on SIGTERM / SIGINT (no readiness
 * wait). With `server.workers` > 1 this process is the primary and the workers run this
 * file too, as nodes behind it.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(cluster.isWorker ? { overrides: WORKER_LISTEN } : {});
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(2);
  }
  const logger = createLogger(config.logging);
  if (cluster.isWorker) return runWorker(config, logger.child({ worker: workerSlot() }));
  if (config.server.workers > 1) return runPrimary(config, logger.child({ role: "primary" }));
  const app = await orExit(createApp(config, { logger }), logger);
  // A start that fails (a port in use) has already closed what it opened.
  const url = await orExit(app.start(), logger);
  logListening(url, config, logger);
  drainOnSignals(app, config, logger);
}

/** What a start step resolves with; when it fails, the process says why and exits 1. */
function orExit<T>(step: Promise<T>, logger: Logger): Promise<T> {
  return step.catch((error: Error) => {
    logger.error("could not start", { error: error.message });
    process.exit(1);
  });
}

function logListening(url: string, config: Config, logger: Logger): void {
  logger.info(`messaging service listening on ${url}`, {
    rest: `${url}/api/v1`,
    websocket: url.replace("http", "ws") + config.server.websocket_path,
    get_a_token: "POST /api/v1/auth/register {username, password} or `npm run token -- <username>`",
  });
}

function workerSlot(): number {
  return Number(process.env[SLOT_ENV] ?? cluster.worker?.id);
}

/** A worker: a full node whose connections come from the primary. */
async function runWorker(config: Config, logger: Logger): Promise<void> {
  let stop: () => void = () => process.exit(1);
  // The primary is gone (killed): no connection can reach this worker any more.
  process.once("disconnect", () => stop());
  const app = await orExit(startWorkerNode(config, logger), logger);
  stop = () => {
    void drainAndExit(app, config, logger, true);
  };
  drainOnSignals(app, config, logger);
}

/** The primary: forks the workers, owns the port, passes signals on, exits with them. */
async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const primary = await orExit(startPrimary(config, logger), logger);
  logListening(primary.url, config, logger);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      logger.info(`${signal}: stopping the workers`);
      void primary.stop(signal).then((code) => {
        logger.info("stopped", { exit_code: code });
        process.exit(code);
      });
    });
  }
}

void main();
