import { Response, Router } from "express";
import { pipeline } from "node:stream/promises";
import type { Services } from "../lib/services";
import { adminPrincipal } from "./admin";
import { callerId } from "./auth-middleware";
import { contentDisposition } from "./files";

const address = (req: { ip?: string }) => req.ip ?? "unknown";

/** Public session routes (before authentication): refresh and sign out of one session. */
export function sessionPublicRouter(services: Services): Router {
  const router = Router();
  router.post("/refresh", async (req, res) => {
    await services.rateLimits.enforce("auth", address(req));
    res.json(await services.sessions.refresh(req.body));
  });
  router.post("/logout", async (req, res) => {
    await services.sessions.logout(req.body);
    res.status(204).end();
  });
  return router;
}

/** Signed-in session routes: sign out everywhere, change the password. */
export function sessionRouter(services: Services): Router {
  const router = Router();
  router.post("/logout-all", async (req, res) => {
    await services.sessions.logoutAll(callerId(req));
    res.status(204).end();
  });
  router.post("/password", async (req, res) => {
    await services.rateLimits.enforce("auth", address(req));
    res.json(await services.sessions.changePassword(callerId(req), req.body, address(req)));
  });
  return router;
}

/** The signed link of a data export (public: the signature is the credential). */
export function exportArchiveRouter(services: Services): Router {
  const router = Router();
  router.get("/:id/archive", async (req, res) => {
    const { stream, filename, size } = await services.accounts.openArchive(
      req.params.id,
      req.query,
    );
    res.setHeader("Content-Type", "application/zip");
    res.setHeader("Content-Length", String(size));
    res.setHeader("Content-Disposition", contentDisposition(filename));
    res.setHeader("Cache-Control", "private, no-store");
    await pipeline(stream, res).catch(() => res.destroy());
  });
  return router;
}

/** `/users/me`: delete one's account, data exports. */
export function accountRouter(services: Services): Router {
  const router = Router();
  router.delete("/me", async (req, res) => {
    await services.accounts.deleteOwnAccount(callerId(req), req.body, address(req));
    res.status(204).end();
  });
  router.post("/me/exports", async (req, res) => {
    res.status(202).json(await services.accounts.requestExport(callerId(req)));
  });
  router.get("/me/exports/:id", async (req, res) => {
    res.json(await services.accounts.getExport(callerId(req), req.params.id));
  });
  return router;
}

/** `/blocks`: the caller's blocks and mutes. */
export function blocksRouter(services: Services): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    res.json(await services.blocks.list(callerId(req), req.query));
  });
  router.post("/", async (req, res) => {
    const { block, created } = await services.blocks.block(callerId(req), req.body);
    res.status(created ? 201 : 200).json(block);
  });
  router.delete("/:userId", async (req, res) => {
    await services.blocks.unblock(callerId(req), req.params.userId);
    res.status(204).end();
  });
  return router;
}

/** `POST /messages/:id/report`. */
export function reportRouter(services: Services): Router {
  const router = Router();
  router.post("/:id/report", async (req, res) => {
    res.status(201).json(await services.reports.report(callerId(req), req.params.id, req.body));
  });
  return router;
}

/** `/conversations/:id/retention`. */
export function retentionRouter(services: Services): Router {
  const router = Router();
  router.get("/:id/retention", async (req, res) => {
    res.json(await services.retention.get(callerId(req), req.params.id));
  });
  router.put("/:id/retention", async (req, res) => {
    res.json(await services.retention.set(callerId(req), req.params.id, req.body));
  });
  return router;
}

/** `/admin/reports` and `DELETE /admin/users/:id`. */
export function adminSafetyRouter(services: Services): Router {
  const router = Router();
  const as = (res: Response) => adminPrincipal(services, res);
  router.get("/reports", async (req, res) => {
    res.json(await services.reports.list(await as(res), req.query));
  });
  router.get("/reports/:id", async (req, res) => {
    res.json(await services.reports.get(await as(res), req.params.id));
  });
  router.post("/reports/:id/resolve", async (req, res) => {
    res.json(await services.reports.resolve(await as(res), req.params.id, req.body));
  });
  router.delete("/users/:id", async (req, res) => {
    await services.accounts.adminDeleteUser(await as(res), req.params.id);
    res.status(204).end();
  });
  return router;
}
