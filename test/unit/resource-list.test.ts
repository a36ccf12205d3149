import assert from "node:assert/strict";
import { createLogger } from "../../lib/logger";
import { ResourceList } from "../../lib/resources";

describe("resource list", () => {
  const logger = createLogger({ level: "silent", format: "json" });

  function recorded() {
    const log: string[] = [];
    const list = new ResourceList(logger);
    const resource = (
      name: string,
      phase: "realtime" | "flush" | "disconnect",
      failClose = false,
    ) =>
      list.add({
        name,
        phase,
        start: () => void log.push(`start ${name}`),
        close: () => {
          log.push(`close ${name}`);
          if (failClose) throw new Error(`${name} would not close`);
        },
      });
    return { log, list, resource };
  }

  it("starts in registration order and closes phase by phase, registration order within one", async () => {
    const { log, list, resource } = recorded();
    resource("database", "disconnect");
    resource("sockets", "realtime");
    resource("sequencer", "flush");
    resource("bus", "disconnect");
    resource("relay", "flush");
    await list.startAll();
    await list.closeAll(1000);
    assert.deepEqual(log, [
      "start database",
      "start sockets",
      "start sequencer",
      "start bus",
      "start relay",
      "close sockets",
      "close sequencer",
      "close relay",
      "close database",
      "close bus",
    ]);
  });

  it("a closer that fails does not stop the ones after it", async () => {
    const { log, list, resource } = recorded();
    resource("relay", "flush", true);
    resource("database", "disconnect");
    await list.closeAll(1000);
    assert.deepEqual(log, ["close relay", "close database"]);
  });

  it("a start that fails stops starting; workers without work are not registered", async () => {
    const { log, list, resource } = recorded();
    list.add({
      name: "broken",
      phase: "flush",
      start: () => Promise.reject(new Error("no")),
      close: () => undefined,
    });
    resource("after", "flush");
    list.addWorker("absent", undefined);
    await assert.rejects(list.startAll(), /no/);
    assert.deepEqual(log, []);
  });
});
