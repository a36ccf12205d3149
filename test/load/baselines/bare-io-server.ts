import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { serveParent } from "../child-process";
import { BareRooms } from "./bare-rooms";

/**
 * Baseline: a minimal Socket.IO broadcast server (rooms, acks; no auth, no persistence)
 * driven by the same generator as the service.
 */
const rooms = new BareRooms<never>();
const server = http.createServer();
const ioServer = new Server(server, { perMessageDeflate: false, serveClient: false });

ioServer.on("connection", (socket) => {
  const userId = String(socket.handshake.auth?.token ?? socket.id);
  socket.emit("ready", {
    type: "ready",
    data: { user_id: userId, connection_id: socket.id, cursor: null },
  });
  socket.on("join", (frame: { conversation_ids: string[] }, ack?: (reply: unknown) => void) => {
    void socket.join(frame.conversation_ids);
    ack?.({ data: {} });
  });
  socket.on(
    "message.send",
    (frame: { conversation_id: string }, ack?: (reply: unknown) => void) => {
      const message = rooms.message(userId, frame);
      socket.to(frame.conversation_id).emit("message.new", { type: "message.new", data: message });
      ack?.({ data: message });
    },
  );
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  serveParent(`http://127.0.0.1:${port}`, {}, async () => {
    // The process exits right after: closing only tells the clients.
    void ioServer.close();
  });
});
