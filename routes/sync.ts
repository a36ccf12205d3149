import { Router } from "express";
import type { Services } from "../lib/services";
import { callerId } from "./auth-middleware";

/** GET /sync?since=&limit=: the caller's events after a cursor (resume after a disconnect). */
export function syncRouter(services: Services): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    res.json(await services.sync.sync(callerId(req), req.query));
  });
  return router;
}
