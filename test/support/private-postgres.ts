import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./private-redis";

const run = promisify(execFile);

/** Where Debian puts the server binaries (`PG_BIN` overrides). */
function binDirectory(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => +b - +a) : [];
  if (versions.length === 0)
    throw new Error("no PostgreSQL server binaries in /usr/lib/postgresql");
  return path.join(root, versions[0], "bin");
}

/** PostgreSQL refuses to run as root: run its tools as the `postgres` user then. */
const asRoot = process.getuid?.() === 0;

async function pgTool(tool: string, args: string[]): Promise<void> {
  const binary = path.join(binDirectory(), tool);
  const [command, commandArgs] = asRoot
    ? ["runuser", ["-u", "postgres", "--", binary, ...args]]
    : [binary, args];
  await run(command, commandArgs, { timeout: 60_000 });
}

/**
 * A PostgreSQL cluster of one's own (initdb in a temporary folder, a free port), for fault
 * tests and the faults load scenario, which stop and start it: never the shared server on
 * 5432. `url` reaches its `postgres` database as the trusted superuser `postgres`.
 */
export class PrivatePostgres {
  private running = false;

  private constructor(
    readonly port: number,
    private readonly folder: string,
  ) {}

  static async create(): Promise<PrivatePostgres> {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "msgtest-pg-"));
    if (asRoot) {
      const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
      fs.chownSync(folder, uid, uid);
    }
    const server = new PrivatePostgres(await freePort(), folder);
    const initdb = ["-D", server.dataDir, "-A", "trust", "-U", "postgres", "--no-sync"];
    await pgTool("initdb", [...initdb, "-E", "UTF8", "--locale=C"]);
    await server.start();
    return server;
  }

  /** `msgtest_<port>`: the process titles' prefix (`postgres: msgtest_<port>: …`). */
  get clusterName(): string {
    return `msgtest_${this.port}`;
  }

  get dataDir(): string {
    return path.join(this.folder, "data");
  }

  /** A database URL on this cluster (`postgres` when none is named). */
  url(database = "postgres"): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts (or starts again) the server; resolves once it accepts connections; no-op when up. */
  async start(): Promise<void> {
    if (this.running) return;
    // The cluster name shows in every backend's command line (what the load tool's CPU meter
    // reads to tell this cluster's processes from the shared server's).
    const options = `-p ${this.port} -k ${this.folder} -c listen_addresses=127.0.0.1 -c max_connections=200 -c cluster_name=${this.clusterName}`;
    const log = path.join(this.folder, "server.log");
    await pgTool("pg_ctl", [
      "-D",
      this.dataDir,
      "-o",
      options,
      "-l",
      log,
      "-w",
      "-t",
      "60",
      "start",
    ]);
    this.running = true;
  }

  /** `fast`: clients are disconnected, transactions rolled back, a clean shutdown. */
  async stop(mode: "fast" | "immediate" = "fast"): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await pgTool("pg_ctl", ["-D", this.dataDir, "-m", mode, "-w", "-t", "60", "stop"]);
  }

  /** Stops the server and deletes its folder. */
  async destroy(): Promise<void> {
    await this.stop("immediate").catch(() => undefined);
    fs.rmSync(this.folder, { recursive: true, force: true });
  }
}
