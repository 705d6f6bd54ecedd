// Takes the README's screenshot of the demo page (demo/screenshot.png) from the real server.
// Run after `cargo xtask build-widget` and `cargo build -p bao-server`: `node bench/screenshot.mjs`.
import { join } from "node:path";
import { ROOT, launchBrowser, newPage, startServer } from "../e2e/support.mjs";

const server = await startServer({ seedFixtures: false });
const browser = await launchBrowser();
try {
  const { page } = await newPage(browser, { viewport: { width: 1100, height: 1000 }, deviceScaleFactor: 1 });
  await page.goto(`${server.url}demo/`);
  await page.waitForFunction(() => [...document.querySelectorAll("bao-card")].every((c) => c.shadowRoot?.querySelector("h2")));
  await page.locator('bao-card[resource="exemples-gouvernance-partagee"] summary.read').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ROOT, "demo/screenshot.png"), fullPage: true });
} finally {
  await browser.close();
  await server.stop();
}
