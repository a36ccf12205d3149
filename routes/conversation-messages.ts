import { Router } from "express";
import type { Services } from "../lib/services";
import { callerId } from "./auth-middleware";

/** `/conversations/:id/messages`: sending and history (mounted beside the conversations router). */
export function conversationMessagesRouter(services: Services): Router {
  const router = Router();
  router.post("/:id/messages", async (req, res) => {
    const { message, created } = await services.messages.sendMessage(
      callerId(req),
      req.params.id,
      req.body,
    );
    if (created) services.metrics.messageSent("rest");
    res.status(created ? 201 : 200).json(message);
  });
  router.get("/:id/messages", async (req, res) => {
    res.json(await services.messages.listMessages(callerId(req), req.params.id, req.query));
  });
  return router;
}
