import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { registerUser, TestUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { browserKeys } from "../support/push-peers";
import { startTestApp, stopTestApp } from "../support/test-app";

const webPush = (endpoint: string) => {
  const keys = browserKeys();
  return { kind: "webpush", endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } };
};
const gateway = (pushkey: string) => ({
  kind: "gateway",
  gateway_url: "https://push.example.org/_matrix/push/v1/notify",
  app_id: "org.example.chat.android",
  pushkey,
  data: { format: "event_id_only" },
});
const uniqueEndpoint = () =>
  `https://push.example.org/wpush/${Math.random().toString(36).slice(2)}`;

for (const backend of backends()) {
  describe(`push devices over REST [${backend.name}]`, function () {
    this.timeout(60_000);
    let url: string;
    let alice: TestUser;
    let bob: TestUser;

    before(async () => {
      ({ url } = await startTestApp(backend));
    });
    beforeEach(async () => {
      [alice, bob] = [await registerUser(url, "alice"), await registerUser(url, "bob")];
    });

    describe("POST /push/devices", () => {
      it("registers a Web Push subscription and lists it without its keys", async () => {
        const body = webPush(uniqueEndpoint());
        const created = await alice.api.post("/api/v1/push/devices", body);
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.equal(created.body.kind, "webpush");
        assert.equal(created.body.endpoint, body.endpoint);
        assert.equal(created.body.keys, undefined);
        const listed = await alice.api.get("/api/v1/push/devices");
        assert.equal(listed.status, 200);
        assert.deepEqual(listed.body, { data: [created.body], next_cursor: null });
      });

      it("returns the same device with 200 when the subscription is registered again", async () => {
        const body = webPush(uniqueEndpoint());
        const first = await alice.api.post("/api/v1/push/devices", body);
        const again = await alice.api.post("/api/v1/push/devices", body);
        assert.equal(again.status, 200);
        assert.equal(again.body.id, first.body.id);
        assert.equal((await alice.api.get("/api/v1/push/devices")).body.data.length, 1);
      });

      it("moves a subscription to the user who registers it next (another sign-in on that browser)", async () => {
        const body = webPush(uniqueEndpoint());
        const first = await alice.api.post("/api/v1/push/devices", body);
        const moved = await bob.api.post("/api/v1/push/devices", body);
        assert.equal(moved.body.id, first.body.id);
        assert.equal((await alice.api.get("/api/v1/push/devices")).body.data.length, 0);
        assert.equal((await bob.api.get("/api/v1/push/devices")).body.data.length, 1);
      });

      it("registers a Matrix push gateway pusher", async () => {
        const created = await alice.api.post("/api/v1/push/devices", gateway("fcm-token-1"));
        assert.equal(created.status, 201, JSON.stringify(created.body));
        assert.deepEqual(
          {
            kind: created.body.kind,
            app_id: created.body.app_id,
            pushkey: created.body.pushkey,
            data: created.body.data,
          },
          {
            kind: "gateway",
            app_id: "org.example.chat.android",
            pushkey: "fcm-token-1",
            data: { format: "event_id_only" },
          },
        );
      });

      it("refuses a 51st device with 409 conflict, but takes one registered before", async () => {
        const bodies = Array.from({ length: 50 }, (_, i) => gateway(`many-${i}-${Date.now()}`));
        for (const body of bodies) {
          assert.equal((await alice.api.post("/api/v1/push/devices", body)).status, 201);
        }
        const over = await alice.api.post(
          "/api/v1/push/devices",
          gateway(`one-more-${Date.now()}`),
        );
        assert.equal(over.status, 409);
        assert.equal(over.body.error.code, "conflict");
        assert.equal((await alice.api.post("/api/v1/push/devices", bodies[0])).status, 200);
      });

      const invalid: [string, Record<string, unknown>, string][] = [
        ["an unknown kind", { kind: "apns" }, "kind"],
        [
          "a key that is not a P-256 point",
          {
            ...webPush(uniqueEndpoint()),
            keys: { p256dh: "AAAA", auth: "AAAAAAAAAAAAAAAAAAAAAA" },
          },
          "keys.p256dh",
        ],
        [
          "an auth secret of the wrong length",
          { ...webPush(uniqueEndpoint()), keys: { p256dh: browserKeys().p256dh, auth: "AAAA" } },
          "keys.auth",
        ],
        [
          "an http endpoint (https only by default)",
          webPush("http://push.example.org/x"),
          "endpoint",
        ],
        [
          "a gateway URL that is not a notify URL",
          { ...gateway("k"), gateway_url: "https://push.example.org/notify" },
          "gateway_url",
        ],
        [
          "a gateway field on a Web Push device",
          { ...webPush(uniqueEndpoint()), pushkey: "k" },
          "pushkey",
        ],
        ["a pusher without its pushkey", { ...gateway("k"), pushkey: undefined }, "pushkey"],
      ];
      for (const [what, body, field] of invalid) {
        it(`refuses ${what} with 400 validation_error naming ${field}`, async () => {
          const response = await alice.api.post("/api/v1/push/devices", body);
          assert.equal(response.status, 400, JSON.stringify(response.body));
          assert.equal(response.body.error.code, "validation_error");
          assert.ok(
            response.body.error.details.some((d: { field: string }) => d.field === field),
            JSON.stringify(response.body.error.details),
          );
        });
      }

      it("refuses the request without a token with 401", async () => {
        const response = await new ApiClient(url).post("/api/v1/push/devices", gateway("x"));
        assert.equal(response.status, 401);
      });
    });

    describe("DELETE /push/devices/:id", () => {
      it("deletes the caller's device", async () => {
        const { body } = await alice.api.post("/api/v1/push/devices", gateway(`k-${Date.now()}`));
        assert.equal((await alice.api.delete(`/api/v1/push/devices/${body.id}`)).status, 204);
        assert.equal((await alice.api.get("/api/v1/push/devices")).body.data.length, 0);
      });

      it("returns 404 not_found to anyone else, and leaves the device alone", async () => {
        const { body } = await alice.api.post("/api/v1/push/devices", gateway(`k-${Date.now()}`));
        const response = await bob.api.delete(`/api/v1/push/devices/${body.id}`);
        assert.equal(response.status, 404);
        assert.equal(response.body.error.code, "not_found");
        assert.equal((await alice.api.get("/api/v1/push/devices")).body.data.length, 1);
        assert.equal((await bob.api.get("/api/v1/push/devices")).body.data.length, 0);
      });

      it("returns 400 validation_error for an id that is not a UUID", async () => {
        const response = await alice.api.delete("/api/v1/push/devices/not-an-id");
        assert.equal(response.status, 400);
        assert.equal(response.body.error.code, "validation_error");
      });
    });

    describe("signing out everywhere", () => {
      const login = async (user: TestUser) => {
        const res = await new ApiClient(url).post("/api/v1/auth/login", {
          username: user.username,
          password: "correct horse battery",
        });
        return new ApiClient(url, res.body.token);
      };

      it("unregisters every push device of the user (logout-all and a password change); others keep theirs", async () => {
        for (const user of [alice, alice, bob]) {
          const res = await user.api.post("/api/v1/push/devices", webPush(uniqueEndpoint()));
          assert.equal(res.status, 201);
        }
        assert.equal((await alice.api.post("/api/v1/auth/logout-all")).status, 204);
        const again = await login(alice);
        assert.deepEqual((await again.get("/api/v1/push/devices")).body.data, []);
        assert.equal((await bob.api.get("/api/v1/push/devices")).body.data.length, 1);

        assert.equal(
          (await again.post("/api/v1/push/devices", gateway(uniqueEndpoint()))).status,
          201,
        );
        const changed = await again.post("/api/v1/auth/password", {
          current_password: "correct horse battery",
          new_password: "a new long password",
        });
        assert.equal(changed.status, 200);
        const after = new ApiClient(url, changed.body.token);
        assert.deepEqual((await after.get("/api/v1/push/devices")).body.data, []);
      });
    });

    describe("GET /push/devices", () => {
      it("pages with next_cursor, each device once", async () => {
        for (let i = 0; i < 5; i += 1) {
          await alice.api.post("/api/v1/push/devices", gateway(`page-${i}-${Date.now()}`));
        }
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const query: string = cursor ? `&cursor=${cursor}` : "";
          const page = await alice.api.get(`/api/v1/push/devices?limit=2${query}`);
          assert.equal(page.status, 200);
          seen.push(...page.body.data.map((d: { id: string }) => d.id));
          cursor = page.body.next_cursor;
        } while (cursor);
        assert.equal(seen.length, 5);
        assert.equal(new Set(seen).size, 5);
      });
    });

    describe("GET /push/vapid-public-key", () => {
      it("gives the key browsers subscribe with, the same after a restart", async () => {
        const first = await alice.api.get("/api/v1/push/vapid-public-key");
        assert.equal(first.status, 200);
        const raw = Buffer.from(first.body.vapid_public_key, "base64url");
        assert.equal(raw.length, 65);
        assert.equal(raw[0], 4);
        const other = await startTestApp(backend);
        const again = await new ApiClient(other.url, alice.token).get(
          "/api/v1/push/vapid-public-key",
        );
        assert.equal(again.body.vapid_public_key, first.body.vapid_public_key);
        await stopTestApp(other.app);
      });
    });
  });
}
