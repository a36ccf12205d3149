import type { Config } from "../config/load-config";
import type { Logger } from "../lib/logger";
import type { RealtimeHub } from "../lib/realtime/realtime-hub";
import type { Services } from "../lib/services";
import type { Dispatch } from "./protocol";

/** What both transports need: the hub to register connections, the dispatcher, services. */
export interface TransportDeps {
  config: Config;
  services: Services;
  hub: RealtimeHub;
  dispatch: Dispatch;
  logger: Logger;
}

/** Reports a failed background call (presence bookkeeping) without failing the socket. */
export function logFailure(logger: Logger, what: string) {
  return (error: unknown): void => {
    logger.warn(`${what} failed`, { error: (error as Error).message });
  };
}
