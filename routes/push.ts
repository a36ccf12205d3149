import { Router } from "express";
import type { Services } from "../lib/services";
import { callerId } from "./auth-middleware";

/** `/push/…`: the caller's push devices (Web Push subscriptions, gateway pushers). */
export function pushRouter(services: Services): Router {
  const router = Router();
  const { pushDevices } = services;
  router.get("/vapid-public-key", async (_req, res) => {
    res.json(await pushDevices.webPushKey());
  });
  router.post("/devices", async (req, res) => {
    const { device, created } = await pushDevices.register(callerId(req), req.body);
    res.status(created ? 201 : 200).json(device);
  });
  router.get("/devices", async (req, res) => {
    res.json(await pushDevices.list(callerId(req), req.query));
  });
  router.delete("/devices/:id", async (req, res) => {
    await pushDevices.remove(callerId(req), req.params.id);
    res.status(204).end();
  });
  return router;
}
