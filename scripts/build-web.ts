import path from "node:path";
import { build } from "esbuild";

/** The web client's source and where its bundle goes (public/build/ is not committed). */
const root = path.resolve(__dirname, "..");
export const webEntry = path.join(root, "web", "main.ts");
/** The service worker (Web Push), served as /build/sw.js. */
export const workerEntry = path.join(root, "web", "sw", "service-worker.ts");
export const webOutDir = path.join(root, "public", "build");

/**
 * Bundles the browser client (plain TypeScript + socket.io-client) into public/build/.
 * Runs at `npm run build` (and so on `npm install`), and from the e2e tests.
 */
export async function buildWeb(options: { minify?: boolean } = {}): Promise<void> {
  await build({
    entryPoints: { app: webEntry, sw: workerEntry },
    outdir: webOutDir,
    entryNames: "[name]",
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2020"],
    minify: options.minify ?? true,
    sourcemap: true,
    legalComments: "linked",
    logLevel: "warning",
  });
}

if (require.main === module) {
  buildWeb().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
