import assert from "node:assert/strict";
import { backends } from "../support/backends";
import { registerUser, uniqueUsername } from "../support/factories";
import { ApiClient, ApiResponse } from "../support/http-client";
import { startTestApp } from "../support/test-app";

/** A login as if from `address` (the app trusts X-Forwarded-For in these tests). */
function loginFrom(url: string, address: string, username: string, password = "not the one") {
  return new ApiClient(url).request(
    "POST",
    "/api/v1/auth/login",
    { username, password },
    { "x-forwarded-for": address },
  );
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

function assertRetryLater(res: ApiResponse, status: number, code: string): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, code);
  assert.ok(Number(res.headers.get("retry-after")) >= 1, "Retry-After");
}

for (const backend of backends()) {
  describe(`password hashing cannot take the node down [${backend.name}]`, () => {
    it("a flood of logins from one address neither delays a download nor another address's login", async function () {
      this.timeout(60_000);
      // A real cost (64 MiB, tenths of a second): what used to fill libuv's 4 threads.
      const { url } = await startTestApp(backend, {
        server: { trust_proxy: true },
        auth: { password_cost: 16, hash_queue: 32, hash_per_address: 2, hash_concurrency: 2 },
      });
      const owner = await registerUser(url, "owner");
      const form = new FormData();
      form.append("file", new Blob([Buffer.alloc(64 * 1024, 7)]), "data.bin");
      const file = await owner.api.post("/api/v1/files", form);
      assert.equal(file.status, 201, JSON.stringify(file.body));
      const download = () => owner.api.get(`/api/v1/files/${file.body.id}`);
      const quiet = await timed(download);
      const quietLogin = await timed(() =>
        loginFrom(url, "203.0.113.9", owner.username, "correct horse battery"),
      );
      assert.equal(quietLogin.result.status, 200);

      const flood = Array.from({ length: 24 }, () =>
        loginFrom(url, "198.51.100.7", uniqueUsername("nobody")),
      );
      const during = await timed(download);
      const otherLogin = await timed(() =>
        loginFrom(url, "203.0.113.9", owner.username, "correct horse battery"),
      );
      const answers = await Promise.all(flood);

      assert.equal(during.result.status, 200);
      assert.equal(otherLogin.result.status, 200);
      const refused = answers.filter((res) => res.status === 429);
      assert.ok(refused.length >= 20, `${refused.length} of 24 refused`);
      assertRetryLater(refused[0], 429, "rate_limited");
      assert.ok(answers.every((res) => res.status === 429 || res.status === 401));
      // Generous bounds, by comparison: before, both waited behind the whole flood.
      assert.ok(during.ms < quiet.ms * 10 + 300, `download ${during.ms} ms, quiet ${quiet.ms} ms`);
      assert.ok(
        otherLogin.ms < quietLogin.ms * 4 + 500,
        `login ${otherLogin.ms} ms, quiet ${quietLogin.ms} ms`,
      );
    });

    it("answers 503 with Retry-After when the hash queue is full", async () => {
      const { url } = await startTestApp(backend, {
        server: { trust_proxy: true },
        auth: { password_cost: 14, hash_concurrency: 1, hash_queue: 1, hash_per_address: 10 },
      });
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, i) => loginFrom(url, `192.0.2.${i + 1}`, `ghost${i}`)),
      );
      const full = answers.filter((res) => res.status === 503);
      assert.ok(full.length >= 3, answers.map((res) => res.status).join(","));
      assertRetryLater(full[0], 503, "unavailable");
      assert.ok(answers.some((res) => res.status === 401));
    });

    it("limits login and registration attempts per address, whatever the username", async () => {
      const { url } = await startTestApp(backend, {
        server: { trust_proxy: true },
        rate_limits: { auth_per_15m: 3 },
      });
      const anonymous = new ApiClient(url);
      const register = (address: string) =>
        anonymous.request(
          "POST",
          "/api/v1/auth/register",
          { username: uniqueUsername("reg"), password: "correct horse battery" },
          { "x-forwarded-for": address },
        );
      assert.equal((await register("198.51.100.20")).status, 201);
      assert.equal((await register("198.51.100.20")).status, 201);
      assert.equal((await loginFrom(url, "198.51.100.20", uniqueUsername("a"))).status, 401);
      assertRetryLater(
        await loginFrom(url, "198.51.100.20", uniqueUsername("b")),
        429,
        "rate_limited",
      );
      assertRetryLater(await register("198.51.100.20"), 429, "rate_limited");
      assert.equal((await register("198.51.100.21")).status, 201);
    });
  });
}
