import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import net from "node:net";
import { sharedEmbeddedPostgres } from "../support/backends";
import { registerUser } from "../support/factories";
import { freePort, waitForPort } from "../support/private-redis";
import { refusedWs } from "../support/realtime-clients";
import { ServiceProcess, spawnService } from "../support/service-process";

/** `npm start`'s entry point as a child process on the embedded defaults. */
function startService(port: number, databaseUrl: string): ServiceProcess {
  return spawnService({
    // The test process's shared embedded database: a fresh PGlite costs seconds to start.
    DATABASE_URL: databaseUrl,
    HTTP_PORT: String(port),
    HTTP_HOST: "127.0.0.1",
    JWT_SECRET: "shutdown-test-secret-0123456789",
    PASSWORD_COST: "10",
    // A drain far longer than the test needs: a second SIGTERM ends it (no timing).
    SHUTDOWN_TIMEOUT: "120s",
    SHUTDOWN_DRAIN_DELAY: "60s",
  });
}

function waitForOutput(read: () => string, pattern: RegExp, child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(read())) return done(resolve);
      if (child.exitCode !== null) return done(() => reject(new Error(read())));
    };
    const timer = setInterval(check, 20);
    const done = (then: () => void) => {
      clearInterval(timer);
      then();
    };
  });
}

describe("graceful shutdown (SIGTERM)", function () {
  this.timeout(60_000);
  let service: ReturnType<typeof startService> | undefined;
  afterEach(() => {
    if (service?.child.exitCode === null) service.child.kill("SIGKILL");
  });

  it("drains readiness first, then finishes a request in flight, refuses new connections and exits 0", async () => {
    const port = await freePort();
    service = startService(port, (await sharedEmbeddedPostgres()).url);
    const { child, output, exited } = service;
    await waitForOutput(output, /listening on/, child);
    await waitForPort(port);
    const base = `http://127.0.0.1:${port}`;

    // A registration in flight: headers read by the server (it answers 100 Continue), body
    // not sent yet when the signal arrives.
    const body = JSON.stringify({
      username: "drain_user_" + port,
      password: "correct horse battery",
    });
    const socket = net.connect({ host: "127.0.0.1", port });
    let response = "";
    socket.on("data", (chunk) => (response += chunk.toString()));
    const answered = new Promise((resolve) => socket.once("end", resolve));
    socket.write(
      `POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Expect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    await waitForOutput(() => response, /100 Continue/, child);

    child.kill("SIGTERM");
    await waitForOutput(output, /readiness drain/, child);
    // The drain: a load balancer polling /readyz sees 503; REST is still served; new
    // realtime connections go elsewhere.
    const ready = await fetch(`${base}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(((await ready.json()) as any).checks.shutdown, "draining");
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    const user = await registerUser(base, "drain");
    assert.equal((await user.api.get("/api/v1/users/me")).status, 200);
    const refused = await refusedWs(base, user.token);
    assert.equal(refused.status, 503);
    assert.equal(refused.error.code, "unavailable");

    child.kill("SIGTERM"); // a second signal ends the drain
    await waitForOutput(output, /listener closed/, child);
    await assert.rejects(fetch(`${base}/healthz`), "no new connections");
    socket.write(body); // not end(): a half-closed HTTP/1.1 request is aborted by design
    await answered;
    assert.match(response, /HTTP\/1\.1 201 /, response + output());
    assert.ok(response.includes(`"username":"drain_user_${port}"`), response);
    assert.equal(await exited, 0, output());
    assert.match(output(), /"message":"stopped"/);
  });
});
