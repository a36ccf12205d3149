import http from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, WebSocket } from "ws";
import { serveParent } from "../child-process";
import { BareRooms } from "./bare-rooms";

/**
 * Baseline: the least a raw WebSocket broadcast server can do for the same workload — no
 * auth, no persistence, no validation. Speaks the contract's frames (ready, ack,
 * message.new) plus `join` so the same generator drives it.
 */
const rooms = new BareRooms<WebSocket>();
const server = http.createServer();
const wss = new WebSocketServer({ server, path: "/ws", perMessageDeflate: false });

wss.on("connection", (socket, request) => {
  const userId = new URL(request.url ?? "/", "http://x").searchParams.get("token") ?? "anonymous";
  const joined: string[] = [];
  socket.send(
    JSON.stringify({
      type: "ready",
      data: { user_id: userId, connection_id: userId, cursor: null },
    }),
  );
  socket.on("message", (raw) => {
    const frame = JSON.parse((raw as Buffer).toString());
    if (frame.type === "join") {
      for (const id of frame.conversation_ids) rooms.join(id, socket);
      joined.push(...frame.conversation_ids);
      socket.send(JSON.stringify({ type: "ack", request_id: frame.request_id, data: {} }));
    } else if (frame.type === "message.send") {
      const message = rooms.message(userId, frame);
      // Serialise once, send the same string to every member.
      const payload = JSON.stringify({ type: "message.new", data: message });
      for (const member of rooms.members(frame.conversation_id)) {
        if (member !== socket && member.readyState === WebSocket.OPEN) member.send(payload);
      }
      socket.send(JSON.stringify({ type: "ack", request_id: frame.request_id, data: message }));
    }
  });
  socket.on("close", () => {
    for (const id of joined) rooms.leave(id, socket);
  });
});

server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  serveParent(`http://127.0.0.1:${port}`, {}, async () => {
    for (const client of wss.clients) client.terminate();
    server.close();
  });
});
