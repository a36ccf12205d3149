import { Router } from "express";
import type { Services } from "../lib/services";
import { callerId } from "./auth-middleware";

export function usersRouter(services: Services): Router {
  const router = Router();
  router.get("/me", async (req, res) => {
    res.json(await services.users.getUser(callerId(req)));
  });
  router.get("/", async (req, res) => {
    res.json(await services.users.searchUsers(req.query));
  });
  router.get("/:id", async (req, res) => {
    res.json(await services.users.getUser(req.params.id));
  });
  return router;
}
