// WCAG 2.2 target size (2.5.8): every control of every element, and of the builder, is at least
// 24 × 24 CSS px whatever the host page's font size (12 px and 20 px here) — sizes written in em
// alone fell under 24 px on a machine whose fonts were narrower.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { hostPage, launchBrowser, newPage, startHostSite, startServer } from "./support.mjs";

let server;
let browser;
let site;

const FONT_SIZES = [12, 20];

const ELEMENTS = (serverUrl, fontSize) =>
  hostPage(
    `<style>html, body { font-size: ${fontSize}px; }</style><script src="${serverUrl}embed.js"></script><main>` +
      `<bao-card resource="exemples-cercle-de-parole"><a href="${serverUrl}r/exemples-cercle-de-parole">Le cercle de parole</a></bao-card>` +
      `<bao-search><a href="${serverUrl}">Chercher</a></bao-search>` +
      `<bao-testimonials><a href="${serverUrl}">Témoignages</a></bao-testimonials></main>`,
  );

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  site = await startHostSite(Object.fromEntries(FONT_SIZES.map((size) => [`/${size}`, ELEMENTS(server.url, size)])));
});

after(async () => {
  await site?.close();
  await browser?.close();
  await server?.stop();
});

/**
 * The controls under `roots` (selectors of shadow hosts, or "document") smaller than 24 × 24 px,
 * as `name: width×height`. Links inside a sentence are exempt (WCAG's inline exception), and so is
 * the text of a fiche (its authors' own links); a radio button or checkbox counts with its label.
 */
function undersized(roots) {
  const controls = "button, a[href], summary, input:not([type=hidden]), select, textarea, [role=option], [role=tab]";
  const found = [];
  for (const selector of roots) {
    const scopes = selector === "document" ? [document] : [...document.querySelectorAll(selector)].map((host) => host.shadowRoot);
    for (const scope of scopes.filter(Boolean)) {
      for (const control of scope.querySelectorAll(controls)) {
        if (!control.checkVisibility() || control.closest(".body")) continue;
        const block = control.closest("p, li:not([role=option]), blockquote, td, dd, figcaption");
        const inSentence = control.tagName === "A" && block && block.textContent.trim().length > control.textContent.trim().length + 2;
        if (inSentence) continue;
        const rects = [control.getBoundingClientRect()];
        if (control.type === "radio" || control.type === "checkbox") rects.push(...[...control.labels].map((label) => label.getBoundingClientRect()));
        const width = Math.max(...rects.map((r) => r.right)) - Math.min(...rects.map((r) => r.left));
        const height = Math.max(...rects.map((r) => r.bottom)) - Math.min(...rects.map((r) => r.top));
        if (width < 23.99 || height < 23.99) {
          const name = control.getAttribute("aria-label") || control.textContent.trim().slice(0, 30) || control.tagName;
          found.push(`${selector} ${name}: ${width.toFixed(1)}×${height.toFixed(1)}`);
        }
      }
    }
  }
  return found;
}

for (const fontSize of FONT_SIZES) {
  test(`at a host font size of ${fontSize} px, every control of the card, the search box and the carousel is at least 24 × 24 px`, async () => {
    const { page, close } = await newPage(browser, { viewport: { width: 1024, height: 900 } });
    await page.goto(new URL(`/${fontSize}`, site.url).href);
    await page.locator("bao-testimonials[data-bao-live]").waitFor({ state: "attached" });
    // Every state with controls: the card unfolded, the search box with results and chips.
    await page.locator("bao-card summary.read").click();
    await page.locator("bao-card .body").waitFor();
    const input = page.locator("bao-search input[role=combobox]");
    await input.focus();
    await page.keyboard.type("fiche", { delay: 30 });
    await page.locator("bao-search [role=listbox]:not([hidden]) [role=option]").first().waitFor();
    assert.ok((await page.locator("bao-search .chips button").count()) > 0, "the chips are shown");
    assert.deepEqual(await page.evaluate(undersized, ["bao-card", "bao-search", "bao-testimonials"]), []);
    // A result read inline is a card with its own controls.
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.locator("bao-search bao-card h2.title").waitFor();
    assert.deepEqual(await page.evaluate(undersized, ["bao-search"]), []);
    await close();
  });

  test(`at a root font size of ${fontSize} px, every control of the builder is at least 24 × 24 px`, async () => {
    // The builder's CSP refuses inline styles: the test's own style is let in.
    const { page, close } = await newPage(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
    await page.goto(`${server.url}integrer`);
    await page.addStyleTag({ content: `html { font-size: ${fontSize}px; }` });
    await page.locator("#preview bao-card h2.title").waitFor();
    assert.deepEqual(await page.evaluate(undersized, ["document", "#preview bao-card"]), []);
    await close();
  });
}
