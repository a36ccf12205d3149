import net from "node:net";

/**
 * A TCP proxy in front of a test app, standing in for the network between a client and
 * the service: it can swallow everything the service sends (acks, events) while still
 * passing what the client sends, and cut every connection, as a lost network does.
 */
export class TcpProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  /** While true, bytes from the service are dropped (the client hears nothing). */
  dropDownstream = false;

  private constructor(private upstreamPort: number) {
    this.server = net.createServer((client) => this.pipe(client));
  }

  static async start(upstreamUrl: string): Promise<TcpProxy> {
    const proxy = new TcpProxy(Number(new URL(upstreamUrl).port));
    await new Promise<void>((resolve) => proxy.server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  /** Points new connections at another service node. */
  retarget(upstreamUrl: string): void {
    this.upstreamPort = Number(new URL(upstreamUrl).port);
  }

  /** Drops every open connection (both sides see a reset). */
  cut(): void {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pipe(client: net.Socket): void {
    const upstream = net.connect(this.upstreamPort, "127.0.0.1");
    const pair: [net.Socket, net.Socket] = [client, upstream];
    this.pairs.add(pair);
    const end = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => {
      if (!this.dropDownstream) client.write(chunk);
    });
    for (const socket of pair) {
      socket.on("error", end);
      socket.on("close", end);
    }
  }
}
