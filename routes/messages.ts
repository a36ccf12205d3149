import { Router } from "express";
import type { Services } from "../lib/services";
import { callerId } from "./auth-middleware";
import { validate } from "../lib/validation";
import { receiptsQuerySchema } from "../lib/domain/messages/read-state-schemas";

/** `/messages/:id…`: one message, its thread, edits, reactions and read state. */
export function messagesRouter(services: Services): Router {
  const router = Router();
  const messages = services.messages;
  router.get("/:id", async (req, res) => {
    res.json(await messages.getMessage(callerId(req), req.params.id));
  });
  router.put("/:id", async (req, res) => {
    res.json(await messages.editMessage(callerId(req), req.params.id, req.body));
  });
  router.delete("/:id", async (req, res) => {
    await messages.deleteMessage(callerId(req), req.params.id);
    res.status(204).end();
  });
  router.get("/:id/replies", async (req, res) => {
    res.json(await messages.listReplies(callerId(req), req.params.id, req.query));
  });
  router.get("/:id/edits", async (req, res) => {
    res.json({ data: await messages.listEdits(callerId(req), req.params.id), next_cursor: null });
  });
  router.post("/:id/reactions", async (req, res) => {
    const { created, message } = await messages.addReaction(callerId(req), req.params.id, req.body);
    res.status(created ? 201 : 200).json(message);
  });
  router.delete("/:id/reactions/:emoji", async (req, res) => {
    await messages.removeReaction(callerId(req), req.params.id, req.params.emoji);
    res.status(204).end();
  });
  router.post("/:id/read", async (req, res) => {
    res.json(await messages.markRead(callerId(req), req.params.id));
  });
  router.get("/:id/receipts", async (req, res) => {
    const { view } = validate(receiptsQuerySchema, req.query);
    if (view === "status") {
      res.json(await messages.receiptStatus(callerId(req), req.params.id));
      return;
    }
    // The contract gives receipts as a plain array (every member at most once, no paging).
    res.json(await messages.listReceipts(callerId(req), req.params.id));
  });
  return router;
}
