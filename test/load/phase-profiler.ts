import fs from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";

/**
 * A V8 CPU profile of a service node over the measured phases only (not the setup, whose
 * thousands of REST calls would drown the steady state), started and stopped over IPC.
 */
export class PhaseProfiler {
  private session: Session | undefined;

  async start(): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.session.post("Profiler.enable");
    await this.session.post("Profiler.setSamplingInterval", { interval: 500 });
    await this.session.post("Profiler.start");
    // LOAD_HEAP_PROFILE=1: also sample what the measured phases allocate (GC pressure).
    if (process.env.LOAD_HEAP_PROFILE === "1") {
      await this.session.post("HeapProfiler.startSampling", {
        samplingInterval: 16384,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    }
  }

  /** Writes `<dir>/<name>-<pid>.cpuprofile` and returns its path. */
  async stop(args: { dir: string; name: string }): Promise<string | null> {
    if (!this.session) return null;
    const { profile } = await this.session.post("Profiler.stop");
    if (process.env.LOAD_HEAP_PROFILE === "1") {
      const heap = await this.session.post("HeapProfiler.stopSampling");
      fs.mkdirSync(args.dir, { recursive: true });
      const heapFile = path.join(args.dir, `${args.name}-${process.pid}.heapprofile`);
      fs.writeFileSync(heapFile, JSON.stringify(heap.profile));
    }
    this.session.disconnect();
    this.session = undefined;
    fs.mkdirSync(args.dir, { recursive: true });
    const file = path.join(args.dir, `${args.name}-${process.pid}.cpuprofile`);
    fs.writeFileSync(file, JSON.stringify(profile));
    return file;
  }
}
