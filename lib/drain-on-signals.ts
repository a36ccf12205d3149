import type { Config } from "../config/load-config";
import type { App } from "./app";
import type { Logger } from "./logger";

/**
 * SIGTERM / SIGINT drain the node, then exit 0 (1 when the drain fails or overruns
 * `server.shutdown_timeout`); a second signal skips the rest of the readiness drain.
 */
export function drainOnSignals(app: App, config: Config, logger: Logger): void {
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
      // SIGTERM comes from an orchestrator whose load balancer needs the readiness drain;
      // SIGINT is a person at a terminal (Ctrl-C), who has no load balancer to tell.
      void drainAndExit(app, config, logger, signal === "SIGINT");
    });
  }
}

/** Stops the node and exits: 0 once drained, 1 on failure or past the deadline. */
export function drainAndExit(
  app: App,
  config: Config,
  logger: Logger,
  skipDrain: boolean,
): Promise<never> {
  const deadline = setTimeout(() => process.exit(1), config.server.shutdown_timeout + 2000);
  return app.stop({ skipDrain }).then(
    () => {
      clearTimeout(deadline);
      logger.info("stopped");
      process.exit(0);
    },
    (error: Error) => {
      logger.error("shutdown failed", { error: error.message });
      process.exit(1);
    },
  );
}
