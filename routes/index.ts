import express, { Express } from "express";
import helmet from "helmet";
import type { Config } from "../config/load-config";
import { headerLimitError } from "../lib/http-server";
import { newId } from "../lib/ids";
import type { Services } from "../lib/services";
import { workerIdentity } from "../lib/workers/worker-identity";
import { authenticate, requireKeyScope } from "./auth-middleware";
import { adminRouter } from "./admin";
import { botsRouter } from "./bots";
import { webhooksRouter } from "./webhooks";
import { pushRouter } from "./push";
import { authRouter } from "./auth";
import { conversationsRouter } from "./conversations";
import { docsRouter } from "./docs";
import { errorHandler, notFoundHandler } from "./http-errors";
import { presenceRouter } from "./presence";
import { filesRouter } from "./files";
import { searchRouter } from "./search";
import { httpMetrics } from "./metrics-middleware";
import { metricsAccess } from "./metrics-access";
import { jsonBody } from "./json-body";
import { rateLimit } from "./rate-limit-middleware";
import { syncRouter } from "./sync";
import { usersRouter } from "./users";
import { conversationMessagesRouter } from "./conversation-messages";
import { compileTrustProxy } from "../lib/client-address";
import { messagesRouter } from "./messages";
import { readStateRouter } from "./read-state";
import { webRouter } from "./web";
import {
  accountRouter,
  adminSafetyRouter,
  blocksRouter,
  exportArchiveRouter,
  reportRouter,
  retentionRouter,
  sessionPublicRouter,
  sessionRouter,
} from "./accounts";

/** The Express app: REST under /api/v1, operations endpoints, one error mapper. */
export function createHttpApp(config: Config, services: Services): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", compileTrustProxy(config.server.trust_proxy));
  app.set("query parser", "simple");
  app.use((req, _res, next) => next(headerLimitError(req)));
  app.use(helmet());
  app.use(httpMetrics(services.metrics));
  app.use((req, res, next) => {
    res.locals.requestId = newId();
    res.setHeader("X-Request-Id", res.locals.requestId);
    next();
  });

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", ...workerIdentity() });
  });
  app.get("/readyz", async (_req, res) => {
    const report = await services.health.report();
    res.status(report.ready ? 200 : 503).json(report);
  });

  app.get("/metrics", metricsAccess(config, services.logger), async (_req, res) => {
    res.type(services.metrics.contentType).send(await services.metrics.render());
  });
  app.use(docsRouter());
  // The web client at / (static, before the API so its pages never hit the API's 404).
  app.use(webRouter());

  const api = express.Router();
  api.use(rateLimit(services, "ip"));
  api.use(express.json({ limit: config.server.json_limit }));
  api.use(jsonBody);
  api.use("/auth", authRouter(services));
  api.use("/auth", sessionPublicRouter(services));
  api.use("/exports", exportArchiveRouter(services));
  api.use(authenticate(services));
  api.use(rateLimit(services, "rest"));
  api.use(requireKeyScope());
  api.use("/auth", sessionRouter(services));
  api.use("/admin", adminRouter(services));
  api.use("/admin", adminSafetyRouter(services));
  api.use("/webhooks", webhooksRouter(services));
  api.use("/bots", botsRouter(services));
  api.use(readStateRouter(services));
  api.use("/users", presenceRouter(services));
  api.use("/users", accountRouter(services));
  api.use("/users", usersRouter(services));
  api.use("/blocks", blocksRouter(services));
  api.use("/conversations", conversationsRouter(services));
  api.use("/search", searchRouter(services));
  api.use("/files", filesRouter(services, config.storage));
  api.use("/conversations", conversationMessagesRouter(services));
  api.use("/messages", messagesRouter(services));
  api.use("/messages", reportRouter(services));
  api.use("/conversations", retentionRouter(services));
  api.use("/sync", syncRouter(services));
  api.use("/push", pushRouter(services));
  app.use("/api/v1", api);

  app.use(notFoundHandler);
  app.use(errorHandler(services.logger));
  return app;
}
