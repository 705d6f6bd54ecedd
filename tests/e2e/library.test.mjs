// The library's own pages in headless Chromium, as a visitor meets the commons: the home page
// and a network's page, on a 320 px phone and a desktop, readable (axe-core, WCAG 2.1 A and AA)
// and paginated; titles in capitals read as sentences, the data keeping them.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { REAL_SOURCES, audit, launchBrowser, newPage, startServer } from "./support.mjs";

let server;
let browser;

before(async () => {
  server = await startServer({ sources: REAL_SOURCES });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const width of [320, 1280]) {
  test(`at ${width} px, the home page and a network's page fit the screen and pass axe`, async () => {
    const { page, problems, close } = await newPage(browser, { viewport: { width, height: 800 }, bypassCSP: true });
    for (const path of ["", "reseaux/exemples"]) {
      await page.goto(`${server.url}${path}`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `${path || "/"}: no sideways scroll`);
      assert.deepEqual((await audit(page)).violations, [], path || "/");
    }
    assert.deepEqual(problems, []);
    await close();
  });
}

test("the home page leads to each network's page, whose fiches come a page at a time", async (t) => {
  const { page, problems, close } = await newPage(browser);
  await page.goto(server.url);
  const networks = page.locator("#reseaux + ul .tile-title");
  if ((await networks.count()) < 2) return t.skip("the real multiBàO data is absent (../shared/data): one network only");
  await networks.filter({ hasText: "Lilian Ricaud" }).click();
  await page.waitForURL(`${server.url}reseaux/lilianricaud`);
  assert.match(await page.locator(".lead").textContent(), /^112 ressources écrites par ce réseau/);
  const first = await page.locator(".tiles .tile-title").allTextContents();
  assert.equal(first.length, 24);
  await page.getByRole("link", { name: "Page suivante" }).click();
  const second = await page.locator(".tiles .tile-title").allTextContents();
  assert.equal(second.length, 24);
  assert.ok(!second.some((title) => first.includes(title)), "the next page holds the next fiches");
  assert.match(await page.locator(".lead").textContent(), /page 2/);
  // No title shouts: one written in capitals by its source reads as a sentence here.
  for (const title of [...first, ...second]) assert.ok(/[a-zà-ÿ]/.test(title) || title.split(/\s+/).length < 2, title);
  await page.getByRole("link", { name: "Première page" }).click();
  assert.deepEqual(await page.locator(".tiles .tile-title").allTextContents(), first);
  assert.deepEqual(problems, []);
  await close();
});
