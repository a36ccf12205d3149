import assert from "node:assert/strict";
import { parseOptions } from "../load/options";
import { runThroughput } from "../load/scenarios/throughput";
import { urlTarget } from "../load/target";
import { backends } from "../support/backends";
import { startTestApp } from "../support/test-app";

const SECRET = "test-secret-0123456789abcdef";

// The load tool end to end, small: a few seconds, ~120 clients on both transports, direct
// conversations and groups of 20. Only delivery is asserted; speed is the benchmarks' job.
for (const backend of backends()) {
  describe(`load tool smoke run [${backend.name}]`, () => {
    it("delivers every message it sends to every other member exactly once, in seq order", async function () {
      this.timeout(90_000);
      const { url } = await startTestApp(backend, {
        auth: { jwt_secret: SECRET },
        rate_limits: { ip_per_minute: 100_000, rest_per_minute: 100_000 },
      });
      const options = parseOptions([
        ...["--connections", "120", "--rate", "25", "--duration", "4", "--warmup", "0"],
        ...["--generator-workers", "0", "--ramp", "500", "--mix", "direct=0.7,g20=0.3", "--quiet"],
      ]);
      const result = await runThroughput(urlTarget([url], SECRET), options);

      assert.equal(result.connect.connected, 120);
      const [phase] = result.phases;
      assert.ok(phase.sent >= 80, `sent ${phase.sent}`);
      assert.equal(phase.errors + phase.skipped, 0, JSON.stringify(result.errorCodes));
      assert.equal(phase.expected, phase.delivered);
      assert.equal(phase.lost, 0);
      assert.equal(phase.duplicates, 0);
      assert.equal(phase.unexpected, 0);
      assert.equal(phase.reordered, 0);
      assert.equal(result.dropped, 0);
      assert.equal(result.extra?.drained, true);
    });
  });
}
