import { Router } from "express";
import type { Services } from "../lib/services";
import { principalOf } from "./auth-middleware";

/** `/bots…`: an API key (with `write`) creates its bot and registers its slash commands. */
export function botsRouter(services: Services): Router {
  const router = Router();
  const { bots } = services;
  router.post("/", async (req, res) => {
    res.status(201).json(await bots.createBot(principalOf(res), req.body));
  });
  router.get("/me", async (_req, res) => {
    res.json(await bots.getBot(principalOf(res)));
  });
  router.get("/me/commands", async (_req, res) => {
    res.json({ data: await bots.listCommands(principalOf(res)), next_cursor: null });
  });
  router.put("/me/commands/:name", async (req, res) => {
    const { command, secret, created } = await bots.registerCommand(
      principalOf(res),
      req.params.name,
      req.body,
    );
    res.status(created ? 201 : 200).json(secret ? { ...command, secret } : command);
  });
  router.delete("/me/commands/:name", async (req, res) => {
    await bots.deleteCommand(principalOf(res), req.params.name);
    res.status(204).end();
  });
  return router;
}
