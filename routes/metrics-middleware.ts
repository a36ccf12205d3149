import type { Request, RequestHandler } from "express";
import type { Metrics } from "../lib/metrics";

/**
 * Times every request into `http_request_duration_seconds`, labelled with the matched
 * route pattern (`/api/v1/conversations/:id`), never the raw URL, so ids do not explode
 * the label set. Express sets `req.route` when a route matches, while `req.baseUrl` is
 * still the router's mount path; we capture both at that moment because an error handler
 * later sees `baseUrl` reset. Requests no route matched are labelled `unmatched`.
 */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    let pattern: string | undefined;
    let route: Request["route"];
    Object.defineProperty(req, "route", {
      configurable: true,
      enumerable: true,
      get: () => route,
      set: (value: Request["route"]) => {
        route = value;
        const path: unknown = value?.path;
        if (typeof path === "string") pattern = req.baseUrl + path;
        else if (Array.isArray(path)) pattern = req.baseUrl + path.join("|");
      },
    });
    res.once("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequest(req.method, pattern ?? "unmatched", res.statusCode, seconds);
    });
    next();
  };
}
