import express, { Express } from "express";
import helmet from "helmet";
import type { Config } from "../config/load-config";
import { newId } from "../lib/ids";
import type { Services } from "../lib/services";
import { authenticate } from "./auth-middleware";
import { authRouter } from "./auth";
import { docsRouter } from "./docs";
import { errorHandler, notFoundHandler } from "./http-errors";
import { presenceRouter } from "./presence";
import { usersRouter } from "./users";

/** The Express app: REST under /api/v1, operations endpoints, one error mapper. */
export function createHttpApp(config: Config, services: Services): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", config.server.trust_proxy);
  app.set("query parser", "simple");
  app.use(helmet());
  app.use((req, res, next) => {
    res.locals.requestId = newId();
    res.setHeader("X-Request-Id", res.locals.requestId);
    next();
  });

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const report = await services.health.report();
    res.status(report.ready ? 200 : 503).json(report);
  });

  app.use(docsRouter());

  const api = express.Router();
  api.use(express.json({ limit: config.server.json_limit }));
  api.use("/auth", authRouter(services));
  api.use(authenticate(services));
  api.use("/users", presenceRouter(services));
  api.use("/users", usersRouter(services));
  app.use("/api/v1", api);

  app.use(notFoundHandler);
  app.use(errorHandler(services.logger));
  return app;
}
