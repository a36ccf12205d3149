import { ChildProcess, fork } from "node:child_process";
import path from "node:path";

/** Parent side: a server child (the service or a bare baseline) reached over IPC. */
export interface ServerChild {
  url: string;
  pid: number;
  call<T>(method: string, args?: unknown): Promise<T>;
  /** Asks for a graceful stop (so --cpu-prof gets written), then kills after a grace period. */
  stop(): Promise<void>;
  /** Sends a signal (the faults scenario's SIGKILL / SIGTERM); resolves once the child exited. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Answers a call, directly or with a promise. */
type Handler = (args: unknown) => unknown;

/**
 * Starts `entry` (a TypeScript file under test/load) in a child Node process with tsx and
 * waits for it to report its URL. `nodeArgs` can add e.g. `--cpu-prof`.
 */
export function spawnServerChild(
  entry: string,
  env: Record<string, string | undefined>,
  nodeArgs: string[] = [],
  startTimeoutMs = 60_000,
): Promise<ServerChild> {
  const file = path.join(__dirname, entry);
  const child: ChildProcess = fork(file, [], {
    execArgv: [...nodeArgs, "--import", "tsx"],
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 0;
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      for (const entry of waiting.values()) entry.reject(new Error("server child exited"));
      waiting.clear();
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${entry} did not start within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready`));
    });
    child.on(
      "message",
      (message: { type?: string; id?: number; url?: string; result?: unknown; error?: string }) => {
        if (message.type === "ready") {
          clearTimeout(timer);
          const server: ServerChild = {
            url: message.url!,
            pid: child.pid!,
            call: <T>(method: string, args?: unknown) =>
              new Promise<T>((resolveCall, rejectCall) => {
                if (exited) return rejectCall(new Error("server child exited"));
                const id = ++nextId;
                waiting.set(id, {
                  resolve: resolveCall as (v: unknown) => void,
                  reject: rejectCall,
                });
                child.send({ id, method, args });
              }),
            kill(signal) {
              if (!exited) child.kill(signal);
              return exitedPromise;
            },
            async stop() {
              if (exited) return;
              child.send({ id: 0, method: "stop" });
              const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
              await exitedPromise;
              clearTimeout(killer);
            },
          };
          resolve(server);
          return;
        }
        const entry = message.id ? waiting.get(message.id) : undefined;
        if (!entry) return;
        waiting.delete(message.id!);
        if (message.error) entry.reject(new Error(message.error));
        else entry.resolve(message.result);
      },
    );
  });
}

/**
 * Child side: announces `url` to the parent and answers its calls. `memory` is always
 * available (the process's own unless a handler says otherwise); `stop` runs `onStop`
 * then exits normally (so a CPU profile is written).
 */
export function serveParent(
  url: string,
  handlers: Record<string, Handler>,
  onStop: () => Promise<void>,
): void {
  // The parent may be gone (Ctrl-C); a failed send must not crash the node.
  const send = (message: unknown) =>
    process.connected && process.send?.(message, undefined, {}, () => undefined);
  const answer = async ({ id, method, args }: { id: number; method: string; args: unknown }) => {
    if (method === "stop") {
      await onStop().catch(() => undefined);
      process.exit(0);
    }
    try {
      const handler =
        handlers[method] ?? (method === "memory" ? () => process.memoryUsage() : undefined);
      if (!handler) throw new Error(`unknown method ${method}`);
      send({ id, result: await handler(args) });
    } catch (error) {
      send({ id, error: (error as Error).message });
    }
  };
  // answer never rejects: a failed call is answered with its error.
  process.on("message", (message: Parameters<typeof answer>[0]) => void answer(message));
  // The parent went away (Ctrl-C, crash): do not linger.
  process.on("disconnect", () => {
    void onStop()
      .catch(() => undefined)
      .finally(() => process.exit(0));
  });
  send({ type: "ready", url });
}
