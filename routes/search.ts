import { Router } from "express";
import type { Services } from "../lib/services";
import { callerId } from "./auth-middleware";

/** `GET /search/messages` and `GET /search/conversations`. */
export function searchRouter(services: Services): Router {
  const router = Router();
  router.get("/messages", async (req, res) => {
    res.json(await services.search.searchMessages(callerId(req), req.query));
  });
  router.get("/conversations", async (req, res) => {
    res.json(await services.search.searchConversations(callerId(req), req.query));
  });
  return router;
}
