import fs from "node:fs";
import path from "node:path";
import { chromium, Browser, BrowserContext, Page } from "playwright-core";
import { buildWeb } from "../../scripts/build-web";

/** Debian's Chromium (`.ci/run` installs it when missing). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

let built: Promise<void> | undefined;

/** Bundles the web client once per test process (the tests serve what they just built). */
export function ensureWebBuilt(): Promise<void> {
  return (built ??= buildWeb({ minify: false }));
}

/**
 * Headless Chromium with the background-networking switches off. Every context gets its
 * own fresh profile (Playwright makes a temporary user-data-dir per launch).
 */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} missing: apt-get install -y chromium (see .ci/run)`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** A page that records console errors, page errors and dialogs, so tests can assert none. */
export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  problems: string[];
  dialogs: string[];
}

/** `beforeLoad` prepares the context (routes) before the page first loads. */
export async function openPage(
  browser: Browser,
  url: string,
  beforeLoad?: (context: BrowserContext) => Promise<unknown>,
): Promise<WatchedPage> {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1280, height: 800 },
  });
  await beforeLoad?.(context);
  const page = await context.newPage();
  const watched: WatchedPage = { page, context, problems: [], dialogs: [] };
  page.on("pageerror", (error) => watched.problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) {
      watched.problems.push(`csp: ${message.text()}`);
    }
  });
  page.on("dialog", (dialog) => {
    watched.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    // Our own delete confirmation is accepted; anything else (alert!) is recorded.
    void (dialog.type() === "confirm" ? dialog.accept() : dialog.dismiss());
  });
  page.setDefaultTimeout(30_000);
  await page.goto(url);
  return watched;
}

/** Where the e2e tests leave screenshots (copied to docs/screenshots/ for the README). */
export function screenshotPath(name: string): string {
  const dir = path.resolve(process.env.SCREENSHOT_DIR ?? path.join("data", "e2e-screenshots"));
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}
