import { ConfigError, loadConfig } from "../config/load-config";
import { createApp } from "./app";
import { createLogger } from "./logger";

/** `npm start`: load config, start the service, drain on SIGTERM / SIGINT (no readiness wait). */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : String(error));
    process.exit(2);
  }
  const logger = createLogger(config.logging);
  const app = await createApp(config, { logger }).catch((error: Error) => {
    logger.error("could not start", { error: error.message });
    process.exit(1);
  });
  const url = await app.start();
  logger.info(`messaging service listening on ${url}`, {
    rest: `${url}/api/v1`,
    websocket: url.replace("http", "ws") + config.server.websocket_path,
    get_a_token: "POST /api/v1/auth/register {username, password} or `npm run token -- <username>`",
  });
  let signalled = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (signalled) {
        logger.info(`${signal} again: skipping the rest of the readiness drain`);
        void app.stop({ skipDrain: true });
        return;
      }
      signalled = true;
      logger.info(`${signal}: draining`);
      const deadline = setTimeout(() => process.exit(1), config.server.shutdown_timeout + 2000);
      // SIGTERM comes from an orchestrator whose load balancer needs the readiness drain;
      // SIGINT is a person at a terminal (Ctrl-C), who has no load balancer to tell.
      app
        .stop({ skipDrain: signal === "SIGINT" })
        .then(() => {
          clearTimeout(deadline);
          logger.info("stopped");
          process.exit(0);
        })
        .catch((error: Error) => {
          logger.error("shutdown failed", { error: error.message });
          process.exit(1);
        });
    });
  }
}

void main();
