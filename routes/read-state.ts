import { Router } from "express";
import type { Services } from "../lib/services";
import { callerId } from "./auth-middleware";

/**
 * Notifications and read state beyond one pointer (mounted at /api/v1): levels and mutes,
 * badges, mark unread, thread reads, delivered acknowledgements, the privacy switch.
 */
export function readStateRouter(services: Services): Router {
  const router = Router();
  const { notifications, readState } = services;
  router.put("/conversations/:id/notifications", async (req, res) => {
    res.json(await notifications.updateSettings(callerId(req), req.params.id, req.body));
  });
  router.post("/conversations/:id/unread", async (req, res) => {
    res.json(await readState.markUnread(callerId(req), req.params.id, req.body));
  });
  router.post("/conversations/:id/delivered", async (req, res) => {
    res.json(await readState.acknowledgeDelivered(callerId(req), req.params.id, req.body));
  });
  router.get("/conversations/:id/threads", async (req, res) => {
    res.json(await readState.unreadThreads(callerId(req), req.params.id));
  });
  router.post("/messages/:id/thread-read", async (req, res) => {
    res.json(await readState.markThreadRead(callerId(req), req.params.id));
  });
  router.get("/users/me/badges", async (req, res) => {
    res.json(await notifications.badges(callerId(req)));
  });
  router.get("/users/me/privacy", async (req, res) => {
    res.json(await notifications.privacy(callerId(req)));
  });
  router.put("/users/me/privacy", async (req, res) => {
    res.json(await notifications.setPrivacy(callerId(req), req.body));
  });
  return router;
}
