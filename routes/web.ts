import path from "node:path";
import express, { Router } from "express";
import helmet from "helmet";
import { projectRoot } from "../lib/paths";

/**
 * The built-in web client: static files from public/ (the bundle in public/build/ is made
 * by `npm run build`). Its pages get a strict Content-Security-Policy: only same-origin
 * scripts and styles, no inline code, and sockets back to this origin.
 */
export function webRouter(): Router {
  const router = Router();
  const csp = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "blob:", "data:"],
      mediaSrc: ["'self'", "blob:"],
      connectSrc: ["'self'", "ws:", "wss:"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  });
  const files = express.static(path.join(projectRoot(), "public"), {
    index: "index.html",
    fallthrough: true,
    setHeaders(res, file) {
      // The page itself is never cached, so a new build is picked up on reload.
      if (file.endsWith(".html")) res.setHeader("Cache-Control", "no-cache");
    },
  });
  // Only the client's own paths, so the API and other pages keep their own headers.
  router.get(["/", "/index.html", "/app.css", "/favicon.svg", "/build/*path"], csp, files);
  return router;
}
