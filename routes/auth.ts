import { Router } from "express";
import type { Services } from "../lib/services";

/** Public: register and log in. */
export function authRouter(services: Services): Router {
  const router = Router();
  router.post("/register", async (req, res) => {
    res.status(201).json(await services.users.register(req.body));
  });
  router.post("/login", async (req, res) => {
    res.json(await services.users.login(req.body));
  });
  return router;
}
