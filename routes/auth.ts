import { Router } from "express";
import type { Services } from "../lib/services";

/** Public: register and log in. */
export function authRouter(services: Services): Router {
  const router = Router();
  router.post("/register", async (req, res) => {
    const address = req.ip ?? "unknown";
    await services.rateLimits.enforce("auth", address);
    res.status(201).json(await services.users.register(req.body, address));
  });
  router.post("/login", async (req, res) => {
    const address = req.ip ?? "unknown";
    // Per address whatever the username (what each attempt costs), then per username and
    // address, so one attacker cannot lock a user out from everywhere.
    await services.rateLimits.enforce("auth", address);
    const username = typeof req.body?.username === "string" ? req.body.username : "";
    const key = `${username.trim().toLowerCase()}|${address}`;
    await services.rateLimits.enforce("login", key);
    const result = await services.users.login(req.body, address);
    await services.rateLimits.reset("login", key);
    res.json(result);
  });
  return router;
}
