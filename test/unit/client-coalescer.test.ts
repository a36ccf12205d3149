import assert from "node:assert/strict";
import { Coalescer } from "../../client/src/util/coalescer";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("client SDK Coalescer", () => {
  it("runs a task once at a time per key, and once more for calls made meanwhile", async () => {
    const coalescer = new Coalescer();
    const runs: string[] = [];
    const finish = new Map<string, () => void>();
    const task = (key: string) => () => {
      runs.push(key);
      return new Promise<void>((resolve) => finish.set(key, resolve));
    };
    const first = coalescer.run("a", task("a"));
    const meanwhile = [coalescer.run("a", task("a")), coalescer.run("a", task("a"))];
    const other = coalescer.run("b", task("b"));
    assert.deepEqual(runs, ["a", "b"], "one run per key");
    finish.get("b")!();
    await other;
    finish.get("a")!();
    await tick();
    assert.deepEqual(runs, ["a", "b", "a"], "one more run for both calls made meanwhile");
    finish.get("a")!();
    await Promise.all([first, ...meanwhile]);
    assert.equal(runs.length, 3);
    const later = coalescer.run("a", task("a"));
    assert.equal(runs.length, 4, "a call after the runs ended starts a new one");
    finish.get("a")!();
    await later;
  });
});
