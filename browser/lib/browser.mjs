// Every test file opens its browser through here, so a machine without Chromium (or without
// `npm ci`) gets the same plain one-line message and a skipped test, never a passing one.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { startServer } from "./server.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const require = createRequire(import.meta.url);

/** Why the browser tests cannot run here, or null when they can. */
function missing() {
  for (const dep of ["playwright-core", "axe-core"]) {
    try {
      require.resolve(dep);
    } catch {
      return `${dep} is not installed (run \`npm ci\` in browser/): browser tests SKIPPED`;
    }
  }
  if (!existsSync(CHROMIUM)) {
    return `Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH): browser tests SKIPPED`;
  }
  return null;
}

/**
 * Starts a fresh server and a headless Chromium for test `t`, closing both when it ends.
 * Returns { server, browser }, or null after marking `t` skipped (the caller returns).
 */
export async function openBrowser(t) {
  const reason = missing();
  if (reason) {
    console.error(reason);
    t.skip(reason);
    return null;
  }
  const { chromium } = await import("playwright-core");
  const server = await startServer();
  let browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  } catch (err) {
    await server.stop();
    throw err;
  }
  t.after(async () => {
    await browser.close();
    await server.stop();
  });
  return { server, browser };
}

/** A new browser context (its own cookies and storage) whose relative URLs go to `server`. */
export function newContext(browser, server) {
  return browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
}
