import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer } from "ws";
import { CloseReason, socketIoTransport } from "../../client/src/index";

describe("client SDK Socket.IO transport", function () {
  // Socket.IO alone waits 20 s (its connect timeout) for a handshake that can never come.
  this.timeout(5000);
  let server: http.Server;
  let url: string;

  before(async () => {
    server = http.createServer();
    // Accepts the WebSocket, then closes it before the Engine.IO handshake (a proxy or
    // a dying node can do this).
    const sockets = new WebSocketServer({ server });
    sockets.on("connection", (socket) => socket.close(1001, "going away"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  it("reports a connection closed before its handshake at once, as never opened", async () => {
    const reason = await new Promise<CloseReason>((resolve) => {
      socketIoTransport()(
        { url, token: "t", since: null },
        { frame: () => assert.fail("no frame expected"), close: resolve },
      );
    });
    assert.equal(reason.opened, false);
    assert.equal(reason.code, undefined);
  });
});
