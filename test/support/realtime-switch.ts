import type { BrowserContext, WebSocketRoute } from "playwright-core";

/**
 * Stands between a browser context's Socket.IO connections and the service: it can take
 * the realtime side down (open connections close, new ones are refused) while pages and
 * REST still load, and it can swallow what the service sends (acks, events) while the
 * page's frames still reach it.
 */
export class RealtimeSwitch {
  private down = false;
  /** While true, frames from the service are dropped (the page hears nothing). */
  deaf = false;
  private readonly open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();

  static async install(context: BrowserContext): Promise<RealtimeSwitch> {
    const routes = new RealtimeSwitch();
    await context.routeWebSocket(/\/socket\.io\//, (ws) => routes.route(ws));
    return routes;
  }

  /** Closes every realtime connection and refuses new ones until `restore`. */
  async cut(): Promise<void> {
    this.down = true;
    const pairs = [...this.open];
    this.open.clear();
    await Promise.all(pairs.flatMap(({ page, server }) => [page.close(), server.close()]));
  }

  restore(): void {
    this.down = false;
    this.deaf = false;
  }

  private route(page: WebSocketRoute): void {
    if (this.down) {
      void page.close({ code: 1001, reason: "network down" });
      return;
    }
    const server = page.connectToServer();
    server.onMessage((message) => {
      if (!this.deaf) page.send(message);
    });
    this.open.add({ page, server });
  }
}
