import { Router } from "express";
import type { Services } from "../lib/services";
import { callerId } from "./auth-middleware";

/** /conversations and their members. */
export function conversationsRouter(services: Services): Router {
  const router = Router();
  const conversations = services.conversations;
  router.post("/", async (req, res) => {
    const result = await conversations.createConversation(callerId(req), req.body);
    res.status(result.created ? 201 : 200).json(result.conversation);
  });
  router.get("/", async (req, res) => {
    res.json(await conversations.listConversations(callerId(req), req.query));
  });
  router.get("/:id", async (req, res) => {
    res.json(await conversations.getConversation(callerId(req), req.params.id));
  });
  router.put("/:id", async (req, res) => {
    res.json(await conversations.updateConversation(callerId(req), req.params.id, req.body));
  });
  router.delete("/:id", async (req, res) => {
    await conversations.deleteConversation(callerId(req), req.params.id);
    res.status(204).end();
  });
  router.post("/:id/members", async (req, res) => {
    res.status(201).json(await conversations.addMember(callerId(req), req.params.id, req.body));
  });
  router.delete("/:id/members/:userId", async (req, res) => {
    await conversations.removeMember(callerId(req), req.params.id, req.params.userId);
    res.status(204).end();
  });
  return router;
}
