// Debian's Chromium, headless, for the review page's browser tests and screenshots. The
// flags keep it off the network: this machine has none, and the page must need none.
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.PHI_REDACT_CHROMIUM || "/usr/bin/chromium";

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-default-apps",
    ],
  });
}

/**
 * A page that records every console error, uncaught exception, dialog and network request;
 * requests to `server` (an origin, for pages `phi-redact serve` shows) are expected.
 */
export async function watchedPage(browser, { server, ...options } = {}) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("dialog", (d) => { problems.push(`dialog opened: ${d.type()} ${d.message()}`); d.dismiss(); });
  const expected = (url) => /^(file|data|blob):/.test(url) || (server && new URL(url).origin === server);
  page.on("request", (r) => { if (!expected(r.url())) problems.push(`network request: ${r.url()}`); });
  return { context, page, problems };
}

export const fileUrl = (path) => new URL(`file://${path}`).href;

/**
 * A browser test: `steps(browser, check)` run in a launched Chromium, each `check(ok, what)`
 * printed; exits non-zero when any failed.
 */
export async function runChecks(steps) {
  const failures = [];
  const check = (ok, what) => { if (!ok) failures.push(what); else console.log(`ok: ${what}`); };
  const browser = await launch();
  try {
    await steps(browser, check);
  } finally {
    await browser.close();
  }
  if (failures.length) {
    for (const f of failures) console.error(`FAILED: ${f}`);
    process.exit(1);
  }
}
