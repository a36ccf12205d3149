import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The SDK's package folder and its build output (client/dist/, not committed). */
export const clientRoot = path.resolve(__dirname, "..", "client");
const tsc = require.resolve("typescript/bin/tsc");

/**
 * Builds client/dist: ES modules (dist/esm) and CommonJS (dist/cjs), each with its type
 * declarations and a package.json naming its module format, so Node and TypeScript read
 * each build the way it was written. Runs at `npm run build` and `npm pack` (prepack).
 */
export function buildClient(): void {
  const dist = path.join(clientRoot, "dist");
  fs.rmSync(dist, { recursive: true, force: true });
  const project = path.join(clientRoot, "tsconfig.build.json");
  const formats = [
    { dir: "esm", type: "module", args: [] as string[] },
    {
      dir: "cjs",
      type: "commonjs",
      args: ["--module", "commonjs", "--moduleResolution", "node10"],
    },
  ];
  for (const { dir, type, args } of formats) {
    const outDir = path.join(dist, dir);
    execFileSync(process.execPath, [tsc, "-p", project, "--outDir", outDir, ...args], {
      stdio: "inherit",
    });
    fs.writeFileSync(path.join(outDir, "package.json"), JSON.stringify({ type }) + "\n");
  }
}

if (require.main === module) buildClient();
