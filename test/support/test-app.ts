import { loadConfig } from "../../config/load-config";
import { App, createApp } from "../../lib/app";
import { Backend, cleanupBackends, sharedEmbeddedPostgres } from "./backends";
import { reportOpenHandlesAfter } from "./open-handles";

export interface TestApp {
  app: App;
  url: string;
  backend: Backend;
}

const running = new Set<App>();
/** Apps started during a test (or its beforeEach) are stopped after it; `before` apps live on. */
const perTest = new Set<App>();
let insideTest = false;
/** Apps started outside a test since the last one began (a suite's `before` hooks). */
const unowned = new Set<App>();
/** Apps from `before` hooks, by the top-level describe they serve. */
const suiteApps = new Map<App, Mocha.Suite | undefined>();

function merge(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    target[key] =
      value &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      current &&
      typeof current === "object"
        ? merge({ ...(current as Record<string, unknown>) }, value as Record<string, unknown>)
        : value;
  }
  return target;
}

/** Config for a test app: the backend's services, port 0, quiet logs, then `overrides`. */
export async function testConfig(backend: Backend, overrides: Record<string, unknown> = {}) {
  const base = merge(
    {
      // No readiness drain: nothing polls a test app's /readyz (the shutdown suites set one).
      server: { http_port: 0, host: "127.0.0.1", shutdown_drain_delay: 0 },
      logging: { level: process.env.TEST_LOG_LEVEL ?? "silent" },
      // Tests register many users at once from one address: the hashing suite sets its own.
      auth: {
        jwt_secret: "test-secret-0123456789abcdef",
        password_cost: 10,
        hash_queue: 1000,
        hash_per_address: 1000,
      },
      // Small pools: many apps (nodes) share one PostgreSQL whose max_connections is 100.
      database: { path: "memory://", pool_max: 4 },
      storage: { path: `./data/test-uploads` },
      // Every test talks from 127.0.0.1 and shares one Redis prefix: per-IP and per-user
      // budgets would leak between tests. Rate-limit tests set their own tiny limits.
      rate_limits: {
        ip_per_minute: 1_000_000,
        rest_per_minute: 1_000_000,
        auth_per_15m: 1_000_000,
      },
    },
    await backend.overrides(),
  );
  return loadConfig({ env: {}, file: null, overrides: merge(base, overrides) });
}

/** Starts an app (one "node") on port 0; stopped by `stopTestApps()` in afterEach. */
export async function startTestApp(
  backend: Backend,
  overrides: Record<string, unknown> = {},
): Promise<TestApp> {
  const app = await createApp(await testConfig(backend, overrides));
  running.add(app);
  if (insideTest) perTest.add(app);
  else unowned.add(app);
  const url = await app.start();
  return { app, url, backend };
}

export async function stopTestApp(app: App): Promise<void> {
  running.delete(app);
  perTest.delete(app);
  unowned.delete(app);
  suiteApps.delete(app);
  await app.stop();
}

export async function stopTestApps(): Promise<void> {
  await Promise.all([...running].map((app) => stopTestApp(app)));
}

/** The describe block directly under the root: one file's suite (per backend). */
function topSuite(test: Mocha.Runnable | undefined): Mocha.Suite | undefined {
  let suite = test?.parent;
  while (suite?.parent && !suite.parent.root) suite = suite.parent;
  return suite;
}

/**
 * Root hooks: apps a test started are stopped after it; apps from `before` hooks belong to
 * the top-level describe whose tests run next and are stopped when the next top-level
 * describe starts (each holds pooled connections, and the shared PostgreSQL allows 100);
 * the databases go at the end.
 */
export const mochaHooks = {
  // Starting PGlite compiles PostgreSQL's WebAssembly: seconds, more on a busy machine.
  async beforeAll(this: Mocha.Context) {
    this.timeout(180_000);
    await sharedEmbeddedPostgres();
  },
  async beforeEach(this: Mocha.Context) {
    const suite = topSuite(this.currentTest);
    for (const app of unowned) suiteApps.set(app, suite);
    unowned.clear();
    const finished = [...suiteApps].filter(([, owner]) => owner !== suite);
    await Promise.all(finished.map(([app]) => stopTestApp(app)));
    insideTest = true;
  },
  async afterEach() {
    insideTest = false;
    await Promise.all([...perTest].map((app) => stopTestApp(app)));
  },
};

export async function mochaGlobalTeardown(): Promise<void> {
  await stopTestApps();
  await cleanupBackends();
  reportOpenHandlesAfter(2_000);
}
