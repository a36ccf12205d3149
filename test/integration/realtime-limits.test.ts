import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { createGroup } from "../support/conversation-fixtures";
import { registerUser } from "../support/factories";
import { closeAll, connectIo, connectWs, RealtimeClient } from "../support/realtime-clients";
import { startTestApp } from "../support/test-app";

for (const backend of backends()) {
  describe(`realtime frame limits and send metrics [${backend.name}]`, () => {
    const clients: RealtimeClient[] = [];
    afterEach(() => closeAll(clients.splice(0)));

    it("refuses frames past the per-connection budget with rate_limited, on both transports", async () => {
      const { url } = await startTestApp(backend, { rate_limits: { frames_per_10s: 3 } });
      const user = await registerUser(url);
      for (const connect of [connectIo, connectWs]) {
        const client = await connect(url, user.token);
        clients.push(client);
        const replies = [];
        for (let i = 0; i < 5; i++) {
          replies.push(await client.request("presence.update", { status: "away" }));
        }
        assert.deepEqual(
          replies.map((reply) => reply.error?.code ?? "ok"),
          ["ok", "ok", "ok", "rate_limited", "rate_limited"],
          client.kind,
        );
      }
    });

    it("counts persisted messages by transport in messaging_messages_sent_total", async () => {
      const { url } = await startTestApp(backend);
      const user = await registerUser(url);
      const group = await createGroup(user);
      const ws = await connectWs(url, user.token);
      const io = await connectIo(url, user.token);
      clients.push(ws, io);
      const send = { conversation_id: group.id, content: "counted", client_msg_id: "same-key" };
      assert.ok((await ws.request("message.send", send)).data);
      assert.ok((await ws.request("message.send", send)).data, "a retry is acknowledged");
      assert.ok((await io.request("message.send", { ...send, client_msg_id: "other" })).data);
      const rest = await user.api.post(`/api/v1/conversations/${group.id}/messages`, {
        content: "x",
      });
      assert.equal(rest.status, 201);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const sent = (transport: string) =>
        Number(
          new RegExp(`messaging_messages_sent_total\\{transport="${transport}"\\} (\\d+)`).exec(
            metrics,
          )?.[1],
        );
      assert.equal(sent("ws"), 1, "a retried client_msg_id is not counted twice");
      assert.equal(sent("socket.io"), 1);
      assert.equal(sent("rest"), 1);
    });
  });
}
