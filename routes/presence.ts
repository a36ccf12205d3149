import { Router } from "express";
import type { Services } from "../lib/services";

/**
 * `GET /users/online` and `GET /users/:id/presence`, mounted on /users before the users
 * router so that `/online` is never taken for a user id.
 */
export function presenceRouter(services: Services): Router {
  const router = Router();
  router.get("/online", async (req, res) => {
    res.json(await services.presence.listOnline(req.query));
  });
  router.get("/:id/presence", async (req, res) => {
    res.json(await services.presence.getPresence(req.params.id));
  });
  return router;
}
