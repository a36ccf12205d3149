import path from "node:path";
import express, { Router } from "express";
import { buildOpenApiDocument } from "../lib/openapi/openapi-document";
import { projectRoot } from "../lib/paths";
import { buildAsyncApiDocument } from "../sockets/asyncapi-document";

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Messaging service API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const INIT_SCRIPT = `window.ui = SwaggerUIBundle({ url: "/api/v1/openapi.json", dom_id: "#swagger-ui" });`;

/**
 * The OpenAPI document of the REST API and the AsyncAPI document of the realtime protocol
 * (both public), and a browsable page at /docs (Swagger UI, no inline script).
 */
export function docsRouter(): Router {
  const router = Router();
  const document = buildOpenApiDocument();
  const asyncApi = buildAsyncApiDocument();
  router.get("/api/v1/openapi.json", (_req, res) => {
    res.json(document);
  });
  router.get("/api/v1/asyncapi.json", (_req, res) => {
    res.json(asyncApi);
  });
  router.get("/docs", (_req, res) => {
    res.setHeader(
      "Content-Security-Policy",
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'",
    );
    res.type("html").send(DOCS_PAGE);
  });
  router.get("/docs/init.js", (_req, res) => {
    res.type("application/javascript").send(INIT_SCRIPT);
  });
  router.use(
    "/docs/assets",
    express.static(path.join(projectRoot(), "node_modules", "swagger-ui-dist"), {
      index: false,
      maxAge: "1h",
    }),
  );
  return router;
}
