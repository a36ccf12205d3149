import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { backends } from "../support/backends";
import { registerUser } from "../support/factories";
import { ApiClient } from "../support/http-client";
import { startTestApp } from "../support/test-app";

const run = promisify(execFile);

describe("npm run token", () => {
  it("prints a token for an existing user of the running service", async () => {
    const { url } = await startTestApp(backends()[0]);
    const user = await registerUser(url);
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "lib/cli/token.ts", user.username],
      {
        env: {
          ...process.env,
          JWT_SECRET: "test-secret-0123456789abcdef",
          HTTP_PORT: new URL(url).port,
        },
      },
    );
    const me = await new ApiClient(url, stdout.trim()).get("/api/v1/users/me");
    assert.equal(me.status, 200);
    assert.equal(me.body.id, user.id);
  });
});
