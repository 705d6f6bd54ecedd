// Takes the README's screenshots of the demo page from the real server: the page with its cards
// (demo/screenshot.png), its search box in use (demo/screenshot-search.png) and its carousel of
// filmed testimonies (demo/screenshot-testimonials.png).
// Run after `cargo xtask build-widget` and `cargo build -p bao-server`: `node bench/screenshot.mjs`.
import { join } from "node:path";
import { REAL_SOURCES, ROOT, launchBrowser, newPage, startServer } from "../e2e/support.mjs";

const server = await startServer({ seedFixtures: false, sources: REAL_SOURCES });
const browser = await launchBrowser();
try {
  const { page } = await newPage(browser, { viewport: { width: 1100, height: 1000 }, deviceScaleFactor: 1 });
  await page.goto(`${server.url}demo/`);
  await page.waitForFunction(() => [...document.querySelectorAll("bao-card")].every((c) => c.shadowRoot?.querySelector("h2")));
  await page.locator('bao-card[resource="exemples-gouvernance-partagee"] summary.read').click();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ROOT, "demo/screenshot.png"), fullPage: true });

  await page.locator('bao-card[resource="exemples-gouvernance-partagee"] summary.read').click();
  const input = page.locator("bao-search input[role=combobox]");
  await input.focus();
  await page.keyboard.type("réunion", { delay: 30 });
  await page.locator("bao-search [role=option]").nth(2).waitFor();
  await page.waitForTimeout(400);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const box = await page.locator("bao-search").boundingBox();
  await page.screenshot({
    path: join(ROOT, "demo/screenshot-search.png"),
    clip: { x: box.x - 16, y: box.y - 16, width: box.width + 32, height: Math.min(box.height, 620) + 32 },
  });

  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  const carousel = page.locator("bao-testimonials");
  await carousel.locator(".slide button.play img").waitFor();
  await carousel.locator("details.transcript summary").click();
  await carousel.scrollIntoViewIfNeeded();
  await page.waitForTimeout(400);
  await carousel.screenshot({ path: join(ROOT, "demo/screenshot-testimonials.png") });
} finally {
  await browser.close();
  await server.stop();
}
