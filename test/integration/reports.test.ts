import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { registerUser, TestUser } from "../support/factories";
import { IntegrationApp, startIntegrationApp } from "../support/integration-fixtures";
import { openConversation, send } from "../support/message-fixtures";
import { WebhookReceiver } from "../support/webhook-receiver";

for (const backend of backends()) {
  describe(`reports [${backend.name}]`, () => {
    let started: IntegrationApp;
    let alice: TestUser;
    let bob: TestUser;
    let group: string;

    beforeEach(async () => {
      started = await startIntegrationApp(backend, { rate_limits: { reports_per_hour: 3 } });
      [alice, bob] = await Promise.all([
        registerUser(started.url, "alice"),
        registerUser(started.url, "bob"),
      ]);
      group = await openConversation([alice, bob]);
    });

    it("stores the message as it was, emits report.created to webhooks, and admins resolve it", async () => {
      const receiver = await WebhookReceiver.start();
      try {
        const hook = await started.admin.api.post("/api/v1/webhooks", {
          url: receiver.url,
          event_types: ["report.created", "report.resolved"],
        });
        assert.equal(hook.status, 201, JSON.stringify(hook.body));
        const message = await send(bob, group, "something nasty");
        const report = await alice.api.post(`/api/v1/messages/${message.id}/report`, {
          reason: "harassment",
          note: "again and again",
        });
        assert.equal(report.status, 201, JSON.stringify(report.body));
        assert.equal(report.body.status, "open");
        assert.equal(report.body.sender_id, bob.id);
        await bob.api.put(`/api/v1/messages/${message.id}`, { content: "something nice" });

        await receiver.waitFor(() => receiver.ofType("report.created").length === 1, "report");
        const delivered = receiver.ofType("report.created")[0].json;
        assert.equal(delivered.data.id, report.body.id);
        assert.ok(!JSON.stringify(delivered).includes("nasty"), "the event carries no text");

        assert.equal((await alice.api.get("/api/v1/admin/reports")).status, 403);
        const open = await started.admin.api.get("/api/v1/admin/reports?status=open");
        assert.equal(open.status, 200);
        const listed = open.body.data.find((r: { id: string }) => r.id === report.body.id);
        assert.equal(listed.message.content, "something nasty", "as it was when reported");
        assert.equal(listed.note, "again and again");

        const resolved = await started.admin.api.post(
          `/api/v1/admin/reports/${report.body.id}/resolve`,
          { resolution: "dismissed", note: "talked to them" },
        );
        assert.equal(resolved.status, 200);
        assert.equal(resolved.body.status, "resolved");
        assert.equal(resolved.body.resolved_by.user_id, started.admin.id);
        const again = await started.admin.api.post(
          `/api/v1/admin/reports/${report.body.id}/resolve`,
          { resolution: "dismissed" },
        );
        assert.equal(again.status, 409);
        await receiver.waitFor(() => receiver.ofType("report.resolved").length === 1, "resolved");
        const audit = await started.admin.api.get(
          `/api/v1/admin/audit-log?target_id=${report.body.id}`,
        );
        assert.deepEqual(
          audit.body.data.map((entry: { action: string }) => entry.action),
          ["report.resolve"],
        );
      } finally {
        await receiver.close();
      }
    });

    it("is for members only, validated, and rate limited per user", async () => {
      const carol = await registerUser(started.url, "carol");
      const message = await send(bob, group, "hello");
      const path = `/api/v1/messages/${message.id}/report`;
      assert.equal((await carol.api.post(path, { reason: "spam" })).status, 404);
      assert.equal((await alice.api.post(path, { reason: "boring" })).status, 400);
      for (let i = 0; i < 3; i += 1) {
        assert.equal((await alice.api.post(path, { reason: "spam" })).status, 201);
      }
      const limited = await alice.api.post(path, { reason: "spam" });
      assert.equal(limited.status, 429);
      assert.ok(Number(limited.headers.get("retry-after")) > 0);
      const stored = await started.app.database.knex("reports").where({ reporter_id: alice.id });
      assert.equal(stored.length, 3);
    });
  });
}
