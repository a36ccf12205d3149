import { Router } from "express";
import type { Services } from "../lib/services";
import { adminPrincipal } from "./admin";

/**
 * `/webhooks/…`: subscriptions and their dead letters. Service admins and keys with the
 * `admin` scope reach every subscription; a key with the `webhooks` scope its own.
 */
export function webhooksRouter(services: Services): Router {
  const router = Router();
  const { webhooks } = services;
  router.post("/", async (req, res) => {
    const { subscription, secret } = await webhooks.create(
      await adminPrincipal(services, res),
      req.body,
    );
    res.status(201).json({ ...subscription, secret });
  });
  router.get("/", async (req, res) => {
    res.json(await webhooks.list(await adminPrincipal(services, res), req.query));
  });
  router.get("/:id", async (req, res) => {
    res.json(await webhooks.get(await adminPrincipal(services, res), req.params.id));
  });
  router.put("/:id", async (req, res) => {
    res.json(await webhooks.update(await adminPrincipal(services, res), req.params.id, req.body));
  });
  router.delete("/:id", async (req, res) => {
    await webhooks.remove(await adminPrincipal(services, res), req.params.id);
    res.status(204).end();
  });
  router.get("/:id/dead-letters", async (req, res) => {
    const principal = await adminPrincipal(services, res);
    res.json(await webhooks.deadLetters(principal, req.params.id, req.query));
  });
  router.post("/:id/dead-letters/:letterId/replay", async (req, res) => {
    const principal = await adminPrincipal(services, res);
    res.json(await webhooks.replay(principal, req.params.id, req.params.letterId));
  });
  return router;
}
