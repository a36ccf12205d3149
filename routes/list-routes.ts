import type { Express, Router } from "express";

interface Layer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: Router & { stack?: Layer[] };
}

/**
 * Every route the Express app answers, as "METHOD /path/{param}" (OpenAPI style), found
 * by walking the router stack; the OpenAPI test compares it with the document.
 */
export function listRoutes(app: Express): string[] {
  const routes: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const path =
          (prefix + layer.route.path).replace(/:(\w+)/g, "{$1}").replace(/\/$/, "") || "/";
        for (const method of Object.keys(layer.route.methods))
          routes.push(`${method.toUpperCase()} ${path}`);
      } else if (layer.handle?.stack) {
        walk(
          layer.handle.stack,
          prefix + (layer.rawPath && layer.rawPath !== "/" ? layer.rawPath : ""),
        );
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, "");
  return [...new Set(routes)].sort();
}
