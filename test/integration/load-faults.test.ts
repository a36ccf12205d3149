import assert from "node:assert/strict";
import type { FaultOutcome } from "../load/faults/fault-summary";
import { parseOptions } from "../load/options";
import { runFaults } from "../load/scenarios/faults";

// `npm run load -- --scenario faults`, short: its own PostgreSQL, Redis and NATS, two nodes,
// 200 reconnecting clients, one run of each fault with a second or two to recover. What
// it asserts is correctness only (speed is the full run's report).
describe("load tool faults scenario, short run", () => {
  it("loses, doubles, reorders nothing and acks only what is stored, across all five faults", async function () {
    this.timeout(150_000);
    const options = parseOptions([
      ...["--scenario", "faults", "--connections", "200", "--rate", "40"],
      ...["--generator-workers", "0"],
      ...["--recover", "1", "--outage", "1", "--ramp", "500", "--probe-every", "8", "--quiet"],
      ...["--env", "PRESENCE_TTL=3s", "--env", "PRESENCE_OFFLINE_GRACE=500ms"],
      ...["--env", "LOG_LEVEL=error"],
    ]);
    const result = await runFaults(options);
    const extra = result.extra as Record<string, unknown>;
    const faults = extra.faults as FaultOutcome[];

    assert.equal(result.connect.connected, 200);
    assert.equal(extra.drained, true);
    assert.deepEqual(
      faults.map((fault) => fault.name.split(" ")[0]),
      ["SIGKILL", "Redis", "NATS", "PostgreSQL", "SIGTERM"],
    );
    for (const fault of faults) {
      const violations = {
        unacked: fault.unacked,
        failed: fault.failed,
        hung: fault.hung,
        internal: fault.firstErrors.internal ?? 0,
        lost: fault.lost,
        doubled: fault.doubled,
        reordered: fault.reordered,
        ackedNotStored: fault.ackedNotStored,
        storedTwice: fault.storedTwice,
        seqGaps: fault.seqGaps,
        jetstreamMissing: fault.jetstreamMissing,
        jetstreamDoubled: fault.jetstreamDoubled,
      };
      assert.ok(fault.acked > 0 && fault.events >= fault.acked, `${fault.name}: no traffic`);
      assert.deepEqual(
        Object.entries(violations).filter(([, count]) => count > 0),
        [],
        fault.name,
      );
      for (const code of Object.keys(fault.firstErrors)) assert.equal(code, "unavailable");
    }
    assert.equal(extra.jetstreamForeign, 0);
    assert.equal(extra.unpublished, 0);
    for (const fault of [faults[0], faults[4]]) {
      assert.ok(fault.clientsResumed > 0, `${fault.name}: nobody resumed`);
      const presence = fault.presence!;
      assert.ok(presence.probes > 0);
      assert.equal(presence.offlineRead, presence.probes, `${fault.name}: probes offline`);
      assert.equal(presence.onlineRead, presence.probes, `${fault.name}: probes back online`);
    }
  });
});
