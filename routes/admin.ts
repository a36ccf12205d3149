import { Router, Response } from "express";
import type { Principal } from "../lib/domain/integrations/principal";
import type { Services } from "../lib/services";
import { principalOf } from "./auth-middleware";

/** The caller with its service-admin role looked up (admin and webhook routes). */
export function adminPrincipal(services: Services, res: Response): Promise<Principal> {
  return services.auth.withAdminRole(principalOf(res));
}

/**
 * `/admin/…`: service admins (by token) and API keys with the `admin` scope. Users,
 * suspension, the admin role, deleting any message, usage, the audit log and API keys.
 */
export function adminRouter(services: Services): Router {
  const router = Router();
  const { admin, apiKeys } = services;
  const as = (res: Response) => adminPrincipal(services, res);

  router.get("/users", async (req, res) => {
    res.json(await admin.listUsers(await as(res), req.query));
  });
  router.get("/users/:id", async (req, res) => {
    res.json(await admin.getUser(await as(res), req.params.id));
  });
  router.post("/users/:id/suspend", async (req, res) => {
    res.json(await admin.suspendUser(await as(res), req.params.id, req.body));
  });
  router.post("/users/:id/restore", async (req, res) => {
    res.json(await admin.restoreUser(await as(res), req.params.id));
  });
  router.put("/users/:id/admin", async (req, res) => {
    res.json(await admin.setAdmin(await as(res), req.params.id, true));
  });
  router.delete("/users/:id/admin", async (req, res) => {
    res.json(await admin.setAdmin(await as(res), req.params.id, false));
  });
  router.delete("/messages/:id", async (req, res) => {
    await admin.deleteMessage(await as(res), req.params.id);
    res.status(204).end();
  });
  router.get("/usage", async (_req, res) => {
    res.json(await admin.usage(await as(res)));
  });
  router.get("/audit-log", async (req, res) => {
    res.json(await admin.auditLog(await as(res), req.query));
  });

  router.post("/api-keys", async (req, res) => {
    res.status(201).json(await apiKeys.create(await as(res), req.body));
  });
  router.get("/api-keys", async (req, res) => {
    res.json(await apiKeys.list(await as(res), req.query));
  });
  router.get("/api-keys/:id", async (req, res) => {
    res.json(await apiKeys.get(await as(res), req.params.id));
  });
  router.delete("/api-keys/:id", async (req, res) => {
    await apiKeys.revoke(await as(res), req.params.id);
    res.status(204).end();
  });
  return router;
}
