import type { Config } from "../config/load-config";
import type { Logger } from "../lib/logger";
import type { SessionGate } from "../lib/realtime/session-gate";
import type { Services } from "../lib/services";
import type { Dispatch } from "./protocol";

/** What both transports need: the gate to open sessions, the dispatcher, services. */
export interface TransportDeps {
  config: Config;
  services: Services;
  sessions: SessionGate;
  dispatch: Dispatch;
  logger: Logger;
}
