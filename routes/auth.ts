import { Router } from "express";
import type { Services } from "../lib/services";

/** Public: register and log in. */
export function authRouter(services: Services): Router {
  const router = Router();
  router.post("/register", async (req, res) => {
    res.status(201).json(await services.users.register(req.body));
  });
  router.post("/login", async (req, res) => {
    // Per username and IP, so one attacker cannot lock a user out from everywhere.
    const username = typeof req.body?.username === "string" ? req.body.username : "";
    const key = `${username.trim().toLowerCase()}|${req.ip}`;
    await services.rateLimits.enforce("login", key);
    const result = await services.users.login(req.body);
    await services.rateLimits.reset("login", key);
    res.json(result);
  });
  return router;
}
